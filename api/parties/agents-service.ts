import crypto from "node:crypto";
import { loadParty } from "../cases/cases-service";
import { maskAccountNumber, maskIdNumber } from "../cases/masking";
import { courtsInScope } from "../core/court-scope";
import { validationFailed } from "../core/errors";
import { checkPendingDecision } from "../core/four-eyes";
import { keyedHash } from "../core/keyed-hash";
import type { ReadContext, WriteContext } from "../core/operation";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { agentsStore, type AgentRow } from "./agents-store";
import type { AgentCreateInput, AgentListQuery } from "./parties.schemas";

/**
 * Agents (代理人). A party's lawyer or other agent is paid the party's money only when the power
 * of attorney expressly authorises receiving it (特别授权, 执行工作规定 art. 20; (2017)最高法执监165号)
 * and a second person has seen the document and approved the record — so that no single clerk can
 * point an applicant's payout at a law firm's account with a forged form.
 */
export function toAgent(r: AgentRow): Schemas["Agent"] {
  return {
    id: r.id,
    partyId: r.party_id,
    caseId: r.case_id,
    name: r.name,
    idNumberMasked: maskIdNumber(r.id_number),
    lawFirm: r.law_firm,
    specialAuthority: r.special_authority,
    authorityDocument: { number: r.authority_number, signedOn: r.authority_signed_on },
    bankAccount:
      r.bank_account_number === null
        ? null
        : { bankName: r.bank_name ?? "", accountName: r.bank_account_name ?? "", accountNumberMasked: maskAccountNumber(r.bank_account_number) },
    status: r.status,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at.toISOString(),
    decidedBy: r.decided_by,
    decidedAt: r.decided_at?.toISOString() ?? null,
    rejectReason: r.reject_reason,
  };
}

/** What the audit trail keeps of an agent: masked numbers, and the account's keyed hash for comparison. */
function agentFacts(ctx: WriteContext, r: AgentRow): Record<string, unknown> {
  return {
    partyId: r.party_id,
    caseId: r.case_id,
    name: r.name,
    idNumberMasked: maskIdNumber(r.id_number),
    lawFirm: r.law_firm,
    specialAuthority: r.special_authority,
    authorityDocument: { number: r.authority_number, signedOn: r.authority_signed_on },
    bankAccount:
      r.bank_account_number === null
        ? null
        : {
            bankName: r.bank_name,
            accountName: r.bank_account_name,
            accountNumberMasked: maskAccountNumber(r.bank_account_number),
            accountNumberHmac: keyedHash(ctx.config.identityHashKey, "account_number", r.bank_account_number),
          },
  };
}

export async function requestAgent(ctx: WriteContext, partyId: string, input: AgentCreateInput): Promise<Schemas["Agent"]> {
  const party = await loadParty(ctx.db, ctx.actor, partyId);
  if (input.authorityDocument.signedOn > ctx.today) {
    throw validationFailed([{ path: "body.authorityDocument.signedOn", message: "must not be in the future" }], "The power of attorney cannot be signed in the future");
  }
  const row = await agentsStore.insert(ctx.db, {
    id: crypto.randomUUID(),
    court_id: party.court_id,
    case_id: party.case_id,
    party_id: party.id,
    name: input.name,
    id_number: input.idNumber ?? null,
    law_firm: input.lawFirm ?? null,
    special_authority: input.specialAuthority,
    authority_number: input.authorityDocument.number,
    authority_signed_on: input.authorityDocument.signedOn,
    bank_name: input.bankAccount?.bankName ?? null,
    bank_account_name: input.bankAccount?.accountName ?? null,
    bank_account_number: input.bankAccount?.accountNumber ?? null,
    requested_by: ctx.actor.id,
  });
  ctx.audit.record({ action: "agent.requested", entityType: "agent", entityId: row.id, courtId: row.court_id, data: agentFacts(ctx, row) });
  return toAgent(row);
}

export async function approveAgent(ctx: WriteContext, id: string): Promise<Schemas["Agent"]> {
  const agent = checkPendingDecision(await agentsStore.lock(ctx.db, id), ctx.actor, "The agent");
  const approved = await agentsStore.decide(ctx.db, id, { status: "approved", by: ctx.actor.id, reason: null });
  ctx.audit.record({
    action: "agent.approved",
    entityType: "agent",
    entityId: id,
    courtId: agent.court_id,
    data: { ...agentFacts(ctx, approved), requestedBy: agent.requested_by },
  });
  return toAgent(approved);
}

export async function rejectAgent(ctx: WriteContext, id: string, reason: string): Promise<Schemas["Agent"]> {
  const agent = checkPendingDecision(await agentsStore.lock(ctx.db, id), ctx.actor, "The agent");
  const rejected = await agentsStore.decide(ctx.db, id, { status: "rejected", by: ctx.actor.id, reason });
  ctx.audit.record({
    action: "agent.rejected",
    entityType: "agent",
    entityId: id,
    courtId: agent.court_id,
    data: { partyId: agent.party_id, caseId: agent.case_id, requestedBy: agent.requested_by, reason },
  });
  return toAgent(rejected);
}

export async function listAgents(ctx: ReadContext, query: AgentListQuery): Promise<Page<Schemas["Agent"]>> {
  const rows = await agentsStore.list(ctx.db, {
    courtIds: courtsInScope(ctx.actor, query.courtId),
    caseId: query.caseId,
    partyId: query.partyId,
    status: query.status,
    after: decodeCursor(query.cursor, ["timestamp", "uuid"]),
    limit: query.limit,
  });
  return toPage(rows, query.limit, (r) => [r.cursor_at, r.id], toAgent);
}
