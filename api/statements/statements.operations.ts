import { operation, type FeatureOperations } from "../core/operation";
import { idParams } from "../core/validation";
import { paymentNotice } from "./payment-notice";
import { importStatement } from "./statement-import";
import { createMapping, listStatementLines } from "./statements-service";
import { mappingCreateBody, statementImportQuery, statementLinesQuery, uploadBody } from "./statements.schemas";

export const statementOperations = {
  /**
   * A `transaction`, not `idempotent`: the file's SHA-256 is its idempotency key (the same file
   * again answers the first import), and a client cannot be asked to replay a 20 MB body.
   */
  importBankStatement: operation({
    roles: ["finance"],
    writes: "transaction",
    query: statementImportQuery,
    body: uploadBody,
    run: (ctx, { query, body }) => importStatement(ctx, query, body),
  }),

  getCasePaymentNotice: operation({
    roles: "any",
    writes: "none",
    params: idParams,
    run: (ctx, { params }) => paymentNotice(ctx, params.id),
  }),

  listBankStatementLines: operation({
    roles: ["finance", "approver", "inspector"],
    writes: "none",
    params: idParams,
    query: statementLinesQuery,
    run: (ctx, { params, query }) => listStatementLines(ctx, params.id, query),
  }),

  createBankStatementMapping: operation({
    roles: ["finance"],
    writes: "transaction",
    status: 201,
    body: mappingCreateBody,
    run: (ctx, { body }) => createMapping(ctx, body),
  }),
} satisfies FeatureOperations<"getCasePaymentNotice" | "importBankStatement" | "listBankStatementLines" | "createBankStatementMapping">;
