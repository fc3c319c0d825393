import type { Knex } from "knex";
import { daysBetween } from "../core/dates";
import { formatMoney } from "../core/money";
import type { Schemas } from "../core/schemas";
import { nameMismatch } from "../payouts/name-check";
import { inReportTransaction } from "./export";
import {
  ACCOUNT_CHANGE_SQL,
  ACCOUNT_CHANGE_WINDOW_DAYS,
  NAME_MISMATCH_SQL,
  OVERDUE_HELD_SQL,
  QUICK_APPROVAL_MINUTES,
  QUICK_APPROVAL_SQL,
  SELF_REVERSAL_SQL,
  UNENTITLED_SQL,
  type AccountChangeRow,
  type NameMismatchRow,
  type OverdueHeldRow,
  type QuickApprovalRow,
  type SelfReversalRow,
  type UnentitledRow,
} from "./red-flags-sql";

export type RedFlag = Schemas["RedFlag"];
export type RedFlagKind = RedFlag["kind"];
export type RedFlagReport = Schemas["RedFlagReport"];
type RecordRef = RedFlag["records"][number];

export const RED_FLAG_KINDS: readonly RedFlagKind[] = [
  "payout_after_account_change",
  "account_name_mismatch",
  "unentitled_payout",
  "overdue_held",
  "receipt_reversed_by_recorder",
  "batch_approved_quickly",
];

/** At most this many flags of one kind are listed; `truncated` says which kinds had more. */
export const FLAGS_PER_KIND_LIMIT = 2000;

export interface RedFlagParams {
  courtIds: string[];
  from: string;
  to: string;
  today: string;
}

const ref = (type: RecordRef["type"], id: string): RecordRef => ({ type, id });
const yuan = (amount: string) => formatMoney(amount);

/** A kind's rows, at most `limit`; one more is asked for, to tell whether the list was cut. */
async function rows<T>(knex: Knex, sql: string, bindings: Record<string, unknown>, limit: number): Promise<{ rows: T[]; truncated: boolean }> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`not a limit: ${limit}`);
  const res = await knex.raw<{ rows: T[] }>(`${sql} LIMIT ${limit + 1}`, bindings as Knex.ValueDict);
  return { rows: res.rows.slice(0, limit), truncated: res.rows.length > limit };
}

const paidItemRecords = (r: { item_id: string; batch_id: string; case_id: string; party_id: string }): RecordRef[] => [
  ref("payout_item", r.item_id),
  ref("batch", r.batch_id),
  ref("case", r.case_id),
  ref("party", r.party_id),
];

function accountChangeFlag(r: AccountChangeRow): RedFlag {
  const days = daysBetween(r.changed_on, r.paid_on);
  return {
    kind: "payout_after_account_change",
    courtId: r.court_id,
    on: r.paid_on,
    amount: yuan(r.amount),
    explanation: {
      zh: `${r.paid_on}向该当事人发放${yuan(r.amount)}元，距其银行账户变更（${r.changed_on}批准）仅${days}天。`,
      en: `${yuan(r.amount)} yuan was paid on ${r.paid_on}, ${days} days after the payee's bank account was changed (approved on ${r.changed_on}).`,
    },
    records: [...paidItemRecords(r), ref("user", r.requested_by), ref("user", r.approved_by)],
  };
}

function nameFlag(r: NameMismatchRow): RedFlag {
  return {
    kind: "account_name_mismatch",
    courtId: r.court_id,
    on: r.paid_on,
    amount: yuan(r.amount),
    explanation: {
      zh: `${r.paid_on}发放${yuan(r.amount)}元，收款人“${r.payee_name}”与收款账户户名“${r.payee_account_name}”不符。`,
      en: `${yuan(r.amount)} yuan was paid on ${r.paid_on} to an account named "${r.payee_account_name}", which is not the payee "${r.payee_name}".`,
    },
    records: paidItemRecords(r),
  };
}

function unentitledFlag(r: UnentitledRow): RedFlag {
  const why =
    r.agent_id !== null && !r.agent_entitled
      ? { zh: "未经批准或无特别授权代为收款的代理人", en: "an agent without approved special authority to collect" }
      : r.kind === "refund"
        ? { zh: "申请执行人（退款应退还被执行人）", en: "an applicant as a refund, which goes back to a debtor" }
        : { zh: "并非申请执行人的当事人（被执行人）", en: "a party who is not an applicant (a debtor)" };
  return {
    kind: "unentitled_payout",
    courtId: r.court_id,
    on: r.paid_on,
    amount: yuan(r.amount),
    explanation: {
      zh: `${r.paid_on}发放${yuan(r.amount)}元给${why.zh}。`,
      en: `${yuan(r.amount)} yuan was paid on ${r.paid_on} to ${why.en}.`,
    },
    records: paidItemRecords(r),
  };
}

function overdueFlag(r: OverdueHeldRow, asOf: string): RedFlag {
  const days = Number(r.days_overdue);
  return {
    kind: "overdue_held",
    courtId: r.court_id,
    on: r.disburse_by,
    amount: yuan(r.still_held),
    explanation: {
      zh: `${r.received_on}到账的案款尚有${yuan(r.still_held)}元未发放，已超过${r.disburse_by}的发放期限${days}天（截至${asOf}），且无经批准的延期发放。`,
      en: `${yuan(r.still_held)} yuan received on ${r.received_on} was still held on ${asOf}, ${days} days past its deadline ${r.disburse_by}, with no approved deferral.`,
    },
    records: [ref("receipt", r.receipt_id), ref("case", r.case_id)],
  };
}

function selfReversalFlag(r: SelfReversalRow): RedFlag {
  return {
    kind: "receipt_reversed_by_recorder",
    courtId: r.court_id,
    on: r.reversed_on,
    amount: yuan(r.amount),
    explanation: {
      zh: `${r.reversed_on}一笔${yuan(r.amount)}元的到账记录被其登记人本人冲销。`,
      en: `A receipt of ${yuan(r.amount)} yuan was reversed on ${r.reversed_on} by the person who recorded it.`,
    },
    records: [ref("receipt", r.receipt_id), ref("case", r.case_id), ref("user", r.user_id)],
  };
}

function quickApprovalFlag(r: QuickApprovalRow): RedFlag {
  return {
    kind: "batch_approved_quickly",
    courtId: r.court_id,
    on: r.approved_on,
    amount: yuan(r.total_amount),
    explanation: {
      zh: `发放批次（合计${yuan(r.total_amount)}元）提交后${r.minutes}分钟即获批准（少于${QUICK_APPROVAL_MINUTES}分钟）。`,
      en: `A payout batch of ${yuan(r.total_amount)} yuan was approved ${r.minutes} minutes after its submission (under ${QUICK_APPROVAL_MINUTES} minutes).`,
    },
    records: [ref("batch", r.batch_id), ref("user", r.submitted_by), ref("user", r.approved_by)],
  };
}

/** The day the overdue position is taken on: the period's last day, or today while it runs on. */
export const overdueAsOf = (p: { to: string; today: string }) => (p.to < p.today ? p.to : p.today);

/** The flags of the given kinds, one query per kind, on `knex` (a snapshot or the caller's transaction). */
export async function collectFlags(knex: Knex, p: RedFlagParams, kinds: readonly RedFlagKind[] = RED_FLAG_KINDS): Promise<RedFlag[]> {
  return (await findFlags(knex, p, kinds)).flags;
}

/**
 * The flags of the given kinds, at most `limit` of each, and the kinds whose list was cut there:
 * a count of exactly the limit must not read as "this is all there is".
 */
export async function findFlags(
  knex: Knex,
  p: RedFlagParams,
  kinds: readonly RedFlagKind[] = RED_FLAG_KINDS,
  limit = FLAGS_PER_KIND_LIMIT,
): Promise<{ flags: RedFlag[]; truncated: RedFlagKind[] }> {
  const asOf = overdueAsOf(p);
  const b = { courtIds: p.courtIds, from: p.from, to: p.to, asOf };
  const wanted = new Set(kinds);
  const flags: RedFlag[] = [];
  const truncated: RedFlagKind[] = [];
  const take = async <T>(kind: RedFlagKind, sql: string): Promise<T[]> => {
    const found = await rows<T>(knex, sql, b, limit);
    if (found.truncated) truncated.push(kind);
    return found.rows;
  };
  if (wanted.has("payout_after_account_change")) flags.push(...(await take<AccountChangeRow>("payout_after_account_change", ACCOUNT_CHANGE_SQL)).map(accountChangeFlag));
  if (wanted.has("account_name_mismatch")) flags.push(...(await take<NameMismatchRow>("account_name_mismatch", NAME_MISMATCH_SQL)).filter((r) => nameMismatch(r.payee_name, r.payee_account_name)).map(nameFlag));
  if (wanted.has("unentitled_payout")) flags.push(...(await take<UnentitledRow>("unentitled_payout", UNENTITLED_SQL)).map(unentitledFlag));
  if (wanted.has("overdue_held")) flags.push(...(await take<OverdueHeldRow>("overdue_held", OVERDUE_HELD_SQL)).map((r) => overdueFlag(r, asOf)));
  if (wanted.has("receipt_reversed_by_recorder")) flags.push(...(await take<SelfReversalRow>("receipt_reversed_by_recorder", SELF_REVERSAL_SQL)).map(selfReversalFlag));
  if (wanted.has("batch_approved_quickly")) flags.push(...(await take<QuickApprovalRow>("batch_approved_quickly", QUICK_APPROVAL_SQL)).map(quickApprovalFlag));
  return { flags, truncated };
}

/** Every red flag of the courts in the period, in one read-only snapshot. */
export async function redFlagReport(db: Knex, p: RedFlagParams, limit = FLAGS_PER_KIND_LIMIT): Promise<RedFlagReport> {
  const { flags, truncated } = await inReportTransaction(db, (knex) => findFlags(knex, p, RED_FLAG_KINDS, limit));
  const counts = Object.fromEntries(RED_FLAG_KINDS.map((k) => [k, flags.filter((f) => f.kind === k).length])) as RedFlagReport["counts"];
  return {
    from: p.from,
    to: p.to,
    courtIds: p.courtIds,
    rules: { accountChangeWindowDays: ACCOUNT_CHANGE_WINDOW_DAYS, quickApprovalMinutes: QUICK_APPROVAL_MINUTES, overdueAsOf: overdueAsOf(p), limitPerKind: limit },
    counts,
    truncated: Object.fromEntries(RED_FLAG_KINDS.map((k) => [k, truncated.includes(k)])) as RedFlagReport["truncated"],
    flags,
    generatedAt: new Date().toISOString(),
  };
}
