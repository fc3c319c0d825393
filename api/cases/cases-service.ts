import crypto from "node:crypto";
import type { Knex } from "knex";
import { together, type Statement } from "../../db/prepared";
import { assertCourtAccess, courtsInScope } from "../core/court-scope";
import type { Actor } from "../core/actor";
import { conflict, invalidState, notFound, validationFailed } from "../core/errors";
import type { ReadContext, WriteContext } from "../core/operation";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { lockBalances, overdueByCase } from "../ledger/postings";
import { formatMoney, moneyFromDb, moneyToDb, ZERO, MoneyDecimal, type Money } from "../core/money";
import { keyedHash } from "../core/keyed-hash";
import type { Config } from "../config";
import type { CaseCreateInput, PartyInput } from "./cases.schemas";
import { casesStore, type CaseWithBalance, type PartyRow } from "./cases-store";
import { maskAccountNumber, maskIdNumber, normaliseCaseNumber } from "./masking";

export function toParty(p: PartyRow): Schemas["Party"] {
  return {
    id: p.id,
    role: p.role,
    name: p.name,
    kind: p.kind,
    idNumberMasked: maskIdNumber(p.id_number),
    bankAccount:
      p.bank_account_number === null
        ? null
        : { bankName: p.bank_name ?? "", accountName: p.bank_account_name ?? "", accountNumberMasked: maskAccountNumber(p.bank_account_number) },
  };
}

export function toBalances(c: CaseWithBalance): Schemas["Balances"] {
  const received = moneyFromDb(c.balance.received);
  const held = moneyFromDb(c.balance.held);
  const reserved = moneyFromDb(c.balance.reserved);
  const outstanding = MoneyDecimal.max(ZERO, moneyFromDb(c.adjudicated_amount).minus(received));
  return {
    received: formatMoney(received),
    disbursed: formatMoney(c.balance.disbursed),
    held: formatMoney(held),
    reserved: formatMoney(reserved),
    available: formatMoney(held.minus(reserved)),
    outstanding: formatMoney(outstanding),
  };
}

export function toCase(c: CaseWithBalance, parties: PartyRow[], overdue: Money): Schemas["Case"] {
  return {
    id: c.id,
    courtId: c.court_id,
    caseNumber: c.case_number,
    virtualAccountNumber: c.virtual_account_number ?? null,
    cause: c.cause,
    filedOn: c.filed_on,
    adjudicatedAmount: formatMoney(c.adjudicated_amount),
    performBy: c.perform_by,
    status: c.status,
    closureType: c.closure_type as Schemas["Case"]["closureType"],
    closedOn: c.closed_on,
    parties: parties.map(toParty),
    balances: toBalances(c),
    overdueAmount: formatMoney(overdue),
    fullyPerformedOn: c.balance.fully_performed_on,
    createdAt: c.created_at.toISOString(),
    createdBy: c.created_by,
  };
}

/** Reads a party the actor may see, or 404 (also for another court's party). */
export async function loadParty(knex: Knex, actor: Actor, id: string): Promise<PartyRow> {
  const p = await casesStore.findParty(knex, id);
  if (!p) throw notFound("The party");
  assertCourtAccess(actor, p.court_id, "The party");
  return p;
}

/** A party of the given case, or undefined (the case has been checked already). */
export async function partyOfCase(knex: Knex, c: { id: string; court_id: string }, partyId: string): Promise<PartyRow | undefined> {
  const p = await casesStore.findParty(knex, partyId);
  return p && p.case_id === c.id && p.court_id === c.court_id ? p : undefined;
}

/** Reads a case the actor may see, or 404 (also for another court's case). */
export async function loadCase(knex: Knex, actor: Actor, id: string): Promise<CaseWithBalance> {
  const c = await casesStore.find(knex, id);
  if (!c) throw notFound("The case");
  assertCourtAccess(actor, c.court_id, "The case");
  return c;
}

/** `loadCase` with the case's balance row locked, in one statement (money moving into the case). */
export async function loadCaseLocked(tx: Knex.Transaction, actor: Actor, id: string): Promise<CaseWithBalance> {
  return accessibleCase(actor, await casesStore.findWithBalanceLocked(tx, id));
}

/**
 * loadCaseLocked, with other statements that need only the case's id sent in the same round trip
 * (a receipt's court settings): their rows, in order.
 */
export async function loadCaseLockedWith(tx: Knex.Transaction, actor: Actor, id: string, alongside: readonly Statement[]): Promise<{ c: CaseWithBalance; alongside: Record<string, unknown>[][] }> {
  const [caseRows, ...others] = await together(tx, [casesStore.withBalanceLockedStatement(id), ...alongside]);
  return { c: accessibleCase(actor, casesStore.lockedCaseOf(caseRows)), alongside: others };
}

function accessibleCase(actor: Actor, c: CaseWithBalance | undefined): CaseWithBalance {
  if (!c) throw notFound("The case");
  assertCourtAccess(actor, c.court_id, "The case");
  return c;
}

export async function presentCases(knex: Knex, cases: CaseWithBalance[], today: string): Promise<Schemas["Case"][]> {
  const parties = await casesStore.partiesOf(knex, cases);
  const overdue = await overdueByCase(knex, cases.map((c) => c.id), today);
  return cases.map((c) => toCase(c, parties.get(c.id) ?? [], overdue.get(c.id) ?? ZERO));
}

export async function presentCase(knex: Knex, c: CaseWithBalance, today: string): Promise<Schemas["Case"]> {
  return (await presentCases(knex, [c], today))[0];
}

export async function getCase(ctx: ReadContext, id: string): Promise<Schemas["Case"]> {
  return presentCase(ctx.db, await loadCase(ctx.db, ctx.actor, id), ctx.today);
}

/** The keyed hash of an id number (what search by id compares), or null without one. */
export function idNumberHash(config: Pick<Config, "identityHashKey">, idNumber: string | null): string | null {
  return idNumber === null ? null : keyedHash(config.identityHashKey, "id_number", idNumber);
}

/** A new party's row; `position` orders the parties of a case. */
export function partyRow(config: Pick<Config, "identityHashKey">, c: { courtId: string; caseId: string }, p: PartyInput & { role: PartyRow["role"] }, position: number): PartyRow {
  const idNumber = p.idNumber ?? null;
  return {
    id: crypto.randomUUID(),
    court_id: c.courtId,
    case_id: c.caseId,
    role: p.role,
    name: p.name,
    kind: p.kind,
    id_number: idNumber,
    id_number_hash: idNumberHash(config, idNumber),
    bank_name: p.bankAccount?.bankName ?? null,
    bank_account_name: p.bankAccount?.accountName ?? null,
    bank_account_number: p.bankAccount?.accountNumber ?? null,
    position,
  };
}

function partyRows(config: Config, courtId: string, caseId: string, input: CaseCreateInput): PartyRow[] {
  const all = [
    ...input.applicants.map((p) => ({ ...p, role: "applicant" as const })),
    ...input.debtors.map((p) => ({ ...p, role: "debtor" as const })),
  ];
  return all.map((p, position) => partyRow(config, { courtId, caseId }, p, position));
}

/** `q` looks like a full id number or unified social credit code: worth a keyed-hash lookup. */
const ID_NUMBER_LIKE = /^[0-9A-Za-z-]{6,64}$/;

export async function createCase(ctx: WriteContext, input: CaseCreateInput): Promise<Schemas["Case"]> {
  const tx = ctx.db;
  assertCourtAccess(ctx.actor, input.courtId, "The court");
  if (input.filedOn > ctx.today) {
    throw validationFailed([{ path: "body.filedOn", message: "must not be in the future" }], "filedOn is in the future");
  }
  const id = crypto.randomUUID();
  const inserted = await casesStore.insertCase(tx, {
    id,
    court_id: input.courtId,
    case_number: input.caseNumber,
    case_number_key: normaliseCaseNumber(input.caseNumber),
    cause: input.cause,
    filed_on: input.filedOn,
    adjudicated_amount: moneyToDb(input.adjudicatedAmount),
    perform_by: input.performBy ?? null,
    created_by: ctx.actor.id,
  });
  if (!inserted) throw conflict(`Case ${input.caseNumber} already exists in this court`);
  const parties = partyRows(ctx.config, input.courtId, id, input);
  await casesStore.insertParties(tx, parties);
  ctx.audit.record({
    action: "case.created",
    entityType: "case",
    entityId: id,
    courtId: input.courtId,
    data: {
      caseNumber: input.caseNumber,
      cause: input.cause,
      filedOn: input.filedOn,
      adjudicatedAmount: formatMoney(input.adjudicatedAmount),
      performBy: input.performBy ?? null,
      parties: parties.map(toParty),
    },
  });
  const created = await casesStore.find(tx, id);
  if (!created) throw new Error("the case just created is missing");
  return presentCase(tx, created, ctx.today);
}

export async function listCases(
  ctx: ReadContext,
  query: { courtId?: string; status?: string; caseNumber?: string; q?: string; limit: number; cursor?: string },
): Promise<Page<Schemas["Case"]>> {
  const knex = ctx.db;
  const rows = await casesStore.list(knex, {
    courtIds: courtsInScope(ctx.actor, query.courtId),
    status: query.status,
    caseNumberKey: query.caseNumber,
    q: query.q,
    qIdNumberHash: query.q !== undefined && ID_NUMBER_LIKE.test(query.q) ? (idNumberHash(ctx.config, query.q) ?? undefined) : undefined,
    after: decodeCursor(query.cursor, ["timestamp", "uuid"]),
    limit: query.limit,
  });
  const page = toPage(rows, query.limit, (r) => [r.cursor_at, r.id], (r) => r);
  return { data: await presentCases(knex, page.data, ctx.today), nextCursor: page.nextCursor };
}

export async function closeCase(
  ctx: WriteContext,
  caseId: string,
  input: { closureType: Schemas["CaseClose"]["closureType"]; closedOn: string },
): Promise<Schemas["Case"]> {
  const tx = ctx.db;
  await loadCase(tx, ctx.actor, caseId); // 404 before taking any lock
  // The balance row is the case's lock: a receipt racing this close waits, then sees "closed".
  await lockBalances(tx, [caseId]);
  const c = await loadCase(tx, ctx.actor, caseId);
  if (c.status !== "open") throw invalidState("The case is already closed");
  if (input.closedOn > ctx.today || input.closedOn < c.filed_on) {
    throw validationFailed([{ path: "body.closedOn", message: "must lie between the filing date and today" }], "closedOn must lie between filedOn and today");
  }
  if (!moneyFromDb(c.balance.held).isZero()) {
    throw invalidState(`The case still holds ${formatMoney(c.balance.held)} yuan: pay it out (or reverse a mistaken receipt) before closing`);
  }
  if (input.closureType === "fully_performed" && c.balance.fully_performed_on === null) {
    throw invalidState("The case is not fully performed: receipts have not reached the adjudicated amount");
  }
  await casesStore.close(tx, caseId, input);
  ctx.audit.record({
    action: "case.closed",
    entityType: "case",
    entityId: caseId,
    courtId: c.court_id,
    data: { closureType: input.closureType, closedOn: input.closedOn },
  });
  return presentCase(tx, { ...c, status: "closed", closure_type: input.closureType, closed_on: input.closedOn }, ctx.today);
}

/** The parties table belongs to cases: the parties feature writes it through these. */
export const partyRecords = {
  nextPosition: (tx: Knex.Transaction, c: { id: string; court_id: string }) => casesStore.nextPartyPosition(tx, c),
  insert: (tx: Knex.Transaction, row: PartyRow) => casesStore.insertParties(tx, [row]),
  lock: (tx: Knex.Transaction, id: string) => casesStore.lockParty(tx, id),
  update: (tx: Knex.Transaction, id: string, patch: Parameters<typeof casesStore.updateParty>[2]) => casesStore.updateParty(tx, id, patch),
  references: (knex: Knex, p: { id: string; court_id: string }) => casesStore.partyReferences(knex, p),
  remove: (tx: Knex.Transaction, id: string) => casesStore.deleteParty(tx, id),
  ofCase: async (knex: Knex, c: { id: string; court_id: string }) => (await casesStore.partiesOf(knex, [c])).get(c.id) ?? [],
};
