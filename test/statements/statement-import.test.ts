import ExcelJS from "exceljs";
import { generateStatement, statementCsv, statementXlsx, type GeneratedLine } from "../../api/statements/statement-generator";
import { ABC_ACCOUNT_DETAIL, CCB_ACCOUNT_DETAIL, ICBC_DETAIL, STATEMENT_LAYOUTS, getStatementLayout } from "../../api/statements/statement-layouts";
import { parseStatement, statementKindFromContentType } from "../../api/statements/statement-parser";
import { encodeGb18030 } from "../../api/statements/text-encoding";
import { COURT_ACCOUNT, TODAY, expectedLine, money, plainLine, refusal, sampleLines, sampleSpec } from "./statement-fixtures";

const formats = [
  { name: "CSV in UTF-8", kind: "csv", encoding: "utf-8" },
  { name: "CSV in UTF-8 with a BOM", kind: "csv", encoding: "utf-8-bom" },
  { name: "CSV in GB18030 (GBK)", kind: "csv", encoding: "gb18030" },
  { name: "XLSX", kind: "xlsx" },
] as const;

const withBalances = (lines: GeneratedLine[]) => {
  let running = money("1000.00");
  return lines.map((l) => {
    running = l.direction === "credit" ? running.plus(l.amount) : running.minus(l.amount);
    return { ...l, balanceAfter: running };
  });
};

describe.each(Object.values(STATEMENT_LAYOUTS))("layout $name: generator → parser", (layout) => {
  test.each(formats)("$name: every line comes back as it went in, with the closing balance", async (format) => {
    const file = await generateStatement(sampleSpec(layout), format.kind === "xlsx" ? { kind: "xlsx" } : { kind: "csv", encoding: format.encoding });
    const parsed = await parseStatement(file, format.kind, layout, { today: TODAY });
    const expected = withBalances(sampleLines()).map((g) => expectedLine(layout, g));
    const inFileOrder = layout.render.newestFirst ? [...expected].reverse() : expected;
    expect(parsed.lines.map(plainLine)).toEqual(inFileOrder);
    expect(parsed.closingBalance?.toFixed(2)).toBe("4345.67");
    expect(parsed.openingBalance?.toFixed(2)).toBe("1000.00");
    expect(parsed.period).toEqual({ from: "2024-03-11", to: "2024-03-15" });
    expect(parsed.account?.number).toBe(COURT_ACCOUNT.number);
    expect(parsed.problems.filter((p) => p.kind === "balance_discontinuity")).toEqual([]);
  });
});

describe("files like the banks' own (written by hand after the public samples)", () => {
  test("ICBC 明细查询文件下载: padded cells with tabs, '-' in unused columns, grouped amounts, newest first, a 人民币合计 row", async () => {
    const csv = [
      "明细查询文件下载",
      "",
      '卡号: 6222021234567890123,"卡别名: 执行款专户"',
      "",
      '子账户序号: 00000,子账户类别: 活期,"子账户别名: "',
      "",
      "交易日期,摘要,交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),交易币种,记账金额(收入),记账金额(支出),记账币种,余额,对方户名",
      '2024-03-14     \t,"网转                \t","手机银行        \t","CHN     \t",钞        \t,"-        \t","-       \t",-     \t,"                    \t","500.00              \t",人民币         \t,"12,845.67          \t","王五              \t",',
      '2024-03-12     \t,"他行汇入            \t","                \t","CHN     \t",钞        \t,"-        \t","-       \t",-     \t,"1,234.56           \t","                    \t",人民币         \t,"13,345.67          \t","李四              \t",',
      " ",
      '人民币合计,,,,,,,,"1,234.56          \t","500.00          \t",',
      "",
    ].join("\n");
    const parsed = await parseStatement(Buffer.from(csv, "utf8"), "csv", ICBC_DETAIL, { today: TODAY });
    expect(parsed.account).toEqual({ number: "6222021234567890123" });
    expect(parsed.lines.map(plainLine)).toEqual([
      { valueDate: "2024-03-14", direction: "debit", amount: "500.00", balanceAfter: "12845.67", counterpartyName: "王五", remark: "网转" },
      { valueDate: "2024-03-12", direction: "credit", amount: "1234.56", balanceAfter: "13345.67", counterpartyName: "李四", remark: "他行汇入" },
    ]);
    expect(parsed.closingBalance?.toFixed(2)).toBe("12845.67"); // the newest line is first
    expect(parsed.problems.map((p) => p.kind)).toEqual(["skipped_summary"]);
  });

  test("ABC 账户明细 as the app exports it: no title lines, '日 志 号', signed amounts, 0.00 interest-tax lines skipped", async () => {
    const csv = [
      "交易日期,交易时间,交易摘要,交易金额,本次余额,对手信息,日 志 号,交易渠道,交易附言",
      "20240301,123456,转存,+10000.00,11000.00,张三,369396693,超级网银,(2024)湘1129执7号",
      "20240302,132324,财付通,-10.00,10990.00,微信支付北京一卡通,369333999,电子商务,UA0123",
      "20240304,,结息,+0.01,10990.01,--,0000000000,,个人活期结息",
      "20240304,,利息税,+0.00,10990.01,--,0000000001,,个人活期结息",
    ].join("\n");
    const parsed = await parseStatement(Buffer.from(csv, "utf8"), "csv", ABC_ACCOUNT_DETAIL, { today: TODAY });
    expect(parsed.account).toBeUndefined();
    expect(parsed.lines.map(plainLine)).toEqual([
      { valueDate: "2024-03-01", direction: "credit", amount: "10000.00", balanceAfter: "11000.00", counterpartyName: "张三", remark: "转存 / (2024)湘1129执7号", bankReference: "369396693" },
      { valueDate: "2024-03-02", direction: "debit", amount: "10.00", balanceAfter: "10990.00", counterpartyName: "微信支付北京一卡通", remark: "财付通 / UA0123", bankReference: "369333999" },
      { valueDate: "2024-03-04", direction: "credit", amount: "0.01", balanceAfter: "10990.01", remark: "结息 / 个人活期结息", bankReference: "0000000000" },
    ]);
    expect(parsed.problems).toEqual([{ lineNo: 5, kind: "skipped_zero_amount", message: "a line of 0.00 skipped (it moves no money)" }]);
  });

  test("CCB 账户明细 as a workbook: amounts as number cells, 0 in the unused column, the account on every row", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Sheet1");
    ws.addRow(CCB_ACCOUNT_DETAIL.columns.map((c) => c.header).slice(0, 14));
    ws.addRow(["43050101040012345", "江华瑶族自治县人民法院", "20240305 18:22:21", 0, 191, 445321.58, "人民币元", "湖南某某商贸有限公司", "944153", "中国邮政储蓄银行股份有限公司江华县支行", "20240305", "电子转账", "（2024）湘1129执88号", "4939"]);
    ws.addRow(["43050101040012345", "江华瑶族自治县人民法院", "20240306 09:01:00", 100, 0, 445221.58, "人民币元", "湖南某某商贸有限公司", "944153", "", "20240306", "电子转账", "退款", "4940"]);
    const parsed = await parseStatement(Buffer.from(await wb.xlsx.writeBuffer()), "xlsx", CCB_ACCOUNT_DETAIL, { today: TODAY });
    expect(parsed.account).toEqual({ number: "43050101040012345", name: "江华瑶族自治县人民法院" });
    expect(parsed.lines.map(plainLine)).toEqual([
      {
        valueDate: "2024-03-05",
        bookedOn: "2024-03-05",
        direction: "credit",
        amount: "191.00",
        balanceAfter: "445321.58",
        counterpartyName: "湖南某某商贸有限公司",
        counterpartyAccount: "944153",
        counterpartyBank: "中国邮政储蓄银行股份有限公司江华县支行",
        remark: "电子转账 / （2024）湘1129执88号",
        bankReference: "4939",
      },
      { valueDate: "2024-03-06", bookedOn: "2024-03-06", direction: "debit", amount: "100.00", balanceAfter: "445221.58", counterpartyName: "湖南某某商贸有限公司", counterpartyAccount: "944153", remark: "电子转账 / 退款", bankReference: "4940" },
    ]);
  });
});

test("a workbook with a cover sheet first: the lines are read from the sheet that has the header, date cells as dates", async () => {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet("说明").addRow(["本文件由网上银行导出"]);
  const ws = wb.addWorksheet("明细");
  ws.addRow(["交易日期", "交易金额", "对方户名"]);
  ws.addRow([new Date(Date.UTC(2024, 2, 11)), 88.5, "张三"]);
  const parsed = await parseStatement(Buffer.from(await wb.xlsx.writeBuffer()), "xlsx", { ...ABC_ACCOUNT_DETAIL, dateFormats: ["YYYYMMDD"] }, { today: TODAY });
  expect(parsed.lines.map(plainLine)).toEqual([{ valueDate: "2024-03-11", direction: "credit", amount: "88.50", counterpartyName: "张三" }]);
});

describe("bad input: the file is refused whole, with the line and column named", () => {
  const ccbCsv = (rows: string[][]) => Buffer.from([CCB_ACCOUNT_DETAIL.columns.map((c) => c.header), ...rows].map((r) => r.join(",")).join("\r\n"), "utf8");
  const ccbRow = (over: Partial<Record<"time" | "debit" | "credit" | "currency" | "account", string>> = {}) => [
    over.account ?? "43050101040012345", "江华法院", over.time ?? "20240305 10:00:00", over.debit ?? "0.00", over.credit ?? "100.00", "1100.00", over.currency ?? "人民币元",
    "张三", "6228480123456789012", "", "20240305", "转账", "", "R1", "", "", "", "",
  ];

  test("a file in another layout: 422-style missing_column naming the column", async () => {
    const file = statementCsv(sampleSpec(CCB_ACCOUNT_DETAIL));
    const err = await refusal(parseStatement(file, "csv", ABC_ACCOUNT_DETAIL, { today: TODAY }));
    expect(err.reason).toBe("missing_column");
    expect(err.status).toBe(400);
    expect(err.detail).toMatch(/abc-account-detail.*the closest row \(line 2\) lacks "交易日期", "交易金额"/);
    expect(err.extra.errors).toEqual([
      { path: "file.header.transactionDate", message: 'no column "交易日期"' },
      { path: "file.header.amount", message: 'no column "交易金额"' },
    ]);
    expect(err.extra.missingColumns).toEqual(["交易日期", "交易金额"]);
  });

  test("a file with none of the layout's columns says so", async () => {
    const err = await refusal(parseStatement(Buffer.from("日期,金额\n2024-03-11,1.00\n"), "csv", ICBC_DETAIL, { today: TODAY }));
    expect(err.reason).toBe("missing_column");
    expect(err.detail).toMatch(/no row among the first 40/);
    expect(err.extra.errors).toEqual([
      { path: "file.header.transactionDate", message: 'no column "交易日期"' },
      { path: "file.header.credit", message: 'no column "记账金额(收入)"' },
      { path: "file.header.debit", message: 'no column "记账金额(支出)"' },
    ]);
  });

  test("a truncated XLSX is refused as a damaged file", async () => {
    const xlsx = await statementXlsx(sampleSpec(CCB_ACCOUNT_DETAIL));
    const err = await refusal(parseStatement(xlsx.subarray(0, Math.floor(xlsx.length / 2)), "xlsx", CCB_ACCOUNT_DETAIL, { today: TODAY }));
    expect(err.reason).toBe("bad_file");
    expect(err.detail).toMatch(/damaged or truncated/);
  });

  test("an .xls (Excel 97-2003) file is refused with what to do; a CSV sent as XLSX is refused", async () => {
    const xls = Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), Buffer.alloc(504)]);
    expect((await refusal(parseStatement(xls, "xlsx", CCB_ACCOUNT_DETAIL, { today: TODAY }))).reason).toBe("unsupported_format");
    expect((await refusal(parseStatement(statementCsv(sampleSpec(CCB_ACCOUNT_DETAIL)), "xlsx", CCB_ACCOUNT_DETAIL, { today: TODAY }))).reason).toBe("bad_file");
  });

  test("a GBK file that was opened as UTF-8 and saved (replacement characters) is refused: mojibake never becomes a receipt", async () => {
    const gbk = statementCsv(sampleSpec(ABC_ACCOUNT_DETAIL), "gb18030");
    const mangled = Buffer.from(new TextDecoder("utf-8").decode(gbk), "utf8");
    const err = await refusal(parseStatement(mangled, "csv", ABC_ACCOUNT_DETAIL, { today: TODAY }));
    expect(err.reason).toBe("bad_encoding");
  });

  test("UTF-8 bytes read as GBK and saved again as UTF-8 are refused as mojibake, not reported as a wrong layout", async () => {
    const utf8 = statementCsv({ ...sampleSpec(ABC_ACCOUNT_DETAIL), lines: [] }, "utf-8");
    const mojibakeText = new TextDecoder("gb18030").decode(utf8);
    const err = await refusal(parseStatement(Buffer.from(mojibakeText, "utf8"), "csv", ABC_ACCOUNT_DETAIL, { today: TODAY }));
    expect(err.reason).toBe("bad_encoding");
  });

  test("a GBK file that was read as Latin-1 and saved again is refused as mojibake", async () => {
    const gbk = statementCsv(sampleSpec(CCB_ACCOUNT_DETAIL), "gb18030");
    const err = await refusal(parseStatement(Buffer.from(gbk.toString("latin1"), "utf8"), "csv", CCB_ACCOUNT_DETAIL, { today: TODAY }));
    expect(err.reason).toBe("bad_encoding");
    expect(err.detail).toMatch(/GBK text that was read as Latin-1/);
  });

  test("a negative amount is refused with its line", async () => {
    const err = await refusal(parseStatement(ccbCsv([ccbRow(), ccbRow({ debit: "-500.00", credit: "0.00" })]), "csv", CCB_ACCOUNT_DETAIL, { today: TODAY }));
    expect(err.reason).toBe("bad_amount");
    expect(err.extra.errors).toEqual([{ path: "file.line.3.amount", message: "借方发生额（支取） is negative (-500.00); a statement amount is never negative" }]);
  });

  test.each([
    ["a non-numeric amount", { credit: "一百元" }, /"一百元" is not an amount/],
    ["a full-width amount", { credit: "１００.００" }, /full-width/],
    ["both columns filled", { credit: "100.00", debit: "5.00" }, /both/],
    ["neither column filled", { credit: "", debit: "" }, /neither/],
  ])("%s is refused", async (_name, over, message) => {
    const err = await refusal(parseStatement(ccbCsv([ccbRow(over)]), "csv", CCB_ACCOUNT_DETAIL, { today: TODAY }));
    expect(err.reason).toBe("bad_amount");
    expect((err.extra.errors as { path: string; message: string }[])[0]).toEqual({ path: "file.line.2.amount", message: expect.stringMatching(message) });
  });

  test("a value date in the future (after `today`) is refused", async () => {
    const err = await refusal(parseStatement(ccbCsv([ccbRow({ time: "20240401 08:00:00" })]), "csv", CCB_ACCOUNT_DETAIL, { today: TODAY }));
    expect(err.reason).toBe("future_date");
    expect(err.extra.errors).toEqual([{ path: "file.line.2.valueDate", message: "交易时间 2024-04-01 is after today (2024-03-31)" }]);
  });

  test("a date that does not parse is refused", async () => {
    const err = await refusal(parseStatement(ccbCsv([ccbRow({ time: "2024-02-30" })]), "csv", CCB_ACCOUNT_DETAIL, { today: TODAY }));
    expect(err.reason).toBe("bad_date");
    expect((err.extra.errors as { path: string }[])[0].path).toBe("file.line.2.valueDate");
  });

  test("all or nothing: good lines around two bad ones give no lines, and both bad lines are named", async () => {
    const rows = [ccbRow(), ccbRow({ credit: "x" }), ccbRow(), ccbRow({ time: "20991231 00:00:00" }), ccbRow()];
    const err = await refusal(parseStatement(ccbCsv(rows), "csv", CCB_ACCOUNT_DETAIL, { today: TODAY }));
    expect(err.extra.errorCount).toBe(2);
    expect(err.extra.reasons).toEqual(["bad_amount", "future_date"]);
    expect((err.extra.errors as { path: string }[]).map((e) => e.path)).toEqual(["file.line.3.amount", "file.line.5.valueDate"]);
  });

  test("a line in another currency is refused", async () => {
    const err = await refusal(parseStatement(ccbCsv([ccbRow({ currency: "美元" })]), "csv", CCB_ACCOUNT_DETAIL, { today: TODAY }));
    expect(err.reason).toBe("bad_currency");
  });

  test("lines of two accounts in one file are refused", async () => {
    const err = await refusal(parseStatement(ccbCsv([ccbRow(), ccbRow({ account: "43050101040099999" })]), "csv", CCB_ACCOUNT_DETAIL, { today: TODAY }));
    expect(err.reason).toBe("mixed_accounts");
  });

  test("a 19-digit account stored as a number cell (6.22848E+18) is refused: its digits are gone", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("明细");
    ws.addRow(["交易日期", "交易金额", "对方账号", "对方户名"]);
    ws.addRow(["20240305", 100, 6228480123456789012, "张三"]);
    const err = await refusal(parseStatement(Buffer.from(await wb.xlsx.writeBuffer()), "xlsx", ABC_ACCOUNT_DETAIL, { today: TODAY }));
    expect(err.reason).toBe("bad_account_number");
    expect((err.extra.errors as { path: string }[])[0].path).toBe("file.line.2.counterpartyAccount");
  });

  test("a summary row is skipped; a note under the lines is skipped; neither is a line", async () => {
    const csv = ccbCsv([ccbRow(), ["合计", "", "", "0.00", "100.00"], ["以上数据仅供参考"]]);
    const parsed = await parseStatement(csv, "csv", CCB_ACCOUNT_DETAIL, { today: TODAY });
    expect(parsed.lines).toHaveLength(1);
    expect(parsed.problems.map((p) => [p.lineNo, p.kind])).toEqual([
      [3, "skipped_summary"],
      [4, "skipped_note"],
    ]);
  });

  test("a payment whose remark says 合计 and whose date is wrong is a bad line, not a summary row", async () => {
    const row = ccbRow({ time: "2024-13-01" });
    row[11] = "合计还款";
    const err = await refusal(parseStatement(ccbCsv([row]), "csv", CCB_ACCOUNT_DETAIL, { today: TODAY }));
    expect(err.reason).toBe("bad_date");
  });

  test("too many lines is refused before any is read", async () => {
    const err = await refusal(parseStatement(ccbCsv([ccbRow(), ccbRow(), ccbRow()]), "csv", CCB_ACCOUNT_DETAIL, { today: TODAY, maxLines: 2 }));
    expect(err.reason).toBe("too_many_lines");
  });

  test("an empty file is refused", async () => {
    expect((await refusal(parseStatement(Buffer.alloc(0), "csv", CCB_ACCOUNT_DETAIL, { today: TODAY }))).reason).toBe("bad_file");
  });
});

describe("what the reader notices without refusing", () => {
  test("a missing line shows as a break in the running balance", async () => {
    const lines = withBalances(sampleLines());
    lines.splice(1, 1);
    const parsed = await parseStatement(statementCsv(sampleSpec(CCB_ACCOUNT_DETAIL, lines)), "csv", CCB_ACCOUNT_DETAIL, { today: TODAY });
    expect(parsed.problems).toEqual([expect.objectContaining({ kind: "balance_discontinuity", lineNo: 4 })]);
  });

  test("a statement of one day, newest first, is put in order by its running balance", async () => {
    const day = sampleLines().map((l) => ({ ...l, valueDate: "2024-03-12", bookedOn: undefined }));
    const spec = { ...sampleSpec({ ...CCB_ACCOUNT_DETAIL, render: { ...CCB_ACCOUNT_DETAIL.render, newestFirst: true } }, day) };
    const parsed = await parseStatement(statementCsv(spec), "csv", CCB_ACCOUNT_DETAIL, { today: TODAY });
    expect(parsed.closingBalance?.toFixed(2)).toBe("4345.67");
    expect(parsed.openingBalance?.toFixed(2)).toBe("1000.00");
  });

  test("an empty statement has no lines and no closing balance", async () => {
    const parsed = await parseStatement(statementCsv({ ...sampleSpec(ABC_ACCOUNT_DETAIL), lines: [] }, "gb18030"), "csv", ABC_ACCOUNT_DETAIL, { today: TODAY });
    expect(parsed).toEqual({ layout: "abc-account-detail", account: COURT_ACCOUNT, lines: [], problems: [] });
  });
});

test("layouts are found by name, and only shipped ones", () => {
  expect(getStatementLayout("icbc-detail")).toBe(ICBC_DETAIL);
  expect(getStatementLayout("toString")).toBeUndefined();
});

test("the file kind from the upload's content type, or from the file name for a browser's generic type", () => {
  expect(statementKindFromContentType("text/csv; charset=gbk")).toBe("csv");
  expect(statementKindFromContentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).toBe("xlsx");
  expect(statementKindFromContentType("application/octet-stream", "明细.XLSX")).toBe("xlsx");
  expect(statementKindFromContentType("application/pdf", "明细.csv")).toBeUndefined();
});

test("the GB18030 file the generator writes is GBK on disk (two bytes a character)", () => {
  const file = statementCsv(sampleSpec(ABC_ACCOUNT_DETAIL), "gb18030");
  expect(file.includes(encodeGb18030("中国农业银行账户明细"))).toBe(true);
  expect(file.includes(Buffer.from("中国农业银行", "utf8"))).toBe(false);
});
