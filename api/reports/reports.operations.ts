import { operation, type FeatureOperations } from "../core/operation";
import { reply } from "../core/reply";
import { debtorListCsv, debtorListReport, debtorListXlsx } from "./debtor-list";
import { disbursementsCsv, disbursementsPage, disbursementsXlsx } from "./disbursements-export";
import { disbursementReport } from "./disbursements-service";
import { proofPack } from "./proof-pack";
import { proofPackBody, verifyProofPack } from "./proof-verify";
import { heldFundsCsv, heldFundsReport, heldFundsXlsx } from "./held-funds";
import { redFlagReport } from "./red-flags";
import { redFlagsCsv, redFlagsXlsx } from "./red-flags-export";
import { redFlagsPage } from "./red-flags-page";
import { asOfQuery, pageQuery, periodQuery, reportCourts, reportFormat } from "./report-params";

/** The printable page inlines its styles and draws its chart as SVG: nothing else may load. */
const PRINTABLE_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export const reportOperations = {
  getDisbursementReportPage: operation({
    roles: ["approver", "inspector"],
    writes: "none",
    query: pageQuery,
    run: async (ctx, { query }) => {
      const params = { courtIds: reportCourts(ctx.actor, query.courtId), from: query.from, to: query.to, today: ctx.today, now: ctx.now };
      return reply.html(await disbursementsPage(ctx.db, params), { csp: PRINTABLE_PAGE_CSP });
    },
  }),

  getDisbursementReport: operation({
    roles: ["approver", "inspector"],
    writes: "none",
    query: periodQuery,
    run: async (ctx, { query, accept }) => {
      const format = reportFormat(accept, query.format);
      const params = { courtIds: reportCourts(ctx.actor, query.courtId), from: query.from, to: query.to };
      if (format === "csv") return disbursementsCsv(ctx.db, params);
      if (format === "xlsx") return disbursementsXlsx(ctx.db, params);
      return disbursementReport(ctx.db, params);
    },
  }),

  getDisbursementProofPack: operation({
    roles: ["approver", "inspector"],
    writes: "none",
    query: pageQuery,
    run: (ctx, { query }) => proofPack(ctx.db, { courtIds: reportCourts(ctx.actor, query.courtId), from: query.from, to: query.to }, ctx.config.identityHashKey),
  }),

  verifyDisbursementProofPack: operation({
    roles: ["approver", "inspector"],
    writes: "none",
    body: proofPackBody,
    run: (ctx, { body }) => verifyProofPack(ctx.db, ctx.actor, body, ctx.config.identityHashKey, ctx.now),
  }),

  getHeldFundsReport: operation({
    roles: ["approver", "inspector", "finance"],
    writes: "none",
    query: asOfQuery,
    run: async (ctx, { query, accept }) => {
      const format = reportFormat(accept, query.format);
      const params = { courtIds: reportCourts(ctx.actor, query.courtId), asOf: query.asOf ?? ctx.today };
      if (format === "csv") return heldFundsCsv(ctx.db, params);
      if (format === "xlsx") return heldFundsXlsx(ctx.db, params);
      return heldFundsReport(ctx.db, params);
    },
  }),

  getDebtorListReport: operation({
    roles: ["approver", "inspector"],
    writes: "none",
    query: periodQuery,
    run: async (ctx, { query, accept }) => {
      const format = reportFormat(accept, query.format);
      const params = { courtIds: reportCourts(ctx.actor, query.courtId), from: query.from, to: query.to, today: ctx.today, batchRows: ctx.config.scanRows.debtorList };
      if (format === "csv") return debtorListCsv(ctx.db, params);
      if (format === "xlsx") return debtorListXlsx(ctx.db, params);
      return debtorListReport(ctx.db, params);
    },
  }),

  getRedFlagReport: operation({
    roles: ["inspector", "approver"],
    writes: "none",
    query: periodQuery,
    run: async (ctx, { query, accept }) => {
      const format = reportFormat(accept, query.format);
      const params = { courtIds: reportCourts(ctx.actor, query.courtId), from: query.from, to: query.to, today: ctx.today };
      if (format === "csv") return redFlagsCsv(ctx.db, params);
      if (format === "xlsx") return redFlagsXlsx(ctx.db, params);
      return redFlagReport(ctx.db, params);
    },
  }),

  getRedFlagReportPage: operation({
    roles: ["inspector", "approver"],
    writes: "none",
    query: pageQuery,
    run: async (ctx, { query }) => {
      const params = { courtIds: reportCourts(ctx.actor, query.courtId), from: query.from, to: query.to, today: ctx.today, now: ctx.now };
      return reply.html(await redFlagsPage(ctx.db, params), { csp: PRINTABLE_PAGE_CSP });
    },
  }),
} satisfies FeatureOperations<"getDisbursementReport" | "getDisbursementReportPage" | "getDisbursementProofPack" | "verifyDisbursementProofPack" | "getHeldFundsReport" | "getDebtorListReport" | "getRedFlagReport" | "getRedFlagReportPage">;
