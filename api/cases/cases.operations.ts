import { z } from "zod";
import { operation, type FeatureOperations } from "../core/operation";
import { pageParams } from "../core/pagination";
import { idParams } from "../core/validation";
import { updateCase } from "./case-corrections";
import { getCaseHistory } from "./case-history";
import { getCaseLedger } from "./case-ledger";
import { closeCase, createCase, getCase, listCases } from "./cases-service";
import { caseCloseBody, caseCreateBody, caseListQuery, caseUpdateBody } from "./cases.schemas";

export const caseOperations = {
  createCase: operation({
    roles: ["clerk"],
    writes: "transaction",
    status: 201,
    body: caseCreateBody,
    run: (ctx, { body }) => createCase(ctx, body),
  }),

  listCases: operation({
    roles: "any",
    writes: "none",
    query: caseListQuery,
    run: (ctx, { query }) => listCases(ctx, query),
  }),

  getCase: operation({
    roles: "any",
    writes: "none",
    params: idParams,
    run: (ctx, { params }) => getCase(ctx, params.id),
  }),

  updateCase: operation({
    roles: ["clerk"],
    writes: "transaction",
    params: idParams,
    body: caseUpdateBody,
    run: (ctx, { params, body }) => updateCase(ctx, params.id, body),
  }),

  getCaseHistory: operation({
    roles: ["clerk", "finance", "approver", "inspector"],
    writes: "none",
    params: idParams,
    query: z.object({ ...pageParams }).strict(),
    run: (ctx, { params, query }) => getCaseHistory(ctx, params.id, query),
  }),

  getCaseLedger: operation({
    roles: "any",
    writes: "none",
    params: idParams,
    query: z.object({ ...pageParams }).strict(),
    run: (ctx, { params, query }) => getCaseLedger(ctx, params.id, query),
  }),

  closeCase: operation({
    roles: ["clerk"],
    writes: "transaction",
    params: idParams,
    body: caseCloseBody,
    run: (ctx, { params, body }) => closeCase(ctx, params.id, body),
  }),
} satisfies FeatureOperations<"createCase" | "listCases" | "getCase" | "updateCase" | "getCaseHistory" | "getCaseLedger" | "closeCase">;
