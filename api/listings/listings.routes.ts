import type { Request } from "express";
import { withTransaction } from "../../db/transaction";
import { todayInChina } from "../core/dates";
import { requireRole } from "../http/auth";
import { actorOf } from "../http/context";
import { type Role } from "../core/actor";
import type { FeatureHandlers } from "../http/operations";
import { idParams, parseBody, parseParams, parseQuery } from "../http/validate";
import { approveRemoval, rejectRemoval, requestRemoval } from "./listing-removal-service";
import {
  listingCreateBody,
  listingListQuery,
  objectionCreateBody,
  objectionDecisionBody,
  publicationCreateBody,
  publicationParams,
  publicationWithdrawBody,
  removalRejectBody,
  removalRequestBody,
} from "./listings.schemas";
import { createListing, getListing, listListings, type ListingContext } from "./listings-service";
import { publishListing, withdrawPublication } from "./publications-service";
import { decideObjection, recordObjection } from "./objections-service";

function context(req: Request, ...roles: Role[]): ListingContext {
  const actor = roles.length > 0 ? requireRole(req, ...roles) : actorOf(req);
  return { actor, requestId: req.ctx.requestId, today: todayInChina() };
}

export const listingHandlers: FeatureHandlers<
  | "createListing"
  | "listListings"
  | "getListing"
  | "publishListing"
  | "withdrawPublication"
  | "requestListingRemoval"
  | "approveListingRemoval"
  | "rejectListingRemoval"
  | "recordObjection"
  | "decideObjection"
> = {
  async createListing(req, res) {
    const ctx = context(req, "list_officer");
    const input = parseBody(req, listingCreateBody);
    res.status(201).json(await withTransaction(req.ctx.db.knex, (tx) => createListing(tx, ctx, input)));
  },

  async listListings(req, res) {
    const ctx = context(req);
    const query = parseQuery(req, listingListQuery);
    res.json(await listListings(req.ctx.db.knex, ctx, query));
  },

  async getListing(req, res) {
    const ctx = context(req);
    const { id } = parseParams(req, idParams);
    res.json(await getListing(req.ctx.db.knex, ctx, id));
  },

  async publishListing(req, res) {
    const ctx = context(req, "list_officer");
    const { id } = parseParams(req, idParams);
    const input = parseBody(req, publicationCreateBody);
    res.status(201).json(await withTransaction(req.ctx.db.knex, (tx) => publishListing(tx, ctx, id, input)));
  },

  async withdrawPublication(req, res) {
    const ctx = context(req, "list_officer");
    const ids = parseParams(req, publicationParams);
    const input = parseBody(req, publicationWithdrawBody);
    res.json(await withTransaction(req.ctx.db.knex, (tx) => withdrawPublication(tx, ctx, ids, input)));
  },

  async requestListingRemoval(req, res) {
    const ctx = context(req, "list_officer");
    const { id } = parseParams(req, idParams);
    const input = parseBody(req, removalRequestBody);
    res.json(await withTransaction(req.ctx.db.knex, (tx) => requestRemoval(tx, ctx, id, input)));
  },

  async approveListingRemoval(req, res) {
    const ctx = context(req, "approver");
    const { id } = parseParams(req, idParams);
    res.json(await withTransaction(req.ctx.db.knex, (tx) => approveRemoval(tx, ctx, id)));
  },

  async rejectListingRemoval(req, res) {
    const ctx = context(req, "approver");
    const { id } = parseParams(req, idParams);
    const { reason } = parseBody(req, removalRejectBody);
    res.json(await withTransaction(req.ctx.db.knex, (tx) => rejectRemoval(tx, ctx, id, reason)));
  },

  async recordObjection(req, res) {
    const ctx = context(req, "list_officer");
    const { id } = parseParams(req, idParams);
    const input = parseBody(req, objectionCreateBody);
    res.status(201).json(await withTransaction(req.ctx.db.knex, (tx) => recordObjection(tx, ctx, id, input)));
  },

  async decideObjection(req, res) {
    const ctx = context(req, "approver");
    const { id } = parseParams(req, idParams);
    const input = parseBody(req, objectionDecisionBody);
    res.json(await withTransaction(req.ctx.db.knex, (tx) => decideObjection(tx, ctx, id, input)));
  },
};
