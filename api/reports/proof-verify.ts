import type { Knex } from "knex";
import { z } from "zod";
import Decimal from "decimal.js";
import type { Actor } from "../core/actor";
import { courtsInScope } from "../core/court-scope";
import { businessDate } from "../core/dates";
import { canonicalJson } from "../core/canonical-json";
import { AppError, type FieldError } from "../core/errors";
import { formatMoney, MoneyDecimal } from "../core/money";
import type { Schemas } from "../core/schemas";
import { uuid } from "../core/validation";
import { checkPeriod } from "./report-params";
import { fingerprintOf, PROOF_PACK_FORMAT, readProofData, rowDigest, scopeOf, type ProofRow } from "./proof-pack";

/** The pack as downloaded (docs/rules/proof-pack.md); unknown members refused everywhere but in `report`. */
const sha = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits");
const money = z.string().regex(/^(0|[1-9][0-9]{0,12})\.[0-9]{2}$/, "must be money with exactly 2 decimals");
const text = (max: number) => z.string().max(max);
const nullable = <T extends z.ZodType>(t: T) => t.nullable();

const payoutRow = z
  .object({
    rowId: z.string().regex(/^payout:[0-9a-f-]{36}$/),
    kind: z.literal("payout"),
    itemId: uuid,
    courtCode: text(100),
    caseNumber: text(200),
    batchId: uuid,
    partyId: uuid,
    payeeName: nullable(text(500)),
    payeeAccountName: nullable(text(500)),
    payeeBankName: nullable(text(500)),
    payeeAccountMasked: nullable(text(50)),
    payeeAccountDigest: nullable(sha),
    bankReference: nullable(text(100)),
    amount: money,
    paidOn: businessDate,
    receivedOn: nullable(businessDate),
    daysHeld: nullable(z.number().int().min(0)),
    digest: sha,
  })
  .strict();

const returnRow = z
  .object({
    rowId: z.string().regex(/^return:[0-9a-f-]{36}$/),
    kind: z.literal("return"),
    itemId: uuid,
    courtCode: text(100),
    caseNumber: text(200),
    batchId: uuid,
    amount: money,
    paidOn: businessDate,
    returnedOn: businessDate,
    reason: nullable(text(1000)),
    digest: sha,
  })
  .strict();

const auditHead = z.object({ courtId: uuid, chainSeq: z.string().regex(/^(0|[1-9][0-9]{0,17})$/), hash: sha }).strict();

export const proofPackBody = z
  .object({
    format: z.literal(PROOF_PACK_FORMAT),
    scope: z
      .object({ courtIds: z.array(uuid).min(1).max(100), from: businessDate, to: businessDate, payouts: z.number().int().min(0), total: money })
      .strict()
      .superRefine(checkPeriod),
    generatedAt: z.iso.datetime({ offset: true }),
    auditHeads: z.array(auditHead).max(100),
    // The report is the server's own answer, carried along for the reader: checked against the scope here,
    // then compared with today's report member by member (a `report` difference), not re-validated field by field.
    report: z.object({ from: z.string(), to: z.string(), courtIds: z.array(z.string()).max(100), payouts: z.number(), total: z.string() }).loose(),
    rows: z.array(z.discriminatedUnion("kind", [payoutRow, returnRow])).max(100_000),
    fingerprint: sha,
  })
  .strict();

export type ProofPackInput = z.output<typeof proofPackBody>;
type Difference = Schemas["ProofVerification"]["differences"][number];

const MAX_DIFFERENCES = 1000;

/**
 * The pack against itself: each digest against its row, the fingerprint against the digests, the
 * rows' count and sum against the scope, the report against the scope. Anything else is a forged,
 * altered or truncated pack, and comparing it with today's data would tell nothing.
 */
export function checkPackItself(pack: ProofPackInput): void {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  let previous = "";
  let payouts = 0;
  let total = new MoneyDecimal(0);
  const digests = pack.rows.map((row) => rowDigest(row));
  pack.rows.forEach((row, i) => {
    if (digests[i] !== row.digest) errors.push({ path: `body.rows.${i}.digest`, message: `does not match row ${row.rowId}` });
    if (row.rowId !== `${row.kind}:${row.itemId}`) errors.push({ path: `body.rows.${i}.rowId`, message: "must be the kind and the itemId" });
    if (seen.has(row.rowId)) errors.push({ path: `body.rows.${i}.rowId`, message: `${row.rowId} appears twice` });
    else if (row.rowId < previous) errors.push({ path: `body.rows.${i}.rowId`, message: "rows must be in rowId order" });
    seen.add(row.rowId);
    previous = row.rowId;
    if (row.kind === "payout") {
      payouts += 1;
      total = total.plus(row.amount);
    }
  });
  const sorted = [...pack.scope.courtIds].sort();
  if (sorted.some((id, i) => id !== pack.scope.courtIds[i] || (i > 0 && id === sorted[i - 1]))) errors.push({ path: "body.scope.courtIds", message: "must be sorted, without repeats" });
  if (payouts !== pack.scope.payouts) errors.push({ path: "body.scope.payouts", message: `the pack holds ${payouts} payout rows` });
  if (!total.equals(new Decimal(pack.scope.total))) errors.push({ path: "body.scope.total", message: `the payout rows sum to ${formatMoney(total)}` });
  const r = pack.report;
  if (r.from !== pack.scope.from || r.to !== pack.scope.to || r.payouts !== pack.scope.payouts || r.total !== pack.scope.total || [...r.courtIds].sort().join() !== sorted.join()) {
    errors.push({ path: "body.report", message: "does not match the scope" });
  }
  const fingerprint = fingerprintOf(pack.scope, digests);
  if (fingerprint !== pack.fingerprint) errors.push({ path: "body.fingerprint", message: "does not match the scope and the rows" });
  if (errors.length > 0) {
    throw new AppError("proof_pack_invalid", "The proof pack does not agree with itself: it was altered, forged or cut short", { errors: errors.slice(0, 100) });
  }
}

function compareRows(inPack: ProofRow[], now: ProofRow[]): Difference[] {
  const before = new Map(inPack.map((r) => [r.rowId, r]));
  const after = new Map(now.map((r) => [r.rowId, r]));
  const differences: Difference[] = [];
  for (const [rowId, old] of before) {
    const current = after.get(rowId);
    if (!current) differences.push({ rowId, kind: "missing" });
    else if (current.digest !== old.digest) {
      const a = old as Record<string, unknown>;
      const b = current as Record<string, unknown>;
      const fields = Object.keys({ ...a, ...b }).filter((k) => k !== "digest" && a[k] !== b[k]).sort();
      differences.push({ rowId, kind: "changed", fields });
    }
  }
  for (const rowId of after.keys()) if (!before.has(rowId)) differences.push({ rowId, kind: "added" });
  return differences.sort((x, y) => (x.rowId < y.rowId ? -1 : x.rowId > y.rowId ? 1 : 0));
}

/** The report's top-level members that differ from today's (generatedAt aside), by canonical JSON. */
function reportDifferences(inPack: Record<string, unknown>, now: Schemas["DisbursementReport"]): string[] {
  const current = now as unknown as Record<string, unknown>;
  return Object.keys({ ...inPack, ...current })
    .filter((k) => k !== "generatedAt" && (k in inPack !== k in current || canonicalJson(inPack[k]) !== canonicalJson(current[k])))
    .sort();
}

/** Whether each of the pack's heads is a real position of its court's chain today. */
async function headsInTrail(knex: Knex, heads: ProofPackInput["auditHeads"]): Promise<Schemas["ProofVerification"]["auditHeads"]> {
  const v1 = await knex("audit_head").where({ id: 1 }).first<{ hash: string }>("hash");
  return Promise.all(
    heads.map(async (h) => {
      if (h.chainSeq === "0") return { ...h, inTrail: h.hash === v1.hash };
      const e = await knex("audit_events").where({ chain: h.courtId, chain_seq: h.chainSeq }).first<{ hash: string } | undefined>("hash");
      return { ...h, inTrail: e?.hash === h.hash };
    }),
  );
}

export async function verifyProofPack(knex: Knex, actor: Actor, pack: ProofPackInput, accountKey: string, now: Date): Promise<Schemas["ProofVerification"]> {
  // Another court's pack is not found, exactly as its report is (and before anything about the pack is said).
  for (const courtId of pack.scope.courtIds) courtsInScope(actor, courtId);
  for (const h of pack.auditHeads) courtsInScope(actor, h.courtId);
  checkPackItself(pack);
  const today = await readProofData(knex, { courtIds: pack.scope.courtIds, from: pack.scope.from, to: pack.scope.to }, accountKey);
  const currentFingerprint = fingerprintOf(scopeOf(today.report), today.rows.map((r) => r.digest));
  const differences = compareRows(pack.rows as ProofRow[], today.rows);
  // The report rides along outside the fingerprint: compare it too, member by member, so that a
  // doctored figure or sentence in it does not pass for today's.
  const reportFields = reportDifferences(pack.report, today.report);
  if (reportFields.length > 0) differences.unshift({ rowId: "report", kind: "changed", fields: reportFields });
  return {
    matches: currentFingerprint === pack.fingerprint && reportFields.length === 0,
    fingerprint: pack.fingerprint,
    currentFingerprint,
    checkedAt: now.toISOString(),
    rowsInPack: pack.rows.length,
    rowsNow: today.rows.length,
    differences: differences.slice(0, MAX_DIFFERENCES),
    differencesTotal: differences.length,
    auditHeads: await headsInTrail(knex, pack.auditHeads),
    currentAuditHeads: today.auditHeads,
  };
}
