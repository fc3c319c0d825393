import type { Request } from "express";
import { withTransaction } from "../../db/transaction";
import type { ServiceContext } from "../cases/cases-service";
import { requireRole } from "../http/auth";
import { actorOf } from "../http/context";
import { type Role } from "../core/actor";
import { runIdempotent } from "../http/idempotency";
import type { FeatureHandlers } from "../http/operations";
import { idParams, parseBody, parseParams, parseQuery } from "../http/validate";
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
  parseOptionalBody,
} from "./payouts.schemas";

type PayoutOperation =
  | "createPayoutBatch"
  | "listPayoutBatches"
  | "getPayoutBatch"
  | "submitPayoutBatch"
  | "approvePayoutBatch"
  | "rejectPayoutBatch"
  | "cancelPayoutBatch"
  | "getPayoutBatchPaymentFile"
  | "executePayoutBatch"
  | "returnPayoutItem";

const context = (req: Request, ...roles: Role[]): ServiceContext => ({ actor: requireRole(req, ...roles), requestId: req.ctx.requestId });

export const payoutHandlers: FeatureHandlers<PayoutOperation> = {
  async createPayoutBatch(req, res) {
    const ctx = context(req, "clerk");
    const input = parseBody(req, batchCreateBody);
    await runIdempotent(req, res, async (tx) => ({ status: 201, body: await createBatch(tx, ctx, input) }));
  },

  async listPayoutBatches(req, res) {
    const query = parseQuery(req, batchListQuery);
    res.json(await listBatches(req.ctx.db.knex, actorOf(req), query));
  },

  async getPayoutBatch(req, res) {
    const { id } = parseParams(req, idParams);
    res.json(await getBatch(req.ctx.db.knex, actorOf(req), id));
  },

  async submitPayoutBatch(req, res) {
    const ctx = context(req, "clerk");
    const { id } = parseParams(req, idParams);
    parseOptionalBody(req, batchActionBody);
    res.json(await withTransaction(req.ctx.db.knex, (tx) => submitBatch(tx, ctx, id)));
  },

  async approvePayoutBatch(req, res) {
    const ctx = context(req, "approver");
    const { id } = parseParams(req, idParams);
    parseOptionalBody(req, batchActionBody);
    res.json(await withTransaction(req.ctx.db.knex, (tx) => approveBatch(tx, ctx, id)));
  },

  async rejectPayoutBatch(req, res) {
    const ctx = context(req, "approver");
    const { id } = parseParams(req, idParams);
    const { reason } = parseBody(req, batchRejectBody);
    res.json(await withTransaction(req.ctx.db.knex, (tx) => rejectBatch(tx, ctx, id, reason)));
  },

  async cancelPayoutBatch(req, res) {
    const ctx = context(req, "clerk");
    const { id } = parseParams(req, idParams);
    const { reason } = parseOptionalBody(req, batchCancelBody);
    res.json(await withTransaction(req.ctx.db.knex, (tx) => cancelBatch(tx, ctx, id, reason ?? null)));
  },

  async getPayoutBatchPaymentFile(req, res) {
    const ctx = context(req, "finance");
    const { id } = parseParams(req, idParams);
    const file = await withTransaction(req.ctx.db.knex, (tx) => paymentFile(tx, ctx, id));
    res
      .status(200)
      .set("Content-Type", "text/csv; charset=utf-8")
      .set("Content-Disposition", `attachment; filename="${file.filename}"`)
      .set("Cache-Control", "no-store")
      .send(file.csv);
  },

  async executePayoutBatch(req, res) {
    const ctx = context(req, "finance");
    const { id } = parseParams(req, idParams);
    const input = parseBody(req, batchExecuteBody);
    await runIdempotent(req, res, async (tx) => ({ status: 200, body: await executeBatch(tx, ctx, id, input) }));
  },

  async returnPayoutItem(req, res) {
    const ctx = context(req, "finance");
    const { id, itemId } = parseParams(req, itemParams);
    const input = parseBody(req, itemReturnBody);
    await runIdempotent(req, res, async (tx) => ({ status: 200, body: await returnItem(tx, ctx, { batchId: id, itemId }, input) }));
  },
};
