import { columnMappingSchema, layoutFromMapping, type ColumnMapping } from "../../api/statements/column-mapping";
import { statementCsv, statementXlsx } from "../../api/statements/statement-generator";
import { parseStatement } from "../../api/statements/statement-parser";
import { TODAY, expectedLine, plainLine, refusal, sampleLines } from "./statement-fixtures";

/**
 * A bank we ship no layout for, given once by the court as a mapping: here the shape of CCB's
 * offline 交易明细 workbook (one amount column and a 借贷方向 column), as a discipline-inspection
 * tool in the public code corpus reads it.
 */
const ccbTransactionDetail = {
  name: "建行交易明细（借贷方向）",
  bank: "中国建设银行",
  columns: {
    transactionDate: "交易日期",
    transactionTime: "交易时间",
    amount: "交易金额",
    direction: "借贷方向",
    balance: "账户余额",
    counterpartyName: "对方户名",
    counterpartyAccount: "对方账号",
    counterpartyBank: "对方行名",
    remark: ["摘要", "扩充备注"],
    bankReference: "交易流水号",
  },
  dateFormat: "auto",
  amountStyle: "direction",
  directionValues: { credit: ["贷"], debit: ["借"] },
  thousandsSeparators: true,
} as const;

const mapping: ColumnMapping = columnMappingSchema.parse(ccbTransactionDetail);

describe("a column mapping given by the court", () => {
  test("a file in the mapped shape reads back line by line, from CSV and XLSX", async () => {
    const layout = layoutFromMapping(mapping);
    const spec = { layout, account: { number: "1", name: "法院" }, lines: sampleLines() };
    for (const [file, kind] of [[statementCsv(spec, "gb18030"), "csv"], [await statementXlsx(spec), "xlsx"]] as const) {
      const parsed = await parseStatement(file, kind, mapping, { today: TODAY });
      expect(parsed.lines.map(plainLine)).toEqual(sampleLines().map((g) => expectedLine(layout, g)));
      expect(parsed.layout).toBe("建行交易明细（借贷方向）");
    }
  });

  test("a 借贷方向 that is neither 借 nor 贷 is refused with its line", async () => {
    const csv = "交易日期,交易金额,借贷方向\n2024-03-11,100.00,贷\n2024-03-12,5.00,转\n";
    const err = await refusal(parseStatement(Buffer.from(csv), "csv", mapping, { today: TODAY }));
    expect(err.reason).toBe("bad_direction");
    expect(err.extra.errors).toEqual([{ path: "file.line.3.direction", message: '借贷方向 "转" is neither 贷 nor 借' }]);
  });

  test("with a direction column, a negative amount is refused", async () => {
    const csv = "交易日期,交易金额,借贷方向\n2024-03-11,-100.00,借\n";
    expect((await refusal(parseStatement(Buffer.from(csv), "csv", mapping, { today: TODAY }))).reason).toBe("bad_amount");
  });

  test("a file without the mapped column names it", async () => {
    const err = await refusal(parseStatement(Buffer.from("交易日期,交易金额\n2024-03-11,1.00\n"), "csv", mapping, { today: TODAY }));
    expect(err.reason).toBe("missing_column");
    expect(err.extra.missingColumns).toEqual(["借贷方向"]);
  });

  test("the mapping is a strict object: an unknown key is refused", () => {
    expect(columnMappingSchema.safeParse({ ...ccbTransactionDetail, encoding: "gbk" }).success).toBe(false);
    expect(columnMappingSchema.safeParse({ ...ccbTransactionDetail, columns: { ...ccbTransactionDetail.columns, fee: "手续费" } }).success).toBe(false);
  });

  test("a mapping must name the columns its amount style needs", () => {
    const issues = (m: unknown) => columnMappingSchema.safeParse(m).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues({ ...ccbTransactionDetail, amountStyle: "two-columns", directionValues: undefined })).toEqual([
      ["columns.credit", "required when amountStyle is two-columns"],
      ["columns.debit", "required when amountStyle is two-columns"],
    ]);
    expect(issues({ ...ccbTransactionDetail, directionValues: undefined })).toEqual([["directionValues", "required when amountStyle is direction"]]);
    expect(issues({ ...ccbTransactionDetail, directionValues: { credit: ["贷", "C"], debit: ["借", "C"] } })).toEqual([["directionValues", "C cannot mean both credit and debit"]]);
    expect(issues({ ...ccbTransactionDetail, dateFormat: "DD/MM/YYYY" })?.[0][0]).toBe("dateFormat");
  });

  test("a signed-amount mapping with a fixed date format", async () => {
    const signed = columnMappingSchema.parse({ name: "x", columns: { transactionDate: "日期", amount: "金额" }, dateFormat: "YYYY/M/D", amountStyle: "signed", thousandsSeparators: false });
    const parsed = await parseStatement(Buffer.from("日期,金额\n2024/3/9,-12.50\n"), "csv", signed, { today: TODAY });
    expect(parsed.lines.map(plainLine)).toEqual([{ valueDate: "2024-03-09", direction: "debit", amount: "12.50" }]);
    const err = await refusal(parseStatement(Buffer.from("日期,金额\n2024-03-09,1.00\n"), "csv", signed, { today: TODAY }));
    expect(err.reason).toBe("bad_date");
  });
});
