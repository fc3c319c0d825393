import { operation, type FeatureOperations } from "../core/operation";
import { reply } from "../core/reply";
import { idParams } from "../core/validation";
import { paymentFile } from "./payment-file";
import { executeBatch, returnItem } from "./payouts-execution";
import { approveBatch, cancelBatch, createBatch, getBatch, listBatches, rejectBatch, submitBatch } from "./payouts-service";
import {
  batchActionBody,
  batchCancelBody,
  batchCreateBody,
  batchExecuteBody,
  batchListQuery,
  batchRejectBody,
  itemParams,
  itemReturnBody,
} from "./payouts.schemas";
import { batchTransferExport } from "./batch-transfer-export";
import { batchTransferQuery } from "./payouts.schemas";

export const payoutOperations = {
  createPayoutBatch: operation({
    roles: ["clerk"],
    writes: "idempotent",
    status: 201,
    body: batchCreateBody,
    run: (ctx, { body }) => createBatch(ctx, body),
  }),

  listPayoutBatches: operation({
    roles: "any",
    writes: "none",
    query: batchListQuery,
    run: (ctx, { query }) => listBatches(ctx, query),
  }),

  getPayoutBatch: operation({
    roles: "any",
    writes: "none",
    params: idParams,
    run: (ctx, { params }) => getBatch(ctx, params.id),
  }),

  submitPayoutBatch: operation({
    roles: ["clerk"],
    writes: "transaction",
    params: idParams,
    body: batchActionBody,
    bodyOptional: true,
    run: (ctx, { params }) => submitBatch(ctx, params.id),
  }),

  approvePayoutBatch: operation({
    roles: ["approver"],
    writes: "transaction",
    params: idParams,
    body: batchActionBody,
    bodyOptional: true,
    run: (ctx, { params }) => approveBatch(ctx, params.id),
  }),

  rejectPayoutBatch: operation({
    roles: ["approver"],
    writes: "transaction",
    params: idParams,
    body: batchRejectBody,
    run: (ctx, { params, body }) => rejectBatch(ctx, params.id, body.reason),
  }),

  cancelPayoutBatch: operation({
    roles: ["clerk"],
    writes: "transaction",
    params: idParams,
    body: batchCancelBody,
    bodyOptional: true,
    run: (ctx, { params, body }) => cancelBatch(ctx, params.id, body.reason ?? null),
  }),

  getPayoutBatchPaymentFile: operation({
    roles: ["finance"],
    // Every download of full account numbers is audited, so this read is a write.
    writes: "transaction",
    params: idParams,
    run: async (ctx, { params }) => {
      const file = await paymentFile(ctx, params.id);
      return reply.file(file.csv, { contentType: "text/csv; charset=utf-8", filename: file.filename, headers: { "Cache-Control": "no-store" } });
    },
  }),

  // Issue 13: the bank's own batch-transfer layout, XLSX with text account numbers or guarded CSV.
  getPayoutBatchTransferFile: operation({
    roles: ["finance"],
    writes: "transaction",
    params: idParams,
    query: batchTransferQuery,
    run: async (ctx, { params, query }) => {
      const file = await batchTransferExport(ctx, params.id, { format: query.format ?? "xlsx", encoding: query.encoding });
      return reply.file(file.buffer, { contentType: file.contentType, filename: file.filename, headers: { "Cache-Control": "no-store" } });
    },
  }),

  executePayoutBatch: operation({
    roles: ["finance"],
    writes: "idempotent",
    params: idParams,
    body: batchExecuteBody,
    run: (ctx, { params, body }) => executeBatch(ctx, params.id, body),
  }),

  returnPayoutItem: operation({
    roles: ["finance"],
    writes: "idempotent",
    params: itemParams,
    body: itemReturnBody,
    run: (ctx, { params, body }) => returnItem(ctx, { batchId: params.id, itemId: params.itemId }, body),
  }),
} satisfies FeatureOperations<
  | "createPayoutBatch"
  | "listPayoutBatches"
  | "getPayoutBatch"
  | "submitPayoutBatch"
  | "approvePayoutBatch"
  | "rejectPayoutBatch"
  | "cancelPayoutBatch"
  | "getPayoutBatchPaymentFile"
  | "getPayoutBatchTransferFile"
  | "executePayoutBatch"
  | "returnPayoutItem"
>;
