import { operation, type FeatureOperations, type ReadContext } from "../core/operation";
import { idParams } from "../core/validation";
import { reportFormat } from "../reports/report-params";
import { listCourtStaff } from "./court-staff";
import { createComplaint, listComplaints, replyToComplaint } from "./complaints-service";
import { createFinding, createRectification, listFindings, verifyFinding } from "./findings-service";
import { createInspection, listInspections } from "./inspections-service";
import { acceptFindingProposal, discardFindingProposal, listFindingProposals } from "./proposals-service";
import {
  complaintCreateBody,
  complaintListQuery,
  complaintReplyBody,
  findingCreateBody,
  findingListQuery,
  findingVerifyBody,
  inspectionCreateBody,
  inspectionListQuery,
  proposalAcceptBody,
  proposalDiscardBody,
  rectificationCreateBody,
  rectificationPageQuery,
  rectificationReportQuery,
} from "./inspections.schemas";
import { reply } from "../core/reply";
import { rectificationCsv, rectificationPage, rectificationReport, rectificationXlsx, type LedgerRequest } from "./rectification-report";

/** The printable page inlines its styles: nothing else may load. */
const ledgerRequest = (ctx: ReadContext, inspectionId: string): LedgerRequest => ({ knex: ctx.db, actor: ctx.actor, inspectionId, today: ctx.today, pageRows: ctx.config.ledgerPageRows });

const PRINTABLE_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/** The court's own staff answer findings; inspectors do not rectify what they verify. */
const COURT_STAFF = ["clerk", "finance", "approver", "list_officer"] as const;

export const inspectionOperations = {
  createInspection: operation({
    roles: ["inspector"],
    writes: "transaction",
    status: 201,
    body: inspectionCreateBody,
    run: (ctx, { body }) => createInspection(ctx, body),
  }),

  listInspections: operation({
    roles: ["inspector"],
    writes: "none",
    query: inspectionListQuery,
    run: (ctx, { query }) => listInspections(ctx, query.courtId),
  }),

  createFinding: operation({
    roles: ["inspector"],
    writes: "transaction",
    status: 201,
    params: idParams,
    body: findingCreateBody,
    run: (ctx, { params, body }) => createFinding(ctx, params.id, body),
  }),

  listCourtStaff: operation({
    roles: ["inspector", "admin"],
    writes: "none",
    params: idParams,
    run: (ctx, { params }) => listCourtStaff(ctx, params.id),
  }),

  listFindingProposals: operation({
    roles: ["inspector"],
    writes: "none",
    params: idParams,
    run: (ctx, { params }) => listFindingProposals(ctx, params.id),
  }),

  acceptFindingProposal: operation({
    roles: ["inspector"],
    writes: "transaction",
    status: 201,
    params: idParams,
    body: proposalAcceptBody,
    run: (ctx, { params, body }) => acceptFindingProposal(ctx, params.id, body),
  }),

  discardFindingProposal: operation({
    roles: ["inspector"],
    writes: "transaction",
    params: idParams,
    body: proposalDiscardBody,
    run: (ctx, { params, body }) => discardFindingProposal(ctx, params.id, body),
  }),

  listFindings: operation({
    roles: ["inspector", ...COURT_STAFF],
    writes: "none",
    query: findingListQuery,
    run: (ctx, { query }) => listFindings(ctx, query),
  }),

  createRectification: operation({
    roles: COURT_STAFF,
    writes: "transaction",
    status: 201,
    params: idParams,
    body: rectificationCreateBody,
    run: (ctx, { params, body }) => createRectification(ctx, params.id, body),
  }),

  verifyFinding: operation({
    roles: ["inspector"],
    writes: "transaction",
    params: idParams,
    body: findingVerifyBody,
    run: (ctx, { params, body }) => verifyFinding(ctx, params.id, body),
  }),

  createComplaint: operation({
    roles: ["inspector", "clerk"],
    writes: "transaction",
    status: 201,
    body: complaintCreateBody,
    run: (ctx, { body }) => createComplaint(ctx, body),
  }),

  listComplaints: operation({
    roles: ["inspector", "clerk"],
    writes: "none",
    query: complaintListQuery,
    run: (ctx, { query }) => listComplaints(ctx, query),
  }),

  replyToComplaint: operation({
    roles: ["inspector", "clerk"],
    writes: "transaction",
    params: idParams,
    body: complaintReplyBody,
    run: (ctx, { params, body }) => replyToComplaint(ctx, params.id, body),
  }),

  getRectificationReport: operation({
    roles: ["inspector", "approver"],
    writes: "none",
    query: rectificationReportQuery,
    run: async (ctx, { query, accept }) => {
      const ledger = ledgerRequest(ctx, query.inspectionId);
      const format = reportFormat(accept, query.format);
      if (format === "csv") return rectificationCsv(ledger);
      if (format === "xlsx") return rectificationXlsx(ledger);
      return rectificationReport(ledger);
    },
  }),

  getRectificationReportPage: operation({
    roles: ["inspector", "approver"],
    writes: "none",
    query: rectificationPageQuery,
    run: async (ctx, { query }) => reply.html(rectificationPage(await rectificationReport(ledgerRequest(ctx, query.inspectionId))), { csp: PRINTABLE_PAGE_CSP }),
  }),
} satisfies FeatureOperations<
  | "createInspection"
  | "listInspections"
  | "createFinding"
  | "listFindings"
  | "listCourtStaff"
  | "listFindingProposals"
  | "acceptFindingProposal"
  | "discardFindingProposal"
  | "createRectification"
  | "verifyFinding"
  | "createComplaint"
  | "listComplaints"
  | "replyToComplaint"
  | "getRectificationReport"
  | "getRectificationReportPage"
>;
