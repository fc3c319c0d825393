import { StatementError } from "./statement-errors";
import { normaliseHeader, requiredFields, type StatementField, type StatementLayout } from "./statement-layouts";
import { cleanCell } from "./statement-values";

/** A row of a statement file, CSV or XLSX alike. */
export interface Row {
  lineNo: number;
  cells: string[];
  lossy?: Set<number>; // XLSX: number cells that lost digits
  dateCells?: Set<number>; // XLSX: real date cells, given as YYYY-MM-DD whatever the layout's format
}

export interface HeaderMap {
  index: number; // of the header row in the rows
  lineNo: number;
  columns: Map<StatementField, number[]>; // remark may have several, every other field one
  names: string[]; // the header row's cells, for messages
}

/** The header is looked for in this many first rows: banks put a handful of title lines above it. */
export const HEADER_SEARCH_ROWS = 40;

export function mapHeaderRow(cells: string[], layout: StatementLayout): Map<StatementField, number[]> {
  const byName = new Map<string, StatementField>();
  for (const col of layout.columns) {
    if (!col.field) continue;
    for (const name of [col.header, ...(col.aliases ?? [])]) byName.set(normaliseHeader(name), col.field);
  }
  const columns = new Map<StatementField, number[]>();
  cells.forEach((cell, index) => {
    const field = byName.get(normaliseHeader(cleanCell(cell)));
    if (!field) return;
    const list = columns.get(field);
    if (!list) columns.set(field, [index]);
    else if (field === "remark") list.push(index);
  });
  return columns;
}

/**
 * The first row that has a column for every required field. Without one, the row that came
 * closest names what is missing — "no column 贷方发生额（收入）" — so that finance can tell a wrong
 * layout from a damaged file. `explainEncoding` is asked first whether the text was mangled.
 */
export function findHeader(rows: Row[], layout: StatementLayout, explainEncoding?: () => string | null): HeaderMap {
  const required = requiredFields(layout);
  let best: { index: number; found: number } | undefined;
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i++) {
    const columns = mapHeaderRow(rows[i].cells, layout);
    const found = required.filter((f) => columns.has(f)).length;
    if (found === required.length) return { index: i, lineNo: rows[i].lineNo, columns, names: rows[i].cells.map(cleanCell) };
    const matched = columns.size;
    if (matched > 0 && (!best || matched > best.found)) best = { index: i, found: matched };
  }
  const mangled = explainEncoding?.();
  if (mangled) {
    throw new StatementError("bad_encoding", `The file's text is mangled: ${mangled}. Export it from the bank again; it was not imported`, [
      { path: "file", message: mangled },
    ]);
  }
  const seen = best ? mapHeaderRow(rows[best.index].cells, layout) : new Map<StatementField, number[]>();
  const missing = required.filter((f) => !seen.has(f));
  const errors = missing.map((field) => ({ path: `file.header.${field}`, message: `no column ${namesOf(layout, field)}` }));
  const where = best ? `the closest row (line ${rows[best.index].lineNo}) lacks` : `no row among the first ${HEADER_SEARCH_ROWS} has any of its columns; it needs`;
  throw new StatementError(
    "missing_column",
    `The file is not in the layout ${layout.name} (${layout.title}): ${where} ${missing.map((f) => namesOf(layout, f)).join(", ")}`,
    errors,
    { layout: layout.name, missingColumns: missing.map((f) => primaryName(layout, f)) },
  );
}

function primaryName(layout: StatementLayout, field: StatementField): string {
  return layout.columns.find((c) => c.field === field)?.header ?? field;
}

function namesOf(layout: StatementLayout, field: StatementField): string {
  const names = layout.columns.filter((c) => c.field === field).flatMap((c) => [c.header, ...(c.aliases ?? [])]);
  return names.length > 1 ? `"${names[0]}" (or ${names.slice(1).map((n) => `"${n}"`).join(", ")})` : `"${names[0] ?? field}"`;
}

const NUMBER_LABEL = /^(?:账号|卡号|账户号码|账户号|查询账号)$/;
const NAME_LABEL = /^(?:户名|账户名称|账户名|单位名称|客户名称)$/;
const NUMBER_INLINE = /(?:账号|卡号|账户号码|账户号|查询账号)\s*[:：]\s*([0-9*][0-9*\s-]{4,40}[0-9*])/;
const NAME_INLINE = /(?:户名|账户名称|账户名|单位名称|客户名称)\s*[:：]\s*([^\s,，;；]+)/;

/**
 * Our account as the title lines give it: "账号：95599…" in one cell, or "账号" in one cell and
 * the number in the next (as the postal bank's workbook has it).
 */
export function accountFromTitle(rows: Row[]): { number?: string; name?: string } {
  let number: string | undefined;
  let name: string | undefined;
  for (const row of rows) {
    const cells = row.cells.map(cleanCell);
    cells.forEach((cell, i) => {
      const next = cells.slice(i + 1).find((c) => c !== "");
      const label = normaliseHeader(cell);
      if (!number && NUMBER_LABEL.test(label) && next) number = next.replace(/[\s-]/g, "");
      if (!name && NAME_LABEL.test(label) && next) name = next;
      const n = NUMBER_INLINE.exec(cell);
      if (!number && n) number = n[1].replace(/[\s-]/g, "");
      const m = NAME_INLINE.exec(cell);
      if (!name && m) name = m[1];
    });
  }
  return { number, name };
}
