import { StatementError } from "./statement-errors";

/** One record of a CSV file, with the physical line it starts on (what a person sees in an editor). */
export interface CsvRecord {
  lineNo: number;
  cells: string[];
}

/**
 * RFC 4180: fields separated by commas, records by CRLF (LF or CR alone accepted too), a field
 * in double quotes may hold commas, line breaks and doubled quotes. A quote inside an unquoted
 * field is kept as a character (it shifts no column); text after a closing quote, or a quote never
 * closed, is refused — the columns of the rest of the file could not be trusted.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    cells.push(field);
    records.push({ lineNo: recordLine, cells });
    cells = [];
    field = "";
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && field === "") {
      const start = line;
      i++;
      for (;;) {
        if (i >= text.length) throw csvError(start, "a quoted field is never closed");
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === "\n" || (q === "\r" && text[i + 1] !== "\n")) line++;
        field += q;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== "," && next !== "\r" && next !== "\n") throw csvError(line, "text follows a closing quote");
      if (field === "") field = "\u0000"; // a quoted empty field: kept apart from "no field yet"
      continue;
    }
    if (c === ",") {
      cells.push(field);
      field = "";
      i++;
    } else if (c === "\r" || c === "\n") {
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== "" || cells.length > 0) endRecord();
  for (const r of records) r.cells = r.cells.map((f) => (f === "\u0000" ? "" : f));
  return records;
}

function csvError(lineNo: number, message: string): StatementError {
  return new StatementError("bad_file", `The CSV file is malformed at line ${lineNo}: ${message}`, [{ path: `file.line.${lineNo}`, message }]);
}

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 field, quoted only when it must be. The caller guards against formulas. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvRecord(fields: string[]): string {
  return fields.map(csvField).join(",") + "\r\n";
}
