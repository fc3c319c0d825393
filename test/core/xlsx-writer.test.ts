import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { XlsxStreamWriter, type XlsxCell } from "../../api/core/xlsx-writer";

/** Writes a workbook with the streaming writer and opens it with exceljs, an independent reader. */
async function roundTrip(write: (x: XlsxStreamWriter) => Promise<void>): Promise<{ workbook: ExcelJS.Workbook; bytes: Buffer }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const x = new XlsxStreamWriter(out);
  await write(x);
  out.end();
  const bytes = Buffer.concat(chunks);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return { workbook, bytes };
}

describe("the streaming XLSX writer (large exports, issue 16)", () => {
  test("sheets, Chinese text, numbers with the money format, empty cells and a bold header come back as written", async () => {
    const { workbook } = await roundTrip(async (x) => {
      await x.beginSheet("Summary 汇总", [{ width: 36 }, { width: 48 }]);
      await x.row([]);
      await x.row(["Cases 案件数", 284]);
      await x.row(["Total 总额", "10730000.00"]);
      await x.beginSheet("Payouts 发放明细", [{ width: 20 }, { width: 16, money: true }, { width: 10 }]);
      await x.row(["Payee 收款人", "Amount 金额", "Days"], { bold: true });
      await x.row(["张三", 1234.5, null]);
      await x.row(["李四", 0.01, 31]);
      await x.finish();
    });
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Summary 汇总", "Payouts 发放明细"]);
    const [summary, detail] = workbook.worksheets;
    expect(summary.getRow(2).values).toEqual([undefined, "Cases 案件数", 284]);
    expect(summary.getRow(3).getCell(2).value).toBe("10730000.00");
    expect(summary.getColumn(1).width).toBe(36);
    expect(detail.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(detail.getRow(2).getCell(2).value).toBe(1234.5);
    expect(detail.getRow(2).getCell(2).numFmt).toBe("#,##0.00");
    expect(detail.getRow(2).getCell(3).value).toBeNull();
    expect(detail.getRow(3).values).toEqual([undefined, "李四", 0.01, 31]);
  });

  test("markup, quotes, blanks at the edges, characters XML cannot hold and a lone surrogate are kept or replaced, never break the file", async () => {
    const nasty = ["<b>&amp;</b> \"x\" 'y'", "  leading and trailing  ", "tab\there\nnewline", "nul\u0000bell\u0007", "lone \ud800 surrogate", "emoji 😀 ok"];
    const { workbook } = await roundTrip(async (x) => {
      await x.beginSheet("Odd: [names]/*?", [{ width: 30 }]);
      for (const s of nasty) await x.row([s]);
      await x.finish();
    });
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe("Odd   names    ");
    expect(nasty.map((_, i) => sheet.getRow(i + 1).getCell(1).value)).toEqual([
      "<b>&amp;</b> \"x\" 'y'",
      "  leading and trailing  ",
      "tab\there\nnewline",
      "nul\ufffdbell\ufffd",
      "lone \ufffd surrogate",
      "emoji 😀 ok",
    ]);
  });

  test("a wide sheet gets column letters past Z, and many rows stream through more than one deflate chunk", async () => {
    const wide: XlsxCell[] = Array.from({ length: 60 }, (_, i) => `c${i}`);
    const rows = 20_000;
    const { workbook, bytes } = await roundTrip(async (x) => {
      await x.beginSheet("Wide", wide.map(() => ({ width: 8 })));
      await x.row(wide);
      for (let r = 0; r < rows; r++) await x.row([`row ${r}`, r, "合计"]);
      await x.finish();
    });
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).getCell(27).value).toBe("c26"); // AA
    expect(sheet.getRow(1).getCell(60).value).toBe("c59"); // BH
    expect(sheet.rowCount).toBe(rows + 1);
    expect(sheet.getRow(rows + 1).values).toEqual([undefined, `row ${rows - 1}`, rows - 1, "合计"]);
    expect(bytes.length).toBeLessThan(400_000); // compressed, not stored
  });

  test("a number that is not finite is refused rather than written as text Excel cannot read", async () => {
    const x = new XlsxStreamWriter(new PassThrough().resume());
    await x.beginSheet("S", [{ width: 8 }]);
    await expect(x.row([Number.NaN])).rejects.toThrow(/not a finite number/);
  });
});
