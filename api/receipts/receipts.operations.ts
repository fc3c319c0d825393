import { operation, type FeatureOperations } from "../core/operation";
import { idParams } from "../core/validation";
import { approveTransfer, rejectTransfer, requestTransfer } from "./receipt-transfers";
import { getReceipt, listReceipts, recordReceipt, reverseReceipt } from "./receipts-service";
import { receiptCreateBody, receiptListQuery, receiptReverseBody, transferCreateBody, transferRejectBody } from "./receipts.schemas";

export const receiptOperations = {
  createReceipt: operation({
    roles: ["clerk", "finance"],
    writes: "idempotent",
    status: 201,
    params: idParams,
    body: receiptCreateBody,
    run: (ctx, { params, body }) => recordReceipt(ctx, params.id, body),
  }),

  getReceipt: operation({
    roles: "any",
    writes: "none",
    params: idParams,
    run: (ctx, { params }) => getReceipt(ctx, params.id),
  }),

  listReceipts: operation({
    roles: ["finance", "clerk", "approver", "inspector"],
    writes: "none",
    query: receiptListQuery,
    run: (ctx, { query }) => listReceipts(ctx, query),
  }),

  reverseReceipt: operation({
    roles: ["finance"],
    writes: "idempotent",
    params: idParams,
    body: receiptReverseBody,
    run: (ctx, { params, body }) => reverseReceipt(ctx, params.id, body.reason),
  }),

  requestReceiptTransfer: operation({
    roles: ["finance"],
    writes: "idempotent",
    status: 201,
    params: idParams,
    body: transferCreateBody,
    run: (ctx, { params, body }) => requestTransfer(ctx, params.id, body),
  }),

  approveReceiptTransfer: operation({
    roles: ["approver"],
    writes: "idempotent",
    params: idParams,
    run: (ctx, { params }) => approveTransfer(ctx, params.id),
  }),

  rejectReceiptTransfer: operation({
    roles: ["approver"],
    writes: "transaction",
    params: idParams,
    body: transferRejectBody,
    run: (ctx, { params, body }) => rejectTransfer(ctx, params.id, body.reason),
  }),
} satisfies FeatureOperations<"createReceipt" | "getReceipt" | "listReceipts" | "reverseReceipt" | "requestReceiptTransfer" | "approveReceiptTransfer" | "rejectReceiptTransfer">;
