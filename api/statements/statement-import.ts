import assert from "node:assert/strict";
import crypto from "node:crypto";
import { loadWorkingCalendar } from "../calendar/calendar-service";
import { maskAccountNumber } from "../cases/masking";
import { courtSettings } from "../courts/court-settings";
import { assertCourtAccess } from "../core/court-scope";
import { AppError, invalidState, notFound, validationFailed } from "../core/errors";
import { formatMoney, moneyFromDb, moneyToDb, sumMoney } from "../core/money";
import type { WriteContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import { lockBalances, postEntries, refreshPerformanceMany, type EntryInput } from "../ledger/postings";
import { referenceHolders, referenceKey, registerReferences } from "../receipts/bank-references";
import { disburseByFor, insertReceiptRows, type NewReceiptRow } from "../receipts/receipts-service";
import { createFunds, type NewFund } from "../unidentified-funds/unidentified-funds-service";
import { columnMappingSchema, type ColumnMapping } from "./column-mapping";
import { findCaseNumbers } from "./case-number-finder";
import { fingerprintLines } from "./line-fingerprint";
import { StatementError } from "./statement-errors";
import { getStatementLayout, type StatementLayout } from "./statement-layouts";
import { parseStatement, statementKindFromContentType, type ParsedStatement, type StatementLine } from "./statement-parser";
import { cefReference, decideCredit, type MatchCase } from "./statement-matching";
import { statementsStore, type StatementLineRow, type StatementRow } from "./statements-store";

export interface StatementImportQuery {
  courtId: string;
  layout?: string;
  mappingId?: string;
  accountNumber?: string;
}

export interface UploadedFile {
  file: Buffer;
  contentType?: string;
}

function toImport(s: StatementRow, extra: { alreadyImported: boolean; debitsMatched: number; problems: ParsedStatement["problems"]; lines?: number; duplicates?: number }): Schemas["StatementImport"] {
  const again = extra.alreadyImported;
  return {
    statementId: s.id,
    alreadyImported: again,
    layout: s.layout,
    accountNumberMasked: maskAccountNumber(s.account_number),
    lines: extra.lines ?? s.line_count,
    matched: again ? 0 : s.matched,
    unidentified: again ? 0 : s.unidentified,
    duplicates: extra.duplicates ?? s.duplicates,
    debits: again ? 0 : s.debits,
    debitsMatched: extra.debitsMatched,
    openingBalance: s.opening_balance === null ? null : formatMoney(s.opening_balance),
    closingBalance: s.closing_balance === null ? null : formatMoney(s.closing_balance),
    period: s.period_from && s.period_to ? { from: s.period_from, to: s.period_to } : null,
    problems: extra.problems.map((p) => (p.lineNo === undefined ? { kind: p.kind, message: p.message } : { lineNo: p.lineNo, kind: p.kind, message: p.message })),
  };
}

async function layoutFor(ctx: WriteContext, q: StatementImportQuery): Promise<StatementLayout | ColumnMapping> {
  if (q.layout && q.mappingId) throw validationFailed([{ path: "query.layout", message: "give a layout or a mappingId, not both" }], "Both layout and mappingId were given");
  if (q.layout) {
    const layout = getStatementLayout(q.layout);
    if (!layout) throw validationFailed([{ path: "query.layout", message: `unknown layout; shipped: abc-account-detail, ccb-account-detail, icbc-detail` }], `There is no layout ${q.layout}`);
    return layout;
  }
  if (q.mappingId) {
    const m = await statementsStore.findMapping(ctx.db, q.mappingId);
    if (!m || m.court_id !== q.courtId) throw notFound("The column mapping");
    return columnMappingSchema.parse(m.mapping);
  }
  throw validationFailed([{ path: "query.layout", message: "give the statement's layout or a saved mappingId" }], "The statement's layout is not given");
}

async function parse(file: Buffer, kind: "csv" | "xlsx", layout: StatementLayout | ColumnMapping, today: string): Promise<ParsedStatement> {
  try {
    return await parseStatement(file, kind, layout, { today });
  } catch (e) {
    if (e instanceof StatementError) throw new AppError("statement_rejected", e.detail, { ...e.extra });
    throw e;
  }
}

/** The statement's account: from the file, or given; it must be the court's master account. */
function statementAccount(parsed: ParsedStatement, given: string | undefined, master: string): string {
  const inFile = parsed.account?.number;
  const masked = inFile?.includes("*");
  const account = inFile && !masked ? inFile : given;
  if (!account) {
    throw new AppError("wrong_account", "The file does not say which account it is of: give accountNumber", { errors: [{ path: "query.accountNumber", message: "required for this file" }] });
  }
  if (inFile && !masked && given && given !== inFile) {
    throw new AppError("wrong_account", `The file is of account ${maskAccountNumber(inFile)}, not of the accountNumber given`, { errors: [{ path: "query.accountNumber", message: "does not match the file" }] });
  }
  if (masked && inFile) {
    const head = inFile.split("*")[0];
    const tail = inFile.slice(inFile.lastIndexOf("*") + 1);
    if (!account.startsWith(head) || !account.endsWith(tail)) throw new AppError("wrong_account", `The file is of account ${inFile}, not of the accountNumber given`);
  }
  if (account !== master) {
    throw new AppError("wrong_account", `The statement is of account ${maskAccountNumber(account)}, not of the court's master account ${maskAccountNumber(master)}`, {
      errors: [{ path: "file.accountNumber", message: "not the court's master account" }],
    });
  }
  return account;
}

/**
 * Imports a bank statement of the court's master account in one transaction, set-based: a
 * constant number of statements per 1,000 lines whatever the file's size. See the contract's
 * description of `importBankStatement` for what happens to each line.
 */
export async function importStatement(ctx: WriteContext, q: StatementImportQuery, upload: UploadedFile): Promise<Schemas["StatementImport"]> {
  const tx = ctx.db;
  assertCourtAccess(ctx.actor, q.courtId, "The court");
  const kind = statementKindFromContentType(upload.contentType);
  if (!kind) throw new AppError("unsupported_media_type", "Send the statement as text/csv, as the XLSX type, or as application/octet-stream");
  const settings = await courtSettings(tx, q.courtId);
  if (!settings.masterAccount) throw invalidState("The court has no master account yet: an admin sets it in the court's settings");
  const layout = await layoutFor(ctx, q);
  const sha = crypto.createHash("sha256").update(upload.file).digest("hex");

  // Two imports of one file at once: the second waits here, then finds the first.
  await tx.raw("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", [`bank-statement:${q.courtId}`]);
  const earlier = await statementsStore.findByDigest(tx, q.courtId, sha);
  if (earlier) {
    ctx.audit.record({ action: "bank_statement.reimported", entityType: "bank_statement", entityId: earlier.id, courtId: q.courtId, data: { fileSha256: sha, lines: earlier.line_count } });
    return toImport(earlier, { alreadyImported: true, debitsMatched: 0, problems: [], duplicates: earlier.line_count });
  }

  const parsed = await parse(upload.file, kind, layout, ctx.today);
  const account = statementAccount(parsed, q.accountNumber, settings.masterAccount.accountNumber);
  const fingerprints = fingerprintLines(parsed.lines, account);
  const known = await statementsStore.knownFingerprints(tx, q.courtId, fingerprints);
  const seen = new Set<string>();
  const fresh: { line: StatementLine; fingerprint: string }[] = [];
  parsed.lines.forEach((line, i) => {
    const fp = fingerprints[i];
    if (known.has(fp) || seen.has(fp)) return;
    seen.add(fp);
    fresh.push({ line, fingerprint: fp });
  });

  const plan = await planLines(ctx, q.courtId, fresh);
  const statementId = crypto.randomUUID();
  const counts = { matched: plan.receiptRows.length + plan.alreadyRecorded, unidentified: plan.funds.length, debits: plan.debits, duplicates: parsed.lines.length - fresh.length + plan.lateDuplicates };
  const statement = await statementsStore.insertStatement(tx, {
    id: statementId,
    court_id: q.courtId,
    account_number: account,
    layout: parsed.layout,
    file_sha256: sha,
    file_kind: kind,
    line_count: parsed.lines.length,
    ...counts,
    opening_balance: parsed.openingBalance ? moneyToDb(parsed.openingBalance) : null,
    closing_balance: parsed.closingBalance ? moneyToDb(parsed.closingBalance) : null,
    period_from: parsed.period?.from ?? null,
    period_to: parsed.period?.to ?? null,
    imported_by: ctx.actor.id,
  });
  await write(ctx, statement, plan);
  ctx.audit.record({
    action: "bank_statement.imported",
    entityType: "bank_statement",
    entityId: statementId,
    courtId: q.courtId,
    data: {
      fileSha256: sha,
      layout: parsed.layout,
      accountNumberMasked: maskAccountNumber(account),
      lines: parsed.lines.length,
      ...counts,
      debitsMatched: plan.debitsMatched,
      credited: formatMoney(sumMoney(plan.receiptRows.map((r) => moneyFromDb(r.amount)))),
      unidentifiedAmount: formatMoney(sumMoney(plan.funds.map((f) => moneyFromDb(f.amount)))),
      closingBalance: parsed.closingBalance ? formatMoney(parsed.closingBalance) : null,
    },
  });
  return toImport(statement, { alreadyImported: false, debitsMatched: plan.debitsMatched, problems: parsed.problems });
}

interface Plan {
  funds: NewFund[];
  lines: Omit<StatementLineRow, "statement_id">[];
  references: { court_id: string; reference_key: string; receipt_id: string | null; unidentified_fund_id: string | null }[];
  alreadyRecorded: number;
  lateDuplicates: number;
  debits: number;
  debitsMatched: number;
  receiptRows: NewReceiptRow[];
  receiptLines: Map<string, number>;
}

/** Decides every new line: which case, which payout item, or unidentified. Reads and locks only. */
async function planLines(ctx: WriteContext, courtId: string, fresh: { line: StatementLine; fingerprint: string }[]): Promise<Plan> {
  const tx = ctx.db;
  const credits = fresh.filter((f) => f.line.direction === "credit");
  const debits = fresh.filter((f) => f.line.direction === "debit");

  const virtuals = [...new Set(credits.map((c) => c.line.virtualAccount).filter((v): v is string => !!v))];
  const numbers = [...new Set(credits.flatMap((c) => findNumbers(c.line)))];
  const byVirtualRows = await statementsStore.casesByVirtualAccount(tx, courtId, virtuals);
  const byNumberRows = await statementsStore.casesByNumberKey(tx, courtId, numbers);
  const candidateIds = [...new Set([...byVirtualRows, ...byNumberRows].map((c) => c.id))];
  await lockBalances(tx, candidateIds);
  const statuses = await statementsStore.caseStatuses(tx, candidateIds); // under the lock: a close that just committed is seen
  const asMatch = (c: { id: string; filed_on: string }): MatchCase => ({ id: c.id, filed_on: c.filed_on, status: statuses.get(c.id) ?? "closed" });
  const byVirtual = new Map(byVirtualRows.map((c) => [c.virtual_account_number as string, asMatch(c)]));
  const byNumber = new Map(byNumberRows.map((c) => [c.case_number_key, asMatch(c)]));

  const refKeys = [...new Set(credits.map((c) => c.line.bankReference).filter((r): r is string => !!r).map(referenceKey))];
  const holders = await referenceHolders(tx, courtId, refKeys);
  const calendar = await loadWorkingCalendar(tx);
  const claimDays = (await courtSettings(tx, courtId)).unidentifiedClaimWorkingDays;

  const plan: Plan = { funds: [], lines: [], references: [], alreadyRecorded: 0, lateDuplicates: 0, debits: 0, debitsMatched: 0, receiptRows: [], receiptLines: new Map() };
  const takenRefs = new Set<string>();
  for (const { line, fingerprint } of credits) {
    const base = lineRow(courtId, line, fingerprint);
    const key = line.bankReference ? referenceKey(line.bankReference) : undefined;
    const holder = key ? holders.get(key) : undefined;
    if (holder?.receipt_id) {
      // Typed in by hand before the statement came: the same money, already in the books.
      plan.lines.push({ ...base, outcome: "already_recorded", receipt_id: holder.receipt_id });
      plan.alreadyRecorded++;
      continue;
    }
    if (holder || (key && takenRefs.has(key))) {
      plan.lateDuplicates++;
      continue;
    }
    if (key) takenRefs.add(key);
    const decision = decideCredit(line, byVirtual, byNumber);
    if (decision.kind === "receipt") {
      const receipt: NewReceiptRow = {
        id: crypto.randomUUID(),
        court_id: courtId,
        case_id: decision.caseId,
        amount: moneyToDb(line.amount),
        received_on: line.valueDate,
        disburse_by: disburseByFor(line.valueDate),
        source: "voluntary",
        payer_name: line.counterpartyName ?? null,
        bank_reference: line.bankReference ?? null,
        handed_over_on: null,
        witness_ids: null,
        created_by: ctx.actor.id,
      };
      plan.receiptRows.push(receipt);
      plan.receiptLines.set(receipt.id, line.lineNo);
      plan.lines.push({ ...base, outcome: "receipt", case_id: decision.caseId, receipt_id: receipt.id });
      if (key) plan.references.push({ court_id: courtId, reference_key: key, receipt_id: receipt.id, unidentified_fund_id: null });
    } else {
      const fund: NewFund = {
        id: crypto.randomUUID(),
        court_id: courtId,
        amount: moneyToDb(line.amount),
        received_on: line.valueDate,
        claim_by: calendar.workingDayAfter(line.valueDate, claimDays).date,
        payer_name: line.counterpartyName ?? null,
        payer_account: line.counterpartyAccount ?? null,
        payer_bank: line.counterpartyBank ?? null,
        remark: line.remark ?? null,
        bank_reference: line.bankReference ?? null,
        reason: decision.reason,
      };
      plan.funds.push(fund);
      plan.lines.push({ ...base, outcome: "unidentified", unidentified_fund_id: fund.id });
      if (key) plan.references.push({ court_id: courtId, reference_key: key, receipt_id: null, unidentified_fund_id: fund.id });
    }
  }

  const references = [...new Set(debits.map((d) => d.line.bankReference).filter((r): r is string => !!r))];
  const cef = debits.map((d) => cefReference(d.line)).filter((c): c is NonNullable<typeof c> => !!c);
  const items = await statementsStore.unmatchedPaidItems(tx, courtId, { references, cef });
  const used = new Set<string>();
  for (const { line, fingerprint } of debits) {
    const c = cefReference(line);
    const item = items.find(
      (i) =>
        !used.has(i.id) &&
        moneyFromDb(i.amount).eq(line.amount) &&
        ((line.bankReference !== undefined && i.bank_reference === line.bankReference) || (c !== undefined && i.batch_id.startsWith(c.batchPrefix) && i.position === c.position)),
    );
    const base = lineRow(courtId, line, fingerprint);
    plan.debits++;
    if (item) {
      used.add(item.id);
      plan.debitsMatched++;
      plan.lines.push({ ...base, outcome: "payout", payout_item_id: item.id });
    } else {
      plan.lines.push({ ...base, outcome: "unmatched_debit" });
    }
  }
  return plan;
}

function findNumbers(line: StatementLine): string[] {
  return findCaseNumbers(line.remark);
}

function lineRow(courtId: string, line: StatementLine, fingerprint: string): Omit<StatementLineRow, "statement_id" | "outcome"> & { outcome: StatementLineRow["outcome"] } {
  return {
    id: crypto.randomUUID(),
    court_id: courtId,
    line_no: line.lineNo,
    fingerprint,
    value_date: line.valueDate,
    direction: line.direction,
    amount: moneyToDb(line.amount),
    balance_after: line.balanceAfter ? moneyToDb(line.balanceAfter) : null,
    counterparty_name: line.counterpartyName ?? null,
    counterparty_account: line.counterpartyAccount ?? null,
    counterparty_bank: line.counterpartyBank ?? null,
    remark: line.remark ?? null,
    bank_reference: line.bankReference ?? null,
    virtual_account: line.virtualAccount ?? null,
    outcome: "unmatched_debit",
    case_id: null,
    receipt_id: null,
    unidentified_fund_id: null,
    payout_item_id: null,
  };
}

/** Writes what was planned: funds, receipts, lines, references, the journal, the balances. */
async function write(ctx: WriteContext, statement: StatementRow, plan: Plan): Promise<void> {
  const tx = ctx.db;
  await createFunds(ctx, statement.id, plan.funds);
  const receipts = await insertReceiptRows(tx, plan.receiptRows);
  await statementsStore.insertLines(tx, plan.lines.map((l) => ({ ...l, statement_id: statement.id })));
  await registerReferences(tx, plan.references);
  const entries: EntryInput[] = [
    ...receipts.map((r) => ({ kind: "receipt" as const, courtId: r.court_id, caseId: r.case_id, amount: moneyFromDb(r.amount), effectiveOn: r.received_on, receiptId: r.id, createdBy: ctx.actor.id })),
    ...plan.funds.map((f) => ({ kind: "unidentified_in" as const, courtId: f.court_id, caseId: null, amount: moneyFromDb(f.amount), effectiveOn: f.received_on, unidentifiedFundId: f.id, createdBy: ctx.actor.id })),
  ];
  if (entries.length > 0) await postEntries(tx, entries);
  await refreshPerformanceMany(tx, receipts.map((r) => r.case_id));
  assert.equal(receipts.length, plan.receiptRows.length);
  for (const r of receipts) {
    ctx.audit.record({
      action: "receipt.recorded",
      entityType: "receipt",
      entityId: r.id,
      courtId: r.court_id,
      data: { caseId: r.case_id, amount: formatMoney(r.amount), receivedOn: r.received_on, source: r.source, disburseBy: r.disburse_by, statementId: statement.id, lineNo: plan.receiptLines.get(r.id), ...(r.bank_reference ? { bankReference: r.bank_reference } : {}) },
    });
  }
}
