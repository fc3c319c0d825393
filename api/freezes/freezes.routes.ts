import type { Request } from "express";
import { withTransaction } from "../../db/transaction";
import { todayInChina } from "../core/dates";
import { requireRole } from "../http/auth";
import { actorOf } from "../http/context";
import type { FeatureHandlers } from "../http/operations";
import { idParams, parseBody, parseParams, parseQuery } from "../http/validate";
import { createFreeze, getFreeze, listFreezes, releaseFreeze, renewFreeze, type FreezeContext } from "./freezes-service";
import { freezeCreateBody, freezeListQuery, freezeReleaseBody, freezeRenewBody } from "./freezes.schemas";

function context(req: Request, write: boolean): FreezeContext {
  const actor = write ? requireRole(req, "clerk") : actorOf(req);
  return { actor, requestId: req.ctx.requestId, today: todayInChina() };
}

export const freezeHandlers: FeatureHandlers<"createFreeze" | "listFreezes" | "getFreeze" | "renewFreeze" | "releaseFreeze"> = {
  async createFreeze(req, res) {
    const ctx = context(req, true);
    const { id } = parseParams(req, idParams);
    const input = parseBody(req, freezeCreateBody);
    res.status(201).json(await withTransaction(req.ctx.db.knex, (tx) => createFreeze(tx, ctx, id, input)));
  },

  async listFreezes(req, res) {
    const ctx = context(req, false);
    res.json(await listFreezes(req.ctx.db.knex, ctx, parseQuery(req, freezeListQuery)));
  },

  async getFreeze(req, res) {
    const ctx = context(req, false);
    const { id } = parseParams(req, idParams);
    res.json(await getFreeze(req.ctx.db.knex, ctx, id));
  },

  async renewFreeze(req, res) {
    const ctx = context(req, true);
    const { id } = parseParams(req, idParams);
    const { expiresOn } = parseBody(req, freezeRenewBody);
    res.json(await withTransaction(req.ctx.db.knex, (tx) => renewFreeze(tx, ctx, id, expiresOn)));
  },

  async releaseFreeze(req, res) {
    const ctx = context(req, true);
    const { id } = parseParams(req, idParams);
    const { releasedOn } = parseBody(req, freezeReleaseBody);
    res.json(await withTransaction(req.ctx.db.knex, (tx) => releaseFreeze(tx, ctx, id, releasedOn)));
  },
};
