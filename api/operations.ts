import { approvalOperations } from "./approvals/approvals.operations";
import { auditOperations } from "./audit/audit.operations";
import { calendarOperations } from "./calendar/calendar.operations";
import { caseOperations } from "./cases/cases.operations";
import { performanceOperations } from "./cases/performance.operations";
import type { Operations } from "./core/operation";
import { courtOperations } from "./courts/courts.operations";
import { deferralOperations } from "./deferrals/deferrals.operations";
import { freezeOperations } from "./freezes/freezes.operations";
import { inspectionOperations } from "./inspections/inspections.operations";
import { ledgerOperations } from "./ledger/ledger.operations";
import { listingOperations } from "./listings/listings.operations";
import { opsOperations, type OpsDeps } from "./ops/ops.operations";
import { partyOperations } from "./parties/parties.operations";
import { payoutOperations } from "./payouts/payouts.operations";
import { publicOperations } from "./public/public.operations";
import type { Limiter } from "./public/rate-limiter";
import { receiptOperations } from "./receipts/receipts.operations";
import { reportOperations } from "./reports/reports.operations";
import { statementOperations } from "./statements/statements.operations";
import { unidentifiedFundOperations } from "./unidentified-funds/unidentified-funds.operations";
import { sessionOperations } from "./users/sessions.operations";
import { userOperations } from "./users/users.operations";

export interface OperationDeps extends OpsDeps {
  publicRateLimiter: () => Limiter;
}

/** Every operation of openapi.yaml, by operationId. A missing one is a compile error. */
export function allOperations(deps: OperationDeps): Operations {
  return {
    ...opsOperations(deps),
    ...publicOperations({ limiter: deps.publicRateLimiter }),
    ...courtOperations,
    ...userOperations,
    ...sessionOperations,
    ...caseOperations,
    ...performanceOperations,
    ...partyOperations,
    ...receiptOperations,
    ...ledgerOperations,
    ...statementOperations,
    ...unidentifiedFundOperations,
    ...deferralOperations,
    ...approvalOperations,
    ...payoutOperations,
    ...listingOperations,
    ...calendarOperations,
    ...freezeOperations,
    ...inspectionOperations,
    ...reportOperations,
    ...auditOperations,
  };
}

/**
 * The operations for code that calls them in process (the demo seed, test set-ups, benchmarks):
 * the operations endpoints answer nothing useful there.
 */
export function inProcessOperations(): Operations {
  return allOperations({
    databaseKind: "postgres",
    metrics: { contentType: "text/plain", render: async () => "" },
    openApiDocument: {},
    publicRateLimiter: () => {
      throw new Error("the public lookup is not called in process");
    },
  });
}
