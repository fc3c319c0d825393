import crypto from "node:crypto";
import type { z } from "zod";
import { loadParty } from "../cases/cases-service";
import type { bankAccountInput } from "../cases/cases.schemas";
import { maskAccountNumber } from "../cases/masking";
import { invalidState } from "../core/errors";
import { checkPendingDecision } from "../core/four-eyes";
import { keyedHash } from "../core/keyed-hash";
import type { ReadContext, WriteContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import { bankAccountChangesStore, type ChangeRow } from "./bank-account-changes-store";

/**
 * Pay only the entitled party: an applicant's bank account on file changes only when a second
 * person approves the change, so that no single clerk can redirect a payout.
 */
export function toChange(r: ChangeRow): Schemas["BankAccountChange"] {
  return {
    id: r.id,
    partyId: r.party_id,
    caseId: r.case_id,
    bankAccount: { bankName: r.bank_name, accountName: r.account_name, accountNumberMasked: maskAccountNumber(r.account_number) },
    status: r.status,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at.toISOString(),
    approvedBy: r.approved_by,
    approvedAt: r.approved_at?.toISOString() ?? null,
    rejectedBy: r.rejected_by,
    rejectedAt: r.rejected_at?.toISOString() ?? null,
    rejectReason: r.reject_reason,
  };
}

/**
 * A fingerprint that lets an inspector compare accounts without the audit trail holding the
 * number: keyed (HMAC under IDENTITY_HASH_KEY), because a plain SHA-256 of an account number is
 * reversed by trying every number of the bank's format.
 */
const accountFingerprint = (ctx: WriteContext, accountNumber: string) => keyedHash(ctx.config.identityHashKey, "account_number", accountNumber);

export async function requestBankAccountChange(
  ctx: WriteContext,
  partyId: string,
  account: z.output<typeof bankAccountInput>,
): Promise<Schemas["BankAccountChange"]> {
  const party = await loadParty(ctx.db, ctx.actor, partyId);
  if (party.role !== "applicant") throw invalidState("Only an applicant is paid, so only an applicant's bank account can be changed");
  const row = await bankAccountChangesStore.insert(ctx.db, {
    id: crypto.randomUUID(),
    court_id: party.court_id,
    case_id: party.case_id,
    party_id: partyId,
    bank_name: account.bankName,
    account_name: account.accountName,
    account_number: account.accountNumber,
    requested_by: ctx.actor.id,
    requested_at: ctx.now,
  });
  ctx.audit.record({
    action: "bank_account_change.requested",
    entityType: "bank_account_change",
    entityId: row.id,
    courtId: row.court_id,
    data: {
      partyId,
      caseId: row.case_id,
      bankName: account.bankName,
      accountName: account.accountName,
      accountNumberMasked: maskAccountNumber(account.accountNumber),
      accountNumberHmac: accountFingerprint(ctx, account.accountNumber),
    },
  });
  return toChange(row);
}

export async function approveBankAccountChange(ctx: WriteContext, id: string): Promise<Schemas["BankAccountChange"]> {
  const change = checkPendingDecision(await bankAccountChangesStore.lock(ctx.db, id), ctx.actor, "The bank account change");
  const previous = await bankAccountChangesStore.applyToParty(ctx.db, change);
  const approved = await bankAccountChangesStore.approve(ctx.db, id, { userId: ctx.actor.id, at: ctx.now });
  ctx.audit.record({
    action: "bank_account_change.approved",
    entityType: "bank_account_change",
    entityId: id,
    courtId: change.court_id,
    data: {
      partyId: change.party_id,
      requestedBy: change.requested_by,
      previousAccountNumberMasked: previous ? maskAccountNumber(previous) : null,
      accountNumberMasked: maskAccountNumber(change.account_number),
      accountNumberHmac: accountFingerprint(ctx, change.account_number),
    },
  });
  return toChange(approved);
}

/** A second person refuses the change with a reason; the account on file stays as it was. */
export async function rejectBankAccountChange(ctx: WriteContext, id: string, reason: string): Promise<Schemas["BankAccountChange"]> {
  const change = checkPendingDecision(await bankAccountChangesStore.lock(ctx.db, id), ctx.actor, "The bank account change");
  const rejected = await bankAccountChangesStore.reject(ctx.db, id, { userId: ctx.actor.id, reason });
  ctx.audit.record({
    action: "bank_account_change.rejected",
    entityType: "bank_account_change",
    entityId: id,
    courtId: change.court_id,
    data: {
      partyId: change.party_id,
      requestedBy: change.requested_by,
      reason,
      accountNumberMasked: maskAccountNumber(change.account_number),
      before: { status: change.status },
      after: { status: "rejected" },
    },
  });
  return toChange(rejected);
}

/** Changes waiting for an approver, oldest first (the approval queue). */
export async function pendingBankAccountChanges(ctx: ReadContext, courtIds: string[]): Promise<Schemas["BankAccountChange"][]> {
  return (await bankAccountChangesStore.pending(ctx.db, courtIds)).map(toChange);
}
