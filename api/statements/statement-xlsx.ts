import ExcelJS from "exceljs";
import { StatementError } from "./statement-errors";

/** A worksheet row as text, with the columns whose number cell lost digits (see below) and the date cells. */
export interface SheetRow {
  lineNo: number;
  cells: string[];
  lossy?: Set<number>;
  dateCells?: Set<number>;
}

/**
 * The rows of every worksheet that has any, as text (the parser takes the first with the header). This is the one place a spreadsheet's
 * IEEE double is turned into text: `String(n)` gives the shortest digits that read back as the
 * same double, which for every amount a bank writes (≤ 15 significant digits) is what the bank
 * wrote. A whole number beyond 2^53 has lost digits already — a 19-digit account number stored as
 * a number is 6228480123456789000, not …012 — so its column is marked lossy and a field that needs
 * exact digits is refused.
 */
export async function readXlsxSheets(bytes: Buffer): Promise<SheetRow[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new StatementError("bad_file", "The XLSX file is damaged or truncated and cannot be opened; export it from the bank again", [
      { path: "file", message: `not a readable XLSX workbook (${(err as Error).message})` },
    ]);
  }
  const sheets: SheetRow[][] = [];
  for (const sheet of workbook.worksheets) {
    const rows: SheetRow[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: string[] = [];
      let lossy: Set<number> | undefined;
      let dateCells: Set<number> | undefined;
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        const { text, lossy: lost } = cellText(cell.value);
        cells[col - 1] = text;
        if (lost) (lossy ??= new Set()).add(col - 1);
        if (cell.value instanceof Date) (dateCells ??= new Set()).add(col - 1);
      });
      for (let c = 0; c < cells.length; c++) cells[c] ??= "";
      rows.push({ lineNo: rowNumber, cells, lossy, dateCells });
    });
    if (rows.length > 0) sheets.push(rows);
  }
  return sheets;
}

function cellText(value: ExcelJS.CellValue): { text: string; lossy?: boolean } {
  if (value === null || value === undefined) return { text: "" };
  if (typeof value === "string") return { text: value };
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return { text: value ? "TRUE" : "FALSE" };
  if (value instanceof Date) return { text: dateText(value) };
  if ("richText" in value) return { text: value.richText.map((r) => r.text).join("") };
  if ("hyperlink" in value) return { text: String(value.text ?? "") };
  if ("error" in value) return { text: value.error };
  if ("result" in value && value.result !== undefined) return cellText(value.result as ExcelJS.CellValue);
  return { text: "" };
}

function numberText(n: number): { text: string; lossy?: boolean } {
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return { text: String(n), lossy: true };
  return { text: String(n) };
}

/** exceljs gives a date cell as the UTC instant of its wall-clock value: read it back in UTC. */
function dateText(d: Date): string {
  const date = d.toISOString().slice(0, 10);
  const time = d.toISOString().slice(11, 19);
  return time === "00:00:00" ? date : `${date} ${time}`;
}
