import { requireRole } from "../http/auth";
import { actorOf } from "../http/context";
import { runIdempotent } from "../http/idempotency";
import type { FeatureHandlers } from "../http/operations";
import { idParams, parseBody, parseParams } from "../http/validate";
import { getReceipt, recordReceipt, reverseReceipt } from "./receipts-service";
import { receiptCreateBody, receiptReverseBody } from "./receipts.schemas";

export const receiptHandlers: FeatureHandlers<"createReceipt" | "getReceipt" | "reverseReceipt"> = {
  async createReceipt(req, res) {
    const actor = requireRole(req, "clerk", "finance");
    const { id } = parseParams(req, idParams);
    const input = parseBody(req, receiptCreateBody);
    await runIdempotent(req, res, async (tx) => ({
      status: 201,
      body: await recordReceipt(tx, { actor, requestId: req.ctx.requestId }, id, input),
    }));
  },

  async getReceipt(req, res) {
    const actor = actorOf(req);
    const { id } = parseParams(req, idParams);
    res.json(await getReceipt(req.ctx.db.knex, { actor, requestId: req.ctx.requestId }, id));
  },

  async reverseReceipt(req, res) {
    const actor = requireRole(req, "finance");
    const { id } = parseParams(req, idParams);
    const { reason } = parseBody(req, receiptReverseBody);
    await runIdempotent(req, res, async (tx) => ({
      status: 200,
      body: await reverseReceipt(tx, { actor, requestId: req.ctx.requestId }, id, reason),
    }));
  },
};
