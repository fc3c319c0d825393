import type { Knex } from "knex";
import { maskAccountNumber } from "../cases/masking";
import { conflict, notFound, validationFailed } from "../core/errors";
import { formatMoney, moneyFromDb, type Money } from "../core/money";
import type { ReadContext, WriteContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import { refreshPerformanceSet } from "../ledger/performance";
import { courtSettingsStore, type CourtSettingsChange, type CourtSettingsRow } from "./court-settings-store";
import type { CourtUpdateInput } from "./courts.schemas";

/**
 * A court's settings as the rules read them (money as Decimal). A court that never changed a
 * setting has the defaults: no master account, no prefix, the statutory deadline only, three
 * working days to claim unidentified money, one approval, no execution fee collected.
 */
export interface CourtSettings {
  masterAccount: { bankName: string; accountName: string; accountNumber: string } | null;
  /** The court's fee account (诉讼费专户), which execution fee items pay (issue 14). */
  feeAccount: { bankName: string; accountName: string; accountNumber: string } | null;
  virtualAccountPrefix: string | null;
  disbursementDeadlines: { upTo: Money | null; days: number; kind: "calendar" | "working" }[];
  unidentifiedClaimWorkingDays: number;
  approvalLevels: { above: Money; levels: number }[];
  chargeExecutionFee: boolean;
}

export const DEFAULT_CLAIM_WORKING_DAYS = 3;

function fromRow(r: CourtSettingsRow | undefined): CourtSettings {
  return {
    masterAccount:
      r?.master_account_number && r.master_bank_name && r.master_account_name
        ? { bankName: r.master_bank_name, accountName: r.master_account_name, accountNumber: r.master_account_number }
        : null,
    feeAccount:
      r?.fee_account_number && r.fee_bank_name && r.fee_account_name ? { bankName: r.fee_bank_name, accountName: r.fee_account_name, accountNumber: r.fee_account_number } : null,
    virtualAccountPrefix: r?.virtual_account_prefix ?? null,
    disbursementDeadlines: (r?.disbursement_deadlines ?? []).map((b) => ({ upTo: b.upTo === undefined ? null : moneyFromDb(b.upTo), days: b.days, kind: b.kind })),
    unidentifiedClaimWorkingDays: r?.unidentified_claim_working_days ?? DEFAULT_CLAIM_WORKING_DAYS,
    approvalLevels: (r?.approval_levels ?? []).map((l) => ({ above: moneyFromDb(l.above), levels: l.levels })),
    chargeExecutionFee: r?.charge_execution_fee ?? false,
  };
}

/** The settings of one court, for the rules of other features. */
export async function courtSettings(knex: Knex, courtId: string): Promise<CourtSettings> {
  return fromRow(await courtSettingsStore.find(knex, courtId));
}

/** The settings of a case's court, read in the same round trip as the case (cases-service loadCaseLockedWith). */
export const courtSettingsOfCase = {
  statement: (caseId: string) => courtSettingsStore.ofCaseStatement(caseId),
  read: (rows: readonly unknown[]): CourtSettings => fromRow(rows[0] as CourtSettingsRow | undefined),
};

/** Approvals a batch of this total needs: the highest level whose `above` it exceeds, else one. */
export function requiredApprovals(settings: CourtSettings, total: Money): number {
  let needed = 1;
  for (const l of settings.approvalLevels) if (total.gt(l.above)) needed = l.levels;
  return needed;
}

/** The local deadline band an amount falls in, or null where the court has none. */
export function localDeadlineFor(settings: CourtSettings, amount: Money): { days: number; kind: "calendar" | "working" } | null {
  const band = settings.disbursementDeadlines.find((b) => b.upTo === null || amount.lte(b.upTo));
  return band ? { days: band.days, kind: band.kind } : null;
}

function toSettings(s: CourtSettings, row: CourtSettingsRow | undefined): Schemas["CourtSettings"] {
  return {
    masterAccount: s.masterAccount,
    feeAccount: s.feeAccount,
    virtualAccountPrefix: s.virtualAccountPrefix,
    disbursementDeadlines: s.disbursementDeadlines.map((b) => ({ ...(b.upTo ? { upTo: formatMoney(b.upTo) } : {}), days: b.days, kind: b.kind })),
    unidentifiedClaimWorkingDays: s.unidentifiedClaimWorkingDays,
    approvalLevels: s.approvalLevels.map((l) => ({ above: formatMoney(l.above), levels: l.levels })),
    chargeExecutionFee: s.chargeExecutionFee,
    updatedAt: row?.updated_at.toISOString() ?? null,
    updatedBy: row?.updated_by ?? null,
  };
}

type CourtAccount = Schemas["CourtAccount"];
const maskedAccount = (a: CourtAccount | null) => (a ? { bankName: a.bankName, accountName: a.accountName, accountNumberMasked: maskAccountNumber(a.accountNumber) } : null);

/** What the audit trail keeps of the settings: the master and fee accounts only masked. */
function forAudit(s: Schemas["CourtSettings"]) {
  const { updatedAt: _a, updatedBy: _b, masterAccount, feeAccount, ...rest } = s;
  return { ...rest, masterAccount: maskedAccount(masterAccount), feeAccount: maskedAccount(feeAccount) };
}

const LISTED_CHANGES = 100;

/** Re-derives `fullyPerformedOn` of the court's open cases; what the audit event keeps of it. */
async function rederiveOpenCases(ctx: WriteContext, courtId: string) {
  const changes = await refreshPerformanceSet(ctx.db, { openCasesOfCourt: courtId });
  return {
    changed: changes.length,
    nowFullyPerformed: changes.filter((c) => c.before === null).length,
    noLongerFullyPerformed: changes.filter((c) => c.after === null).length,
    cases: changes.slice(0, LISTED_CHANGES),
  };
}

function canSeeCourt(ctx: ReadContext | WriteContext, courtId: string): boolean {
  return ctx.actor.roles.includes("admin") || ctx.actor.courtIds.includes(courtId);
}

export async function getCourt(ctx: ReadContext, id: string): Promise<Schemas["CourtDetail"]> {
  const court = canSeeCourt(ctx, id) ? await ctx.db("courts").where({ id }).first<{ id: string; code: string; name: string; created_at: Date } | undefined>() : undefined;
  if (!court) throw notFound("The court");
  const row = await courtSettingsStore.find(ctx.db, id);
  return { id: court.id, code: court.code, name: court.name, createdAt: court.created_at.toISOString(), settings: toSettings(fromRow(row), row) };
}

export async function updateCourt(ctx: WriteContext, id: string, input: CourtUpdateInput): Promise<Schemas["CourtDetail"]> {
  const court = canSeeCourt(ctx, id) ? await courtSettingsStore.lockCourt(ctx.db, id) : undefined;
  if (!court) throw notFound("The court");
  const beforeRow = await courtSettingsStore.find(ctx.db, id);
  const before = fromRow(beforeRow);
  if (input.virtualAccountPrefix && (await courtSettingsStore.prefixTaken(ctx.db, input.virtualAccountPrefix, id))) {
    throw conflict(`Another court's virtual accounts already start with ${input.virtualAccountPrefix}`);
  }
  const master = input.masterAccount === undefined ? before.masterAccount : input.masterAccount;
  const fee = input.feeAccount === undefined ? before.feeAccount : input.feeAccount;
  if (fee && master && fee.accountNumber === master.accountNumber) {
    throw validationFailed([{ path: "body.feeAccount.accountNumber", message: "the fee account must not be the master (enforcement funds) account" }], "The fee account is the master account");
  }
  const change: CourtSettingsChange = {
    master_bank_name: master?.bankName ?? null,
    master_account_name: master?.accountName ?? null,
    master_account_number: master?.accountNumber ?? null,
    fee_bank_name: fee?.bankName ?? null,
    fee_account_name: fee?.accountName ?? null,
    fee_account_number: fee?.accountNumber ?? null,
    virtual_account_prefix: input.virtualAccountPrefix === undefined ? before.virtualAccountPrefix : input.virtualAccountPrefix,
    disbursement_deadlines: (input.disbursementDeadlines ?? before.disbursementDeadlines).map((b) => ({ ...(b.upTo ? { upTo: b.upTo.toFixed(2) } : {}), days: b.days, kind: b.kind })),
    unidentified_claim_working_days: input.unidentifiedClaimWorkingDays ?? before.unidentifiedClaimWorkingDays,
    approval_levels: (input.approvalLevels ?? before.approvalLevels).map((l) => ({ above: l.above.toFixed(2), levels: l.levels })),
    charge_execution_fee: input.chargeExecutionFee ?? before.chargeExecutionFee,
    updated_by: ctx.actor.id,
  };
  const saved = await courtSettingsStore.save(ctx.db, id, change);
  if (input.name !== undefined) await courtSettingsStore.rename(ctx.db, id, input.name);
  const after = toSettings(fromRow(saved), saved);
  // Issue 14: whether the fee is charged changes what every open case owes, so its fully-performed
  // day (and the removal clock of its listings) is re-derived now, in this transaction, set-based.
  const rederived = after.chargeExecutionFee !== before.chargeExecutionFee ? await rederiveOpenCases(ctx, id) : null;
  ctx.audit.record({
    action: "court.settings_changed",
    entityType: "court",
    entityId: id,
    courtId: id,
    data: {
      changed: Object.keys(input),
      ...(input.name !== undefined ? { name: { before: court.name, after: input.name } } : {}),
      before: forAudit(toSettings(before, beforeRow)),
      after: forAudit(after),
      ...(rederived ? { performanceRederived: rederived } : {}),
    },
  });
  return { id, code: court.code, name: input.name ?? court.name, createdAt: court.created_at.toISOString(), settings: after };
}
