import { withTransaction } from "../../db/transaction";
import { requireRole } from "../http/auth";
import { actorOf } from "../http/context";
import type { FeatureHandlers } from "../http/operations";
import { parseBody, parseQuery } from "../http/validate";
import { createCourt, listCourts } from "./courts-service";
import { courtCreateBody, courtListQuery } from "./courts.schemas";

export const courtHandlers: FeatureHandlers<"createCourt" | "listCourts"> = {
  async createCourt(req, res) {
    const actor = requireRole(req, "admin");
    const input = parseBody(req, courtCreateBody);
    const court = await withTransaction(req.ctx.db.knex, (tx) => createCourt(tx, { actor, requestId: req.ctx.requestId }, input));
    res.status(201).json(court);
  },

  async listCourts(req, res) {
    const actor = actorOf(req);
    const query = parseQuery(req, courtListQuery);
    res.json(await listCourts(req.ctx.db.knex, actor, query));
  },
};
