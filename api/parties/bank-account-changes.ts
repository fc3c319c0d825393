import crypto from "node:crypto";
import type { Knex } from "knex";
import { z } from "zod";
import { withTransaction } from "../../db/transaction";
import { appendAuditEvent } from "../audit/audit-store";
import { bankAccountInput } from "../cases/cases.schemas";
import { casesStore } from "../cases/cases-store";
import type { ServiceContext } from "../cases/cases-service";
import { maskAccountNumber } from "../cases/masking";
import { requireRole } from "../http/auth";
import { assertCourtAccess } from "../core/court-scope";
import { invalidState, notFound } from "../core/errors";
import { lockPendingForApproval } from "../core/four-eyes";
import type { FeatureHandlers } from "../http/operations";
import type { Schemas } from "../core/schemas";
import { idParams, parseBody, parseParams } from "../http/validate";

/**
 * Pay only the entitled party: an applicant's bank account on file changes only when a second
 * person approves the change, so that no single clerk can redirect a payout.
 */
interface ChangeRow {
  id: string;
  court_id: string;
  case_id: string;
  party_id: string;
  bank_name: string;
  account_name: string;
  account_number: string;
  status: "pending" | "approved";
  requested_by: string;
  requested_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
}

const changeBody = z.object({ bankAccount: bankAccountInput }).strict();

function toChange(r: ChangeRow): Schemas["BankAccountChange"] {
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
  };
}

/** A fingerprint that lets an inspector compare accounts without the audit trail holding the number. */
const accountFingerprint = (accountNumber: string) => crypto.createHash("sha256").update(accountNumber).digest("hex");

export async function requestBankAccountChange(
  tx: Knex.Transaction,
  ctx: ServiceContext,
  partyId: string,
  account: z.output<typeof bankAccountInput>,
): Promise<Schemas["BankAccountChange"]> {
  const party = await casesStore.findParty(tx, partyId);
  if (!party) throw notFound("The party");
  assertCourtAccess(ctx.actor, party.court_id, "The party");
  if (party.role !== "applicant") throw invalidState("Only an applicant is paid, so only an applicant's bank account can be changed");
  const [row] = await tx("bank_account_changes")
    .insert({
      id: crypto.randomUUID(),
      court_id: party.court_id,
      case_id: party.case_id,
      party_id: partyId,
      bank_name: account.bankName,
      account_name: account.accountName,
      account_number: account.accountNumber,
      requested_by: ctx.actor.id,
    })
    .returning<ChangeRow[]>("*");
  await appendAuditEvent(tx, {
    actorId: ctx.actor.id,
    action: "bank_account_change.requested",
    entityType: "bank_account_change",
    entityId: row.id,
    courtId: row.court_id,
    requestId: ctx.requestId,
    data: {
      partyId,
      caseId: row.case_id,
      bankName: account.bankName,
      accountName: account.accountName,
      accountNumberMasked: maskAccountNumber(account.accountNumber),
      accountNumberSha256: accountFingerprint(account.accountNumber),
    },
  });
  return toChange(row);
}

export async function approveBankAccountChange(tx: Knex.Transaction, ctx: ServiceContext, id: string): Promise<Schemas["BankAccountChange"]> {
  const row = await lockPendingForApproval<ChangeRow>(tx, { table: "bank_account_changes", id, actor: ctx.actor, what: "The bank account change" });
  const previous = await tx("parties").where({ id: row.party_id }).forUpdate().first<{ bank_account_number: string | null }>("bank_account_number");
  await tx("parties")
    .where({ id: row.party_id, court_id: row.court_id })
    .update({ bank_name: row.bank_name, bank_account_name: row.account_name, bank_account_number: row.account_number });
  const [approved] = await tx("bank_account_changes")
    .where({ id })
    .update({ status: "approved", approved_by: ctx.actor.id, approved_at: tx.fn.now() })
    .returning<ChangeRow[]>("*");
  await appendAuditEvent(tx, {
    actorId: ctx.actor.id,
    action: "bank_account_change.approved",
    entityType: "bank_account_change",
    entityId: id,
    courtId: row.court_id,
    requestId: ctx.requestId,
    data: {
      partyId: row.party_id,
      requestedBy: row.requested_by,
      previousAccountNumberMasked: previous?.bank_account_number ? maskAccountNumber(previous.bank_account_number) : null,
      accountNumberMasked: maskAccountNumber(row.account_number),
      accountNumberSha256: accountFingerprint(row.account_number),
    },
  });
  return toChange(approved);
}

export const bankAccountChangeHandlers: FeatureHandlers<"requestBankAccountChange" | "approveBankAccountChange"> = {
  async requestBankAccountChange(req, res) {
    const actor = requireRole(req, "clerk");
    const { id } = parseParams(req, idParams);
    const { bankAccount } = parseBody(req, changeBody);
    const change = await withTransaction(req.ctx.db.knex, (tx) =>
      requestBankAccountChange(tx, { actor, requestId: req.ctx.requestId }, id, bankAccount),
    );
    res.status(201).json(change);
  },

  async approveBankAccountChange(req, res) {
    const actor = requireRole(req, "approver");
    const { id } = parseParams(req, idParams);
    const change = await withTransaction(req.ctx.db.knex, (tx) => approveBankAccountChange(tx, { actor, requestId: req.ctx.requestId }, id));
    res.json(change);
  },
};
