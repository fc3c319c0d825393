import type { Knex } from "knex";
import * as access from "./20261126_0001_access";
import * as audit from "./20261126_0002_audit";
import * as idempotency from "./20261126_0003_idempotency";
import * as cases from "./20261126_0004_cases";
import * as ledger from "./20261126_0005_ledger";
import * as approvals from "./20261126_0006_approvals";
import * as reportIndexes from "./20261126_0301_report_indexes";
import * as calendar from "./20261126_0101_calendar";
import * as listings from "./20261126_0102_listings";
import * as freezes from "./20261126_0103_freezes";
import * as payouts from "./20261126_0201_payouts";
import * as courtSettings from "./20261201_0401_court_settings";
import * as signIn from "./20261201_0402_sign_in";
import * as rateLimits from "./20261201_0403_rate_limits";
import * as correctionsAgents from "./20261201_0501_corrections_agents";
import * as virtualAccounts from "./20261201_0520_virtual_accounts";
import * as moneyIn from "./20261201_0521_money_in";
import * as receiptTransfers from "./20261201_0522_receipt_transfers";
import * as payoutItemKinds from "./20261201_0523_payout_item_kinds";
import * as unidentifiedPaidBack from "./20261201_0524_unidentified_paid_back";
import * as listingRealDates from "./20261201_0540_listing_real_dates";
import * as casePerformance from "./20261201_0541_case_performance";
import * as deferralEnd from "./20261201_0542_deferral_end";
import * as batchApprovalLevels from "./20261201_0543_batch_approval_levels";
import * as receiptLocalDeadline from "./20261201_0544_receipt_local_deadline";
import * as auditChains from "./20261201_0570_audit_chains";
import * as agentGuards from "./20261201_0502_agent_guards";
import * as caseHistoryIndexes from "./20261201_0503_case_history_indexes";
import * as inspections from "./20261201_0580_inspections";
import * as complaintContact from "./20261201_0581_complaint_contact";
import * as executionFeeItems from "./20261201_0600_execution_fee_items";
import * as findingProposals from "./20261201_0610_finding_proposals";
import * as redFlagIndexes from "./20261201_0611_red_flag_indexes";
import * as rowLevelSecurity from "./20261201_0690_row_level_security";
import * as courtScopeFunction from "./20261202_0700_court_scope_function";

export interface NamedMigration {
  name: string;
  module: Knex.Migration;
}

/** Every migration, in the order it runs. Add new ones at the end; never rename or edit a landed one. */
export const migrations: NamedMigration[] = [
  { name: "20261126_0001_access", module: access },
  { name: "20261126_0002_audit", module: audit },
  { name: "20261126_0003_idempotency", module: idempotency },
  { name: "20261126_0004_cases", module: cases },
  { name: "20261126_0005_ledger", module: ledger },
  { name: "20261126_0006_approvals", module: approvals },
  { name: "20261126_0101_calendar", module: calendar },
  { name: "20261126_0102_listings", module: listings },
  { name: "20261126_0103_freezes", module: freezes },
  { name: "20261126_0201_payouts", module: payouts },
  { name: "20261126_0301_report_indexes", module: reportIndexes },
  { name: "20261201_0401_court_settings", module: courtSettings },
  { name: "20261201_0402_sign_in", module: signIn },
  { name: "20261201_0403_rate_limits", module: rateLimits },
  { name: "20261201_0501_corrections_agents", module: correctionsAgents },
  { name: "20261201_0520_virtual_accounts", module: virtualAccounts },
  { name: "20261201_0521_money_in", module: moneyIn },
  { name: "20261201_0522_receipt_transfers", module: receiptTransfers },
  { name: "20261201_0523_payout_item_kinds", module: payoutItemKinds },
  { name: "20261201_0524_unidentified_paid_back", module: unidentifiedPaidBack },
  { name: "20261201_0540_listing_real_dates", module: listingRealDates },
  { name: "20261201_0541_case_performance", module: casePerformance },
  { name: "20261201_0542_deferral_end", module: deferralEnd },
  { name: "20261201_0543_batch_approval_levels", module: batchApprovalLevels },
  { name: "20261201_0544_receipt_local_deadline", module: receiptLocalDeadline },
  { name: "20261201_0570_audit_chains", module: auditChains },
  { name: "20261201_0502_agent_guards", module: agentGuards },
  { name: "20261201_0503_case_history_indexes", module: caseHistoryIndexes },
  { name: "20261201_0580_inspections", module: inspections },
  { name: "20261201_0581_complaint_contact", module: complaintContact },
  { name: "20261201_0600_execution_fee_items", module: executionFeeItems },
  { name: "20261201_0610_finding_proposals", module: findingProposals },
  { name: "20261201_0611_red_flag_indexes", module: redFlagIndexes },
  // Last: it fences every court table that exists by now (issue 16).
  { name: "20261201_0690_row_level_security", module: rowLevelSecurity },
  { name: "20261202_0700_court_scope_function", module: courtScopeFunction },
];
