import crypto from "node:crypto";
import type { WriteContext } from "../core/operation";
import { conflict, invalidState, notFound, validationFailed } from "../core/errors";
import type { Listing } from "./listing-presenter";
import { effectiveStatus } from "./listing-rules";
import type { PublicationCreateInput } from "./listings.schemas";
import { listingsStore } from "./listings-store";
import { checkRealDate } from "./real-dates";
import { auditOf, dateError, isUniqueViolation, loadListing, presentListing } from "./listings-service";

/**
 * Where a listing was published (court website, national portal, new media, newspaper…) and when
 * each publication was withdrawn. A removed or expired listing must be withdrawn from every one.
 */
export async function publishListing(ctx: WriteContext, id: string, input: PublicationCreateInput): Promise<Listing> {
  const tx = ctx.db;
  const l = await loadListing(tx, ctx.actor, id);
  const locked = await listingsStore.lock(tx, id);
  const status = effectiveStatus(locked!.status, l.expires_on, ctx.today);
  // An expired listing may still get a publication recorded late, if it was made during the term.
  const duringTerm = status === "expired" && l.expires_on !== null && input.publishedOn <= l.expires_on;
  if (status !== "active" && !duringTerm) {
    throw invalidState(`The listing is ${status}: only an active listing can be published (an expired one only with a date within its term)`);
  }
  checkRealDate({ path: "body.publishedOn", date: input.publishedOn, today: ctx.today, notBefore: { date: l.decided_on, what: "the listing decision" }, note: { value: input.note, path: "body.note" } });
  const publicationId = crypto.randomUUID();
  try {
    await listingsStore.insertPublication(tx, {
      id: publicationId,
      court_id: l.court_id,
      listing_id: id,
      channel: input.channel,
      published_on: input.publishedOn,
      reference: input.reference ?? null,
      note: input.note ?? null,
      created_by: ctx.actor.id,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`The listing is already published on ${input.channel} and not withdrawn`);
    throw err;
  }
  const listing = await presentListing(tx, id, ctx.today);
  ctx.audit.record(...[
    auditOf(l, "listing.published", { publicationId, channel: input.channel, publishedOn: input.publishedOn, reference: input.reference ?? null, note: input.note ?? null }),
  ]);
  return listing;
}

export async function withdrawPublication(ctx: WriteContext, ids: { id: string; publicationId: string },
  input: { withdrawnOn: string },
): Promise<Listing> {
  const tx = ctx.db;
  const l = await loadListing(tx, ctx.actor, ids.id);
  await listingsStore.lock(tx, ids.id);
  const pub = await listingsStore.findPublication(tx, ids.id, ids.publicationId);
  if (!pub) throw notFound("The publication");
  if (pub.withdrawn_on !== null) throw invalidState(`The publication was already withdrawn on ${pub.withdrawn_on}`);
  if (input.withdrawnOn > ctx.today) throw dateError("body.withdrawnOn", "must not be in the future");
  if (input.withdrawnOn < pub.published_on) {
    throw validationFailed([{ path: "body.withdrawnOn", message: `must not be before publishedOn (${pub.published_on})` }], "A publication cannot be withdrawn before it was published");
  }
  await listingsStore.withdrawPublication(tx, pub.id, { withdrawn_on: input.withdrawnOn, withdrawn_by: ctx.actor.id });
  const listing = await presentListing(tx, ids.id, ctx.today);
  ctx.audit.record(...[
    auditOf(l, "listing.publication_withdrawn", { publicationId: pub.id, channel: pub.channel, withdrawnOn: input.withdrawnOn }),
  ]);
  return listing;
}
