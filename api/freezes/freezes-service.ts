import crypto from "node:crypto";
import type { Knex } from "knex";
import { addDays, addYears, daysBetween } from "../core/dates";
import { assertCourtAccess, courtsInScope } from "../core/court-scope";
import { invalidState, notFound, validationFailed } from "../core/errors";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { loadCase, partyOfCase } from "../cases/cases-service";
import { formatMoney, moneyToDb } from "../core/money";
import type { ReadContext, WriteContext } from "../core/operation";
import type { AssetType, FreezeCreateInput, FreezeListQuery } from "./freezes.schemas";
import { freezesStore, type FreezeView, type RenewalRow } from "./freezes-store";

/**
 * Judicial freezes lapse at the end of their term unless renewed before then. Maximum terms (the
 * Supreme People's Court's interpretation of the Civil Procedure Law, and its rules on sealing,
 * seizing and freezing property in civil enforcement): bank deposits 1 year, movables 2 years,
 * real estate and other property rights 3 years; a renewal, made before expiry, may not exceed them.
 */
export const MAX_TERM_YEARS: Record<AssetType, number> = { bank_deposit: 1, movable: 2, real_estate: 3, other: 3 };

type FreezeStatus = Schemas["Freeze"]["status"];

function statusOf(f: { status: "active" | "released"; expires_on: string }, today: string): FreezeStatus {
  if (f.status === "released") return "released";
  return today > f.expires_on ? "lapsed" : "active";
}

export function toFreeze(f: FreezeView, renewals: RenewalRow[], today: string): Schemas["Freeze"] {
  const status = statusOf(f, today);
  return {
    id: f.id,
    courtId: f.court_id,
    caseId: f.case_id,
    caseNumber: f.case_number,
    partyId: f.party_id,
    partyName: f.party_name,
    assetType: f.asset_type,
    description: f.description,
    institution: f.institution,
    amount: f.amount === null ? null : formatMoney(f.amount),
    frozenOn: f.frozen_on,
    expiresOn: f.expires_on,
    maxRenewalExpiresOn: status === "active" ? addYears(f.expires_on, MAX_TERM_YEARS[f.asset_type]) : null,
    status,
    daysUntilExpiry: status === "active" ? daysBetween(today, f.expires_on) : null,
    releasedOn: f.released_on,
    renewals: renewals.map((r) => ({
      id: r.id,
      renewedOn: r.renewed_on,
      previousExpiresOn: r.previous_expires_on,
      expiresOn: r.expires_on,
      renewedBy: r.created_by,
    })),
    createdAt: f.created_at.toISOString(),
    createdBy: f.created_by,
  };
}

async function present(knex: Knex, id: string, today: string): Promise<Schemas["Freeze"]> {
  const f = await freezesStore.find(knex, id);
  if (!f) throw notFound("The freeze");
  return toFreeze(f, await freezesStore.renewalsOf(knex, [id]), today);
}

function audit(ctx: WriteContext, f: { id: string; court_id: string }, action: string, data: Record<string, unknown>): void {
  ctx.audit.record({ action, entityType: "freeze", entityId: f.id, courtId: f.court_id, data });
}

export async function createFreeze(ctx: WriteContext, caseId: string, input: FreezeCreateInput): Promise<Schemas["Freeze"]> {
  const tx = ctx.db;
  const c = await loadCase(tx, ctx.actor, caseId);
  const party = await partyOfCase(tx, c, input.partyId);
  if (party?.role !== "debtor") throw validationFailed([{ path: "body.partyId", message: "must be a debtor of this case: only a debtor's assets are frozen" }]);
  if (input.frozenOn > ctx.today) throw validationFailed([{ path: "body.frozenOn", message: "must not be in the future" }]);
  const maxYears = MAX_TERM_YEARS[input.assetType];
  const latest = addYears(input.frozenOn, maxYears);
  const expiresOn = input.expiresOn ?? latest;
  if (expiresOn <= input.frozenOn || expiresOn > latest) {
    throw validationFailed([
      { path: "body.expiresOn", message: `must be after frozenOn and at most ${maxYears} year(s) later (${latest}) for ${input.assetType}` },
    ]);
  }
  if (c.status !== "open") throw invalidState("The case is closed: no new freeze can be recorded");
  const id = crypto.randomUUID();
  await freezesStore.insert(tx, {
    id,
    court_id: c.court_id,
    case_id: c.id,
    party_id: party.id,
    asset_type: input.assetType,
    description: input.description,
    institution: input.institution ?? null,
    amount: input.amount === undefined ? null : moneyToDb(input.amount),
    frozen_on: input.frozenOn,
    expires_on: expiresOn,
    created_by: ctx.actor.id,
  });
  const freeze = await present(tx, id, ctx.today);
  audit(ctx, { id, court_id: c.court_id }, "freeze.created", {
    caseId: c.id,
    partyId: party.id,
    assetType: input.assetType,
    amount: freeze.amount,
    frozenOn: input.frozenOn,
    expiresOn,
  });
  return freeze;
}

async function lockOpen(ctx: WriteContext, id: string, what: string) {
  const tx = ctx.db;
  const f = await freezesStore.lock(tx, id);
  if (!f) throw notFound("The freeze");
  assertCourtAccess(ctx.actor, f.court_id, "The freeze");
  const status = statusOf(f, ctx.today);
  if (status === "released") throw invalidState(`The freeze was released on ${f.released_on}: there is nothing to ${what}`);
  if (status === "lapsed") throw invalidState(`The freeze lapsed after ${f.expires_on}: it can no longer be ${what}d; record a new freeze`);
  return f;
}

/** Renewal (续行冻结) only before expiry; the new term, counted from the current expiry, may not exceed the maximum. */
export async function renewFreeze(ctx: WriteContext, id: string, expiresOn: string): Promise<Schemas["Freeze"]> {
  const tx = ctx.db;
  const f = await lockOpen(ctx, id, "renew");
  const maxYears = MAX_TERM_YEARS[f.asset_type];
  const latest = addYears(f.expires_on, maxYears);
  if (expiresOn <= f.expires_on || expiresOn > latest) {
    throw validationFailed([
      { path: "body.expiresOn", message: `must be after the current expiry ${f.expires_on} and at most ${maxYears} year(s) later (${latest})` },
    ]);
  }
  await freezesStore.extend(tx, {
    id: crypto.randomUUID(),
    court_id: f.court_id,
    freeze_id: id,
    previous_expires_on: f.expires_on,
    expires_on: expiresOn,
    renewed_on: ctx.today,
    created_by: ctx.actor.id,
  });
  const freeze = await present(tx, id, ctx.today);
  audit(ctx, f, "freeze.renewed", { previousExpiresOn: f.expires_on, expiresOn, renewedOn: ctx.today });
  return freeze;
}

export async function releaseFreeze(ctx: WriteContext, id: string, releasedOn: string): Promise<Schemas["Freeze"]> {
  const tx = ctx.db;
  const f = await lockOpen(ctx, id, "release");
  if (releasedOn > ctx.today || releasedOn < f.frozen_on) {
    throw validationFailed([{ path: "body.releasedOn", message: `must be between frozenOn (${f.frozen_on}) and today` }]);
  }
  await freezesStore.release(tx, id, { released_on: releasedOn, released_by: ctx.actor.id });
  const freeze = await present(tx, id, ctx.today);
  audit(ctx, f, "freeze.released", { releasedOn });
  return freeze;
}

export async function getFreeze(ctx: ReadContext, id: string): Promise<Schemas["Freeze"]> {
  const f = await freezesStore.find(ctx.db, id);
  if (!f) throw notFound("The freeze");
  assertCourtAccess(ctx.actor, f.court_id, "The freeze");
  return toFreeze(f, await freezesStore.renewalsOf(ctx.db, [id]), ctx.today);
}

export async function listFreezes(ctx: ReadContext, query: FreezeListQuery): Promise<Page<Schemas["Freeze"]>> {
  const knex = ctx.db;
  const rows = await freezesStore.list(knex, {
    courtIds: courtsInScope(ctx.actor, query.courtId),
    caseId: query.caseId,
    status: query.status,
    expiringBy: query.expiringWithinDays === undefined ? undefined : addDays(ctx.today, query.expiringWithinDays),
    today: ctx.today,
    after: decodeCursor(query.cursor, ["date", "uuid"]),
    limit: query.limit + 1,
  });
  const renewals = await freezesStore.renewalsOf(
    knex,
    rows.map((r) => r.id),
  );
  return toPage(
    rows,
    query.limit,
    (r) => [r.expires_on, r.id],
    (r) => toFreeze(r, renewals.filter((x) => x.freeze_id === r.id), ctx.today),
  );
}
