import ExcelJS from "exceljs";
import { AppError } from "../../api/core/errors";
import { batchTransferFile, guardText, type BatchTransferItem, type BatchTransferOptions } from "../../api/statements/batch-transfer-file";
import { parseCsv } from "../../api/statements/statement-csv";
import { money } from "./statement-fixtures";

const payer = { bankName: "中国农业银行江华支行", accountName: "江华瑶族自治县人民法院", accountNumber: "43050101040012345" };
const options = (over: Partial<BatchTransferOptions> = {}): BatchTransferOptions => ({ payer, payOn: "2024-03-15", batchReference: "B-2024/001", format: "xlsx", ...over });

const items: BatchTransferItem[] = [
  { payeeName: "张三", bankName: "中国工商银行长沙分行", accountName: "张三", accountNumber: "6222021234567890123", amount: money("10000.00"), reference: "B-2024-001-1", remark: "执行款" },
  { payeeName: "李四", bankName: "中国农业银行江华支行", accountName: "王律师", accountNumber: "6228480123456789012", amount: money("2345.67"), reference: "B-2024-001-2", remark: "=HYPERLINK(\"http://x\")" },
  { payeeName: "某某（有限）公司", bankName: "中国建设银行", accountName: "某某(有限)公司", accountNumber: "4300 1234 5678 9012 3456", amount: money("0.01"), reference: "B-2024-001-3", remark: "@SUM(A1)" },
];

async function sheetOf(buffer: Buffer, name: string): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb.getWorksheet(name)!;
}

describe("the batch-transfer file (ICBC 企业财务室 layout)", () => {
  test("XLSX: the control row carries the count and the exact sum the bank checks", async () => {
    const file = await batchTransferFile(items, options());
    expect(file.count).toBe(3);
    expect(file.total.toFixed(2)).toBe("12345.68");
    expect(file.filename).toBe("batch-transfer-B-2024_001-20240315.xlsx");
    const ws = await sheetOf(file.buffer, "批量支付");
    expect(ws.getRow(1).values).toEqual([undefined, "币种", "日期", "总计标志", "总金额", "总笔数"]);
    expect(ws.getRow(2).values).toEqual([undefined, "RMB", "20240315", "1", 12345.68, "3"]);
    expect(ws.getRow(2).getCell(4).numFmt).toBe("0.00");
  });

  test("XLSX: account numbers are text cells, all 19 digits, never 6.22848E+18", async () => {
    const ws = await sheetOf((await batchTransferFile(items, options())).buffer, "批量支付");
    const header = ws.getRow(4).values as string[];
    const accountCol = header.indexOf("收款账号");
    const cells = [5, 6, 7].map((r) => ws.getRow(r).getCell(accountCol));
    expect(cells.map((c) => c.type)).toEqual([ExcelJS.ValueType.String, ExcelJS.ValueType.String, ExcelJS.ValueType.String]);
    expect(cells.map((c) => c.value)).toEqual(["6222021234567890123", "6228480123456789012", "43001234567890123456"]);
    expect(ws.getColumn(accountCol).numFmt).toBe("@");
    expect(ws.getRow(5).getCell(header.indexOf("付款账号")).value).toBe("43050101040012345");
  });

  test("XLSX: one detail row per item in the bank's column order, with the reference in 报销号 and 备注信息", async () => {
    const ws = await sheetOf((await batchTransferFile(items, options())).buffer, "批量支付");
    expect(ws.getRow(4).values).toEqual([undefined, "币种", "日期", "明细标志", "顺序号", "报销号", "付款账号开户行", "付款账号", "付款账号名称", "收款账号开户行", "收款账号", "收款账号名称", "金额", "汇款用途", "备注信息"]);
    expect(ws.getRow(5).values).toEqual([undefined, "RMB", "20240315", "2", "1", "B-2024-001-1", "中国农业银行江华支行", "43050101040012345", "江华瑶族自治县人民法院", "中国工商银行长沙分行", "6222021234567890123", "张三", 10000, "执行款", "B-2024-001-1"]);
  });

  test("text that a spreadsheet would run as a formula is made text with a leading '", async () => {
    const ws = await sheetOf((await batchTransferFile(items, options())).buffer, "批量支付");
    expect(ws.getRow(6).getCell(13).value).toBe("'=HYPERLINK(\"http://x\")");
    expect(ws.getRow(7).getCell(13).value).toBe("'@SUM(A1)");
    expect(["=1", "+1", "-1", "@x", "\tx", "\rx"].map(guardText)).toEqual(["'=1", "'+1", "'-1", "'@x", "'\tx", "'\rx"]);
    expect(guardText("张三")).toBe("张三");
  });

  test("an item whose account holder is not the payee is flagged, and listed on the check sheet", async () => {
    const file = await batchTransferFile(items, options());
    expect(file.flagged).toEqual([{ sequence: 2, reference: "B-2024-001-2", reason: "account_name_differs" }]);
    const check = await sheetOf(file.buffer, "核对清单");
    expect(check.getRow(2).values).toEqual([undefined, "2", "B-2024-001-2", "李四", "王律师", "收款账号户名与收款人不一致，请核对代理人收款授权"]);
  });

  test("CSV: account numbers guarded as =\"…\", the amounts exact, UTF-8 with a BOM for Excel and WPS", async () => {
    const file = await batchTransferFile(items, options({ format: "csv" }));
    expect(file.contentType).toBe("text/csv; charset=utf-8");
    expect(file.buffer.subarray(0, 3).toString("hex")).toBe("efbbbf");
    const rows = parseCsv(file.buffer.subarray(3).toString("utf8")).map((r) => r.cells);
    expect(rows[1]).toEqual(["RMB", "20240315", "1", "12345.68", "3"]);
    expect(rows[4][9]).toBe('="6222021234567890123"');
    expect(rows[4][6]).toBe('="43050101040012345"');
    expect(rows[5][12]).toBe("'=HYPERLINK(\"http://x\")");
    expect(rows.slice(4).map((r) => r[11])).toEqual(["10000.00", "2345.67", "0.01"]);
  });

  test("CSV in GB18030 for a bank's upload tool that wants GBK", async () => {
    const file = await batchTransferFile(items, options({ format: "csv", csvEncoding: "gb18030" }));
    expect(file.contentType).toBe("text/csv; charset=gb18030");
    const text = new TextDecoder("gb18030", { fatal: true }).decode(file.buffer);
    expect(text.startsWith("币种,日期,总计标志,总金额,总笔数\r\n")).toBe(true);
  });

  test("an invalid item is refused with its path; nothing is made", async () => {
    const bad = [{ ...items[0], accountNumber: "6.22848E+18" }, { ...items[1], amount: money("0.001") }, { ...items[2], accountName: " " }];
    const err = await batchTransferFile(bad, options({ payOn: "2024-02-30" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("validation_failed");
    expect((err as AppError).extra.errors).toEqual([
      { path: "payOn", message: "must be a real date in the form YYYY-MM-DD" },
      { path: "items.0.accountNumber", message: "an account number is 6 to 32 digits" },
      { path: "items.1.amount", message: "must be greater than 0 with at most two decimals" },
      { path: "items.2.accountName", message: "must not be empty" },
    ]);
    const empty = await batchTransferFile([], options()).catch((e: unknown) => e);
    expect((empty as AppError).extra.errors).toEqual([{ path: "items", message: "a batch-transfer file needs at least one item" }]);
  });
});
