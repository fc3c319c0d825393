import { auditHandlers } from "./audit/audit.routes";
import { caseHandlers } from "./cases/cases.routes";
import { calendarHandlers } from "./calendar/calendar.routes";
import { courtHandlers } from "./courts/courts.routes";
import { deferralHandlers } from "./deferrals/deferrals";
import { freezeHandlers } from "./freezes/freezes.routes";
import { ledgerHandlers } from "./ledger/ledger.routes";
import { listingHandlers } from "./listings/listings.routes";
import { bankAccountChangeHandlers } from "./parties/bank-account-changes";
import { payoutHandlers } from "./payouts/payouts.routes";
import { receiptHandlers } from "./receipts/receipts.routes";
import { sessionPlaceholderHandlers } from "./sessions/sessions-placeholder";
import { reportHandlers } from "./reports/reports.routes";
import { debtorListReportHandlers } from "./reports/debtor-list.routes";
import type { Metrics } from "./http/metrics";
import type { OpenApiDocument } from "./http/openapi-document";
import type { Handlers } from "./http/operations";
import { opsHandlers } from "./ops/ops.routes";
import { publicHandlers } from "./public/public.routes";
import { userHandlers } from "./users/users.routes";

/** Every operation of openapi.yaml, by operationId. A missing one is a compile error. */
export function allHandlers(deps: { metrics: Metrics; doc: OpenApiDocument }): Handlers {
  return {
    ...opsHandlers(deps),
    ...courtHandlers,
    ...userHandlers,
    ...listingHandlers,
    ...calendarHandlers,
    ...publicHandlers,
    ...freezeHandlers,
    ...caseHandlers,
    ...receiptHandlers,
    ...ledgerHandlers,
    ...bankAccountChangeHandlers,
    ...deferralHandlers,
    ...auditHandlers,
    ...reportHandlers,
    ...debtorListReportHandlers,
    ...payoutHandlers,
    ...sessionPlaceholderHandlers, // placeholder until sign-in (issue 10) lands
  };
}
