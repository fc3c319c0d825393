import type { Knex } from "knex";
import { maskAccountNumber } from "../cases/masking";
import type { Schemas } from "../core/schemas";
import { formatMoney, moneyFromDb, ZERO, type Money } from "../core/money";
import { nameMismatch } from "./name-check";
import { payoutsStore, type BatchRow, type ItemRow, type ItemStatus, type StatusTotal } from "./payouts-store";

const ITEM_STATUSES: ItemStatus[] = ["pending", "paid", "failed", "returned"];
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function toItem(r: ItemRow): Schemas["PayoutItem"] {
  return {
    id: r.id,
    line: r.position + 1,
    kind: r.kind ?? "applicant",
    refundReason: r.refund_reason ?? null,
    caseId: r.case_id,
    partyId: r.party_id,
    agentId: r.agent_id,
    amount: formatMoney(r.amount),
    status: r.status,
    payee:
      r.payee_account_number === null
        ? null
        : {
            name: r.payee_name ?? "",
            bankName: r.payee_bank_name ?? "",
            accountName: r.payee_account_name ?? "",
            accountNumberMasked: maskAccountNumber(r.payee_account_number),
            nameMismatch: nameMismatch(r.payee_name, r.payee_account_name),
          },
    bankReference: r.bank_reference,
    failureReason: r.failure_reason,
    returnedOn: r.returned_on,
    returnReason: r.return_reason,
  };
}

function toTotals(b: BatchRow, byStatus: Map<ItemStatus, { items: number; amount: Money }>): Schemas["PayoutTotals"] {
  const part = (s: ItemStatus) => {
    const t = byStatus.get(s);
    return { items: t?.items ?? 0, amount: formatMoney(t?.amount ?? ZERO) };
  };
  return {
    items: b.item_count,
    cases: b.case_count,
    amount: formatMoney(b.total_amount),
    pending: part("pending"),
    paid: part("paid"),
    failed: part("failed"),
    returned: part("returned"),
  };
}

export function toSummary(b: BatchRow, byStatus: Map<ItemStatus, { items: number; amount: Money }>): Schemas["PayoutBatchSummary"] {
  return {
    id: b.id,
    courtId: b.court_id,
    status: b.status,
    note: b.note,
    totals: toTotals(b, byStatus),
    createdBy: b.created_by,
    createdAt: b.created_at.toISOString(),
    submittedBy: b.submitted_by,
    submittedAt: iso(b.submitted_at),
    approvedBy: b.approved_by,
    approvedAt: iso(b.approved_at),
    rejectedBy: b.rejected_by,
    rejectedAt: iso(b.rejected_at),
    rejectReason: b.reject_reason,
    cancelledBy: b.cancelled_by,
    cancelledAt: iso(b.cancelled_at),
    cancelReason: b.cancel_reason,
    executedBy: b.executed_by,
    executedAt: iso(b.executed_at),
    paidOn: b.paid_on,
  };
}

export function totalsByStatus(items: Pick<ItemRow, "status" | "amount">[]): Map<ItemStatus, { items: number; amount: Money }> {
  const result = new Map<ItemStatus, { items: number; amount: Money }>();
  for (const i of items) {
    const t = result.get(i.status) ?? { items: 0, amount: ZERO };
    result.set(i.status, { items: t.items + 1, amount: t.amount.plus(moneyFromDb(i.amount)) });
  }
  return result;
}

export function toBatch(b: BatchRow, items: ItemRow[]): Schemas["PayoutBatch"] {
  const { totals, ...summary } = toSummary(b, totalsByStatus(items));
  // Approval levels (issue 14): how many the batch needs, and each one given.
  const approvals = (Array.isArray(b.approval_trail) ? b.approval_trail : []).map((a) => ({ level: a.level, approvedBy: a.approvedBy, approvedAt: a.approvedAt }));
  return { ...summary, totals, requiredApprovals: b.required_approvals ?? null, approvals, items: items.map(toItem) };
}

export async function presentBatch(knex: Knex, b: BatchRow): Promise<Schemas["PayoutBatch"]> {
  return toBatch(b, await payoutsStore.itemsOf(knex, b.id));
}

export async function presentSummaries(knex: Knex, batches: BatchRow[]): Promise<Schemas["PayoutBatchSummary"][]> {
  const totals = await payoutsStore.statusTotals(knex, batches.map((b) => b.id));
  const byBatch = new Map<string, StatusTotal[]>();
  for (const t of totals) byBatch.set(t.batch_id, [...(byBatch.get(t.batch_id) ?? []), t]);
  return batches.map((b) => {
    const map = new Map<ItemStatus, { items: number; amount: Money }>();
    for (const t of byBatch.get(b.id) ?? []) {
      if (ITEM_STATUSES.includes(t.status)) map.set(t.status, { items: Number(t.items), amount: moneyFromDb(t.amount) });
    }
    return toSummary(b, map);
  });
}
