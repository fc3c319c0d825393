import { withTransaction } from "../../db/transaction";
import { requireRole } from "../http/auth";
import { actorOf } from "../http/context";
import type { FeatureHandlers } from "../http/operations";
import { idParams, parseBody, parseParams, parseQuery } from "../http/validate";
import { closeCase, createCase, listCases, loadCase, presentCase } from "./cases-service";
import { caseCloseBody, caseCreateBody, caseListQuery } from "./cases.schemas";

export const caseHandlers: FeatureHandlers<"createCase" | "listCases" | "getCase" | "closeCase"> = {
  async createCase(req, res) {
    const actor = requireRole(req, "clerk");
    const input = parseBody(req, caseCreateBody);
    const created = await withTransaction(req.ctx.db.knex, (tx) => createCase(tx, { actor, requestId: req.ctx.requestId }, input));
    res.status(201).json(created);
  },

  async listCases(req, res) {
    const actor = actorOf(req);
    const query = parseQuery(req, caseListQuery);
    res.json(await listCases(req.ctx.db.knex, actor, query));
  },

  async getCase(req, res) {
    const actor = actorOf(req);
    const { id } = parseParams(req, idParams);
    const knex = req.ctx.db.knex;
    res.json(await presentCase(knex, await loadCase(knex, actor, id)));
  },

  async closeCase(req, res) {
    const actor = requireRole(req, "clerk");
    const { id } = parseParams(req, idParams);
    const input = parseBody(req, caseCloseBody);
    const closed = await withTransaction(req.ctx.db.knex, (tx) => closeCase(tx, { actor, requestId: req.ctx.requestId }, id, input));
    res.json(closed);
  },
};
