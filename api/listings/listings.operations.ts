import { operation, type FeatureOperations } from "../core/operation";
import { idParams } from "../core/validation";
import { approveRemoval, rejectRemoval, requestRemoval } from "./listing-removal-service";
import {
  listingCreateBody,
  listingListQuery,
  objectionCreateBody,
  objectionDecisionBody,
  publicationCreateBody,
  publicationParams,
  publicationWithdrawBody,
  removalApproveBody,
  removalRejectBody,
  removalRequestBody,
} from "./listings.schemas";
import { createListing, getListing, listListings } from "./listings-service";
import { decideObjection, recordObjection } from "./objections-service";
import { publishListing, withdrawPublication } from "./publications-service";

export const listingOperations = {
  createListing: operation({
    roles: ["list_officer"],
    writes: "transaction",
    status: 201,
    body: listingCreateBody,
    run: (ctx, { body }) => createListing(ctx, body),
  }),

  listListings: operation({
    roles: "any",
    writes: "none",
    query: listingListQuery,
    run: (ctx, { query }) => listListings(ctx, query),
  }),

  getListing: operation({
    roles: "any",
    writes: "none",
    params: idParams,
    run: (ctx, { params }) => getListing(ctx, params.id),
  }),

  publishListing: operation({
    roles: ["list_officer"],
    writes: "transaction",
    status: 201,
    params: idParams,
    body: publicationCreateBody,
    run: (ctx, { params, body }) => publishListing(ctx, params.id, body),
  }),

  withdrawPublication: operation({
    roles: ["list_officer"],
    writes: "transaction",
    params: publicationParams,
    body: publicationWithdrawBody,
    run: (ctx, { params, body }) => withdrawPublication(ctx, params, body),
  }),

  requestListingRemoval: operation({
    roles: ["list_officer"],
    writes: "transaction",
    params: idParams,
    body: removalRequestBody,
    run: (ctx, { params, body }) => requestRemoval(ctx, params.id, body),
  }),

  approveListingRemoval: operation({
    roles: ["approver"],
    writes: "transaction",
    params: idParams,
    body: removalApproveBody,
    bodyOptional: true,
    run: (ctx, { params, body }) => approveRemoval(ctx, params.id, body),
  }),

  rejectListingRemoval: operation({
    roles: ["approver"],
    writes: "transaction",
    params: idParams,
    body: removalRejectBody,
    run: (ctx, { params, body }) => rejectRemoval(ctx, params.id, body.reason),
  }),

  recordObjection: operation({
    roles: ["list_officer"],
    writes: "transaction",
    status: 201,
    params: idParams,
    body: objectionCreateBody,
    run: (ctx, { params, body }) => recordObjection(ctx, params.id, body),
  }),

  decideObjection: operation({
    roles: ["approver"],
    writes: "transaction",
    params: idParams,
    body: objectionDecisionBody,
    run: (ctx, { params, body }) => decideObjection(ctx, params.id, body),
  }),
} satisfies FeatureOperations<
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
>;
