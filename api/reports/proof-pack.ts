import crypto from "node:crypto";
import type { Knex } from "knex";
import { maskAccountNumber } from "../cases/masking";
import { canonicalJson } from "../core/canonical-json";
import { formatMoney } from "../core/money";
import type { Schemas } from "../core/schemas";
import { detailSql, periodReturnsSql, type DetailRow, type PeriodParams, type ReturnRow } from "./disbursements-query";
import { disbursementReportIn } from "./disbursements-service";
import { inReportTransaction } from "./export";

/**
 * The proof pack (证据包) of a disbursement report: the report, its rows (every payout it counts and
 * every return it nets out), a digest per row and a fingerprint of them all, in the canonical form
 * written down in docs/rules/proof-pack.md — keep the two in step: an inspector recomputes the
 * fingerprint from that page alone.
 */
export const PROOF_PACK_FORMAT = "proof-pack/v1";

export type ProofPack = Schemas["ProofPack"];
export type ProofRow = Schemas["ProofRow"];
export type ProofScope = Schemas["ProofPack"]["scope"];

const sha256 = (text: string) => crypto.createHash("sha256").update(text, "utf8").digest("hex");

/**
 * A keyed digest of the whole account number (HMAC-SHA-256 under the server's identity key, exact
 * characters, no normalising): a change of account changes the row, and the pack never holds the
 * number. Its own purpose string, so that it matches no keyed hash stored elsewhere.
 */
export function accountDigest(key: string, accountNumber: string): string {
  return crypto.createHmac("sha256", key).update(`proof-pack account\n${accountNumber}`, "utf8").digest("hex");
}

/** A row's digest: SHA-256 of the canonical JSON of the row without its `digest` member. */
export function rowDigest(row: Record<string, unknown>): string {
  const { digest: _digest, ...content } = row;
  void _digest;
  return sha256(canonicalJson(content));
}

/** The fingerprint: the format line, the scope's canonical JSON, then each row's digest, each line ending in \n. */
export function fingerprintOf(scope: ProofScope, digests: readonly string[]): string {
  return sha256(`${PROOF_PACK_FORMAT}\n${canonicalJson(scope)}\n${digests.map((d) => `${d}\n`).join("")}`);
}

/** Rows in rowId order (code-unit order, which is byte order for these ASCII ids). */
const byRowId = (a: ProofRow, b: ProofRow) => (a.rowId < b.rowId ? -1 : a.rowId > b.rowId ? 1 : 0);

function payoutRow(r: DetailRow, key: string): ProofRow {
  const row = {
    rowId: `payout:${r.payout_item_id}`,
    kind: "payout" as const,
    itemId: r.payout_item_id,
    courtCode: r.court_code,
    caseNumber: r.case_number,
    batchId: r.batch_id,
    partyId: r.party_id,
    payeeName: r.payee_name,
    payeeAccountName: r.payee_account_name,
    payeeBankName: r.payee_bank_name,
    payeeAccountMasked: r.payee_account_number === null ? null : maskAccountNumber(r.payee_account_number),
    payeeAccountDigest: r.payee_account_number === null ? null : accountDigest(key, r.payee_account_number),
    bankReference: r.bank_reference,
    amount: formatMoney(r.amount),
    paidOn: r.paid_on,
    receivedOn: r.funded_from,
    daysHeld: r.days_held === null ? null : Number(r.days_held),
  };
  return { ...row, digest: rowDigest(row) };
}

function returnRow(r: ReturnRow): ProofRow {
  const row = {
    rowId: `return:${r.payout_item_id}`,
    kind: "return" as const,
    itemId: r.payout_item_id,
    courtCode: r.court_code,
    caseNumber: r.case_number,
    batchId: r.batch_id,
    amount: formatMoney(r.amount),
    paidOn: r.paid_on,
    returnedOn: r.returned_on,
    reason: r.return_reason,
  };
  return { ...row, digest: rowDigest(row) };
}

export interface ProofData {
  report: Schemas["DisbursementReport"];
  rows: ProofRow[];
  auditHeads: ProofPack["auditHeads"];
}

/**
 * The report, its rows and the courts' audit heads, read in one repeatable-read snapshot: the
 * heads name the last event the rows can reflect.
 */
export async function readProofData(knex: Knex, p: PeriodParams, accountKey: string): Promise<ProofData> {
  return inReportTransaction(knex, async (tx) => {
    const report = await disbursementReportIn(tx, p);
    const payouts = (await tx.raw<{ rows: DetailRow[] }>(detailSql(), p)).rows;
    const returns = (await tx.raw<{ rows: ReturnRow[] }>(periodReturnsSql(), p)).rows;
    const auditHeads = await auditHeadsOf(tx, report.courtIds);
    const rows = [...payouts.map((r) => payoutRow(r, accountKey)), ...returns.map(returnRow)].sort(byRowId);
    return { report, rows, auditHeads };
  });
}

/** Each court's chain head; a court with no event yet is at position 0 on the frozen v1 head. */
async function auditHeadsOf(tx: Knex.Transaction, courtIds: string[]): Promise<ProofPack["auditHeads"]> {
  const heads = await tx("audit_heads").whereIn("chain", courtIds).select<{ chain: string; seq: string; hash: string }[]>("chain", "seq", "hash");
  const v1 = await tx("audit_head").where({ id: 1 }).first<{ hash: string }>("hash");
  return courtIds.map((courtId) => {
    const h = heads.find((x) => x.chain === courtId);
    return { courtId, chainSeq: String(h?.seq ?? "0"), hash: h?.hash ?? v1.hash };
  });
}

export function scopeOf(report: Schemas["DisbursementReport"]): ProofScope {
  return { courtIds: [...report.courtIds].sort(), from: report.from, to: report.to, payouts: report.payouts, total: report.total };
}

export async function proofPack(knex: Knex, p: PeriodParams, accountKey: string): Promise<ProofPack> {
  const { report, rows, auditHeads } = await readProofData(knex, p, accountKey);
  const scope = scopeOf(report);
  return {
    format: PROOF_PACK_FORMAT,
    scope,
    generatedAt: report.generatedAt,
    auditHeads,
    report,
    rows,
    fingerprint: fingerprintOf(scope, rows.map((r) => r.digest)),
  };
}
