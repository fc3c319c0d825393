import crypto from "node:crypto";
import type { PartyCreateInput, PartyUpdateInput } from "../cases/cases.schemas";
import { idNumberHash, loadCase, loadParty, partyRecords, partyRow, presentCase, toParty } from "../cases/cases-service";
import { maskAccountNumber, maskIdNumber } from "../cases/masking";
import { invalidState, validationFailed } from "../core/errors";
import { keyedHash } from "../core/keyed-hash";
import type { WriteContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import { bankAccountChangesStore } from "./bank-account-changes-store";

/**
 * A party found after filing (a co-debtor, a second applicant). Its bank account, if given, is not
 * on file at once: it waits as a bank account change for a second person, exactly like a change of
 * an existing party's account — otherwise adding an "applicant" with one's own account would be a
 * one-person way to money.
 */
export async function addParty(ctx: WriteContext, caseId: string, input: PartyCreateInput): Promise<Schemas["Party"]> {
  const tx = ctx.db;
  const c = await loadCase(tx, ctx.actor, caseId);
  if (c.status !== "open") throw invalidState("The case is closed: no party can be added");
  const position = await partyRecords.nextPosition(tx, c);
  const row = partyRow(ctx.config, { courtId: c.court_id, caseId: c.id }, { ...input, bankAccount: undefined }, position);
  await partyRecords.insert(tx, row);
  let changeId: string | null = null;
  if (input.bankAccount) {
    const change = await bankAccountChangesStore.insert(tx, {
      id: crypto.randomUUID(),
      court_id: c.court_id,
      case_id: c.id,
      party_id: row.id,
      bank_name: input.bankAccount.bankName,
      account_name: input.bankAccount.accountName,
      account_number: input.bankAccount.accountNumber,
      requested_by: ctx.actor.id,
      requested_at: ctx.now,
    });
    changeId = change.id;
    ctx.audit.record({
      action: "bank_account_change.requested",
      entityType: "bank_account_change",
      entityId: change.id,
      courtId: c.court_id,
      data: {
        partyId: row.id,
        caseId: c.id,
        bankName: change.bank_name,
        accountName: change.account_name,
        accountNumberMasked: maskAccountNumber(change.account_number),
        accountNumberHmac: keyedHash(ctx.config.identityHashKey, "account_number", change.account_number),
      },
    });
  }
  const party = toParty(row);
  ctx.audit.record({
    action: "party.added",
    entityType: "party",
    entityId: row.id,
    courtId: c.court_id,
    data: { caseId: c.id, party, bankAccountChangeId: changeId },
  });
  return party;
}

type Change = { before: unknown; after: unknown };

/**
 * Corrections of a party as typed (name, kind, id number), with a reason; the audit event keeps
 * each field's before and after, the id number masked. The role is not corrected (a wrong role is a
 * different party: add the right one), nor the bank account (four eyes: bank-account-changes).
 */
export async function updateParty(ctx: WriteContext, id: string, input: PartyUpdateInput): Promise<Schemas["Party"]> {
  const tx = ctx.db;
  await loadParty(tx, ctx.actor, id); // 404, also for another court's party
  const p = await partyRecords.lock(tx, id);
  if (!p) throw new Error(`party ${id} vanished under its lock`);
  const changes: Record<string, Change> = {};
  const patch: Parameters<typeof partyRecords.update>[2] = {};
  if (input.name !== undefined && input.name !== p.name) {
    patch.name = input.name;
    changes.name = { before: p.name, after: input.name };
  }
  if (input.kind !== undefined && input.kind !== p.kind) {
    patch.kind = input.kind;
    changes.kind = { before: p.kind, after: input.kind };
  }
  if (input.idNumber !== undefined && input.idNumber !== p.id_number) {
    patch.id_number = input.idNumber;
    patch.id_number_hash = idNumberHash(ctx.config, input.idNumber);
    // Masked, as everywhere else: the trail never holds a full id number, nor a plain digest of one.
    changes.idNumber = { before: maskIdNumber(p.id_number), after: maskIdNumber(input.idNumber) };
  }
  if (Object.keys(changes).length === 0) {
    throw validationFailed([{ path: "body", message: "every value given is the one on record: nothing to correct" }], "Nothing to correct");
  }
  const updated = await partyRecords.update(tx, id, patch);
  ctx.audit.record({
    action: "party.corrected",
    entityType: "party",
    entityId: id,
    courtId: p.court_id,
    data: { caseId: p.case_id, role: p.role, reason: input.reason, changes },
  });
  return toParty(updated);
}

const isForeignKeyViolation = (err: unknown) => (err as { code?: string } | null)?.code === "23503";

/**
 * Removes a party recorded by mistake. Only a party nothing hangs on: once money was paid to it
 * (or set aside for it), it was listed, its assets frozen, an agent or a bank account change
 * recorded, the party is part of the evidence and can only be corrected. The case keeps at least
 * one applicant and one debtor. The audit event keeps what the party was, masked.
 */
export async function removeParty(ctx: WriteContext, id: string, reason: string): Promise<Schemas["Case"]> {
  const tx = ctx.db;
  const found = await loadParty(tx, ctx.actor, id);
  const c = await loadCase(tx, ctx.actor, found.case_id);
  const p = await partyRecords.lock(tx, id);
  if (!p) throw new Error(`party ${id} vanished under its lock`);
  if (c.status !== "open") throw invalidState("The case is closed: its parties can no longer be removed");
  const refs = await partyRecords.references(tx, p);
  if (Object.keys(refs).length > 0) {
    const named = Object.entries(refs).map(([what, n]) => `${n} ${what}`).join(", ");
    throw invalidState(`The party is named by ${named}: it can only be corrected, not removed`);
  }
  const sameRole = (await partyRecords.ofCase(tx, c)).filter((x) => x.role === p.role);
  if (sameRole.length <= 1) throw invalidState(`The case would have no ${p.role}: add the right one first, or correct this one`);
  try {
    // A savepoint, so that a record this check does not know of (another feature's table) refuses cleanly.
    await tx.transaction((sp) => partyRecords.remove(sp, id));
  } catch (err) {
    if (isForeignKeyViolation(err)) throw invalidState("The party is named by other records: it can only be corrected, not removed");
    throw err;
  }
  ctx.audit.record({
    action: "party.removed",
    entityType: "party",
    entityId: id,
    courtId: p.court_id,
    data: { caseId: p.case_id, reason, party: toParty(p) },
  });
  return presentCase(tx, c, ctx.today);
}
