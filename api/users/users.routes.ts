import { withTransaction } from "../../db/transaction";
import { requireRole } from "../http/auth";
import { actorOf } from "../http/context";
import type { FeatureHandlers } from "../http/operations";
import { parseBody } from "../http/validate";
import { actorToUser, createUser, getUserCreatedAt } from "./users-service";
import { userCreateBody } from "./users.schemas";

export const userHandlers: FeatureHandlers<"createUser" | "getCurrentUser"> = {
  async createUser(req, res) {
    const actor = requireRole(req, "admin");
    const input = parseBody(req, userCreateBody);
    const user = await withTransaction(req.ctx.db.knex, (tx) => createUser(tx, { actor, requestId: req.ctx.requestId }, input));
    res.setHeader("Cache-Control", "no-store");
    res.status(201).json(user);
  },

  async getCurrentUser(req, res) {
    const actor = actorOf(req);
    res.json(actorToUser(actor, await getUserCreatedAt(req.ctx.db.knex, actor.id)));
  },
};
