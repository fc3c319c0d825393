import assert from "node:assert/strict";
import ExcelJS from "exceljs";
import { isValidDate } from "../core/dates";
import { validationFailed, type FieldError } from "../core/errors";
import { formatMoney, MONEY_MAX, sumMoney, toSpreadsheetNumber, type Money } from "../core/money";
// The name check's one rule (issue 12), shared with the batch view and the payment file.
import { sameName } from "../core/names";
import { csvRecord } from "./statement-csv";
import { encodeGb18030 } from "./text-encoding";

/**
 * The batch-transfer file (批量转账/代发) finance uploads to the bank to pay a batch.
 *
 * Layout: modelled on ICBC's 企业财务室 batch-payment instruction, whose fields a public payment
 * project writes out in full (fordays fdpay DrawFileBizImp.getExportInfo_ICBC): a control record
 * "币种|日期|总计标志|总金额|总笔数" (flag 1) and one detail record per item "币种|日期|明细标志|顺序号|
 * 报销号|单据张数|付款帐号开户行|付款帐号|付款帐号名称|收款帐号开户行|收款帐号省份|收款帐号地市|
 * 收款帐号地区码|收款帐号|收款帐号名称|金额|汇款用途|备注信息" (flag 2). We write them as a sheet
 * finance can read and check: the control row on top (the count and sum the bank checks against
 * the details), then the details. Differences, on purpose: amounts are yuan with two decimals,
 * not fen as in ICBC's text file, because a person checks this file by eye before uploading it;
 * 单据张数 and the payee's 省份/地市/地区码 are left out (we do not hold them; the bank derives them
 * from 开户行). Our item reference goes in 报销号 (ICBC's per-item reference) and in 备注信息, so
 * that it travels with the transfer and the statement import can match the debit back.
 *
 * Account numbers stay text: in the XLSX as text cells in a column formatted "@"; in the CSV as
 * ="6228480123456789012". Excel and WPS both show that as the text 6228480123456789012 and keep it
 * text when the sheet is saved again; a leading tab, the other common trick, also keeps the digits
 * but leaves an invisible tab in the cell that then goes to the bank with the number. The guard is
 * only ever put around a string of digits we checked, so it cannot carry a formula.
 *
 * Text fields (names, bank names, remark, reference) that begin with = + - @ or a tab or CR are
 * prefixed with ' so that no spreadsheet runs them as a formula — in the XLSX too, so that the two
 * files say the same and a sheet saved again as CSV stays safe.
 */

export interface BatchTransferItem {
  payeeName: string; // who is paid (the applicant, or the agent paid on their behalf)
  bankName: string; // the payee account's bank (开户行)
  accountName: string; // the payee account's holder
  accountNumber: string;
  amount: Money;
  reference: string; // our item reference
  remark: string; // 汇款用途
}

export interface BatchTransferOptions {
  payer: { bankName: string; accountName: string; accountNumber: string }; // the court's master account
  payOn: string; // YYYY-MM-DD
  batchReference: string;
  format: "xlsx" | "csv";
  csvEncoding?: "utf-8-bom" | "gb18030";
}

export interface BatchTransferFile {
  buffer: Buffer;
  filename: string;
  contentType: string;
  count: number;
  total: Money;
  /** Items whose account holder is not the payee: the PRODUCT asks the payment file to flag them. */
  flagged: { sequence: number; reference: string; reason: "account_name_differs" }[];
}

export const BATCH_TRANSFER_LAYOUT = "icbc-financial-office";
const CONTROL_HEADER = ["币种", "日期", "总计标志", "总金额", "总笔数"];
const DETAIL_HEADER = ["币种", "日期", "明细标志", "顺序号", "报销号", "付款账号开户行", "付款账号", "付款账号名称", "收款账号开户行", "收款账号", "收款账号名称", "金额", "汇款用途", "备注信息"];
const ACCOUNT_COLUMNS = new Set([6, 9]); // 付款账号, 收款账号 (0-based)
const AMOUNT_COLUMN = 11;

export async function batchTransferFile(items: BatchTransferItem[], options: BatchTransferOptions): Promise<BatchTransferFile> {
  validate(items, options);
  const total = sumMoney(items.map((i) => i.amount));
  const date = options.payOn.replace(/-/g, "");
  const details = items.map((item, i) => detailRow(item, i + 1, date, options.payer));
  assert.equal(details.length, items.length);
  assert.ok(sumMoney(details.map((d) => d[AMOUNT_COLUMN] as Money)).eq(total), "the control total is the sum of the details");
  const control = ["RMB", date, "1", total, String(items.length)];
  const flagged = items.flatMap((item, i) =>
    sameName(item.accountName, item.payeeName) ? [] : [{ sequence: i + 1, reference: item.reference, reason: "account_name_differs" as const }],
  );
  const base = `batch-transfer-${options.batchReference.replace(/[^A-Za-z0-9_-]/g, "_")}-${date}`;
  const buffer = options.format === "xlsx" ? await toXlsx(control, details, items, flagged) : toCsv(control, details, options.csvEncoding ?? "utf-8-bom");
  return {
    buffer,
    filename: `${base}.${options.format}`,
    contentType: options.format === "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : `text/csv; charset=${options.csvEncoding === "gb18030" ? "gb18030" : "utf-8"}`,
    count: items.length,
    total,
    flagged,
  };
}

type Field = string | Money;

function detailRow(item: BatchTransferItem, sequence: number, date: string, payer: BatchTransferOptions["payer"]): Field[] {
  const t = guardText;
  return ["RMB", date, "2", String(sequence), t(item.reference), t(payer.bankName), digits(payer.accountNumber), t(payer.accountName), t(item.bankName), digits(item.accountNumber), t(item.accountName), item.amount, t(item.remark), t(item.reference)];
}

/** A leading = + - @ tab or CR makes a spreadsheet read a formula: a leading ' makes it text. */
export function guardText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? "'" + s : s;
}

function digits(accountNumber: string): string {
  return accountNumber.replace(/\s/g, "");
}


function toCsv(control: Field[], details: Field[][], encoding: "utf-8-bom" | "gb18030"): Buffer {
  const text = (row: Field[], isDetail: boolean) =>
    csvRecord(row.map((f, i) => (typeof f !== "string" ? formatMoney(f) : isDetail && ACCOUNT_COLUMNS.has(i) ? `="${f}"` : f)));
  const body = [csvRecord(CONTROL_HEADER), text(control, false), "\r\n", csvRecord(DETAIL_HEADER), ...details.map((d) => text(d, true))].join("");
  return encoding === "gb18030" ? encodeGb18030(body) : Buffer.from("\uFEFF" + body, "utf8");
}

async function toXlsx(control: Field[], details: Field[][], items: BatchTransferItem[], flagged: BatchTransferFile["flagged"]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("批量支付");
  const put = (row: Field[]) => {
    const added = sheet.addRow(row.map((f) => (typeof f === "string" ? f : toSpreadsheetNumber(f))));
    row.forEach((f, i) => {
      if (typeof f !== "string") added.getCell(i + 1).numFmt = "0.00";
    });
  };
  sheet.addRow(CONTROL_HEADER);
  put(control);
  sheet.addRow([]);
  sheet.addRow(DETAIL_HEADER);
  details.forEach(put);
  for (const col of ACCOUNT_COLUMNS) {
    sheet.getColumn(col + 1).numFmt = "@";
    sheet.getColumn(col + 1).width = 24;
  }
  const check = workbook.addWorksheet("核对清单");
  check.addRow(["顺序号", "报销号", "收款人", "收款账号名称", "说明"]);
  for (const f of flagged) {
    const item = items[f.sequence - 1];
    check.addRow([String(f.sequence), guardText(item.reference), guardText(item.payeeName), guardText(item.accountName), "收款账号户名与收款人不一致，请核对代理人收款授权"]);
  }
  if (flagged.length === 0) check.addRow(["", "", "", "", "每笔收款账号户名均与收款人一致"]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function validate(items: BatchTransferItem[], options: BatchTransferOptions): void {
  const errors: FieldError[] = [];
  if (items.length === 0) errors.push({ path: "items", message: "a batch-transfer file needs at least one item" });
  if (!isValidDate(options.payOn)) errors.push({ path: "payOn", message: "must be a real date in the form YYYY-MM-DD" });
  if (!/^\d{6,32}$/.test(digits(options.payer.accountNumber))) errors.push({ path: "payer.accountNumber", message: "an account number is 6 to 32 digits" });
  items.forEach((item, i) => {
    if (!/^\d{6,32}$/.test(digits(item.accountNumber))) errors.push({ path: `items.${i}.accountNumber`, message: "an account number is 6 to 32 digits" });
    if (!item.amount.gt(0) || item.amount.gt(MONEY_MAX) || item.amount.decimalPlaces() > 2) {
      errors.push({ path: `items.${i}.amount`, message: "must be greater than 0 with at most two decimals" });
    }
    for (const key of ["payeeName", "bankName", "accountName", "reference"] as const) {
      if (item[key].trim() === "") errors.push({ path: `items.${i}.${key}`, message: "must not be empty" });
    }
  });
  if (errors.length > 0) throw validationFailed(errors, "The batch-transfer file cannot be made: see errors");
}
