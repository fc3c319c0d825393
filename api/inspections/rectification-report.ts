import type { Knex } from "knex";
import type { Actor } from "../core/actor";
import type { Reply } from "../core/reply";
import { csvExport, cursorRows, inReportTransaction, xlsxExport } from "../reports/export";
import type { Schemas } from "../core/schemas";
import { complaintsStore } from "./complaints-store";
import { loadInspection, toInspection } from "./inspections-service";
import { inspectionsStore, ledgerFindingsSql, type InspectionRow, type LedgerFilter, type LedgerFindingRow } from "./inspections-store";
import { FINDING_CATEGORIES, type FindingCategory } from "./inspections.schemas";

type Count = Schemas["RectificationCount"];
type Report = Schemas["RectificationReport"];
type LedgerRow = Report["findings"][number];
const zero = (): Count => ({ total: 0, open: 0, rectifying: 0, rectified: 0, verified: 0, reopened: 0, overdue: 0 });

/** What a ledger is asked for: whose, which inspection, as of which day, read how many findings at a time. */
export interface LedgerRequest {
  knex: Knex;
  actor: Actor;
  inspectionId: string;
  today: string;
  /** Findings read per step (Config.ledgerPageRows). */
  pageRows: number;
}

type Figures = Pick<Report, "totals" | "byCategory" | "complaints">;

/**
 * The ledger's figures, counted by the database over every finding of the inspection and every
 * letter and visit the court received during it (never over a first page of rows).
 */
async function ledgerFigures(knex: Knex, inspection: InspectionRow, today: string): Promise<Figures> {
  const filter: LedgerFilter = { courtId: inspection.court_id, inspectionId: inspection.id, today };
  const totals = zero();
  const byCategory = new Map<FindingCategory, Count>();
  for (const g of await inspectionsStore.countFindings(knex, filter)) {
    const c = byCategory.get(g.category) ?? zero();
    byCategory.set(g.category, c);
    for (const n of [totals, c]) {
      n.total += g.n;
      n[g.status] += g.n;
      n.overdue += g.overdue;
    }
  }
  const complaints = await complaintsStore.countReceived(knex, { courtId: inspection.court_id, receivedFrom: inspection.from_on, receivedTo: inspection.to_on, today });
  return {
    totals,
    byCategory: FINDING_CATEGORIES.filter((k) => byCategory.has(k)).map((category) => ({ category, ...byCategory.get(category)! })),
    complaints,
  };
}

const toLedgerRow = (r: LedgerFindingRow): LedgerRow => ({
  id: r.id,
  category: r.category,
  severity: r.severity,
  description: r.description,
  foundOn: r.found_on,
  rectifyBy: r.rectify_by,
  status: r.status,
  overdue: r.overdue,
  completedOn: r.completed_on,
});

/** Every finding of the inspection, `pageRows` at a time by keyset (found_on, created_at, id). */
async function* ledgerPages(knex: Knex, filter: LedgerFilter, pageRows: number): AsyncGenerator<LedgerRow[]> {
  let after: string[] | null = null;
  for (;;) {
    const rows = await inspectionsStore.ledgerFindings(knex, { ...filter, after, limit: pageRows });
    const page = rows.slice(0, pageRows);
    if (page.length > 0) yield page.map(toLedgerRow);
    if (rows.length <= pageRows) return;
    const last = page[page.length - 1];
    after = [last.found_on, last.cursor_at, last.id];
  }
}

/**
 * The rectification ledger (整改台账) of one inspection: every finding by category and status, how
 * many are overdue and how many resolved (verified), and the court's letters and visits received
 * during the inspection, answered or not; figures and rows from one snapshot.
 */
export async function rectificationReport(q: LedgerRequest): Promise<Report> {
  return inReportTransaction(q.knex, async (tx) => {
    const inspection = await loadInspection(tx, q.actor, q.inspectionId);
    const figures = await ledgerFigures(tx, inspection, q.today);
    const findings: LedgerRow[] = [];
    for await (const page of ledgerPages(tx, { courtId: inspection.court_id, inspectionId: inspection.id, today: q.today }, q.pageRows)) findings.push(...page);
    return { inspection: toInspection(inspection), asOf: q.today, ...figures, findings };
  });
}

/** The export's rows: every finding, through a server-side cursor, `pageRows` at a time (as the reports' exports read). */
function exportBatches(q: LedgerRequest, inspection: InspectionRow): () => AsyncIterable<LedgerRow[]> {
  const bindings = { courtId: inspection.court_id, inspectionId: inspection.id, today: q.today };
  return async function* () {
    for await (const rows of cursorRows<LedgerFindingRow>(q.knex, ledgerFindingsSql({ keyset: false }), bindings, q.pageRows)) yield rows.map(toLedgerRow);
  };
}

const CATEGORY_ZH: Record<FindingCategory, string> = {
  overdue_funds: "案款超期未发放",
  unentitled_payee: "向无权领款人发放",
  listing_not_removed: "失信名单逾期未删除",
  freeze_lapsed: "冻结到期未续",
  record_altered: "记录被改动",
  complaint: "来信来访反映",
  other: "其他",
};
const STATUS_ZH = { open: "未整改", rectifying: "整改中", rectified: "已整改待核查", verified: "已销号", reopened: "退回重新整改" } as const;
const SEVERITY_ZH = { low: "一般", medium: "较重", high: "严重" } as const;

const HEADERS = ["问题类别", "严重程度", "问题描述", "发现日期", "整改期限", "整改状态", "是否超期", "整改完成日期"];
const fieldsOf = (f: LedgerRow) => [CATEGORY_ZH[f.category], SEVERITY_ZH[f.severity], f.description, f.foundOn, f.rectifyBy, STATUS_ZH[f.status], f.overdue ? "超期" : "", f.completedOn];

/** The ledger's findings as CSV (UTF-8 with BOM), every one of them, spooled then sent. */
export async function rectificationCsv(q: LedgerRequest): Promise<Reply> {
  const inspection = await loadInspection(q.knex, q.actor, q.inspectionId);
  return csvExport(`rectification-${inspection.id}.csv`, HEADERS, exportBatches(q, inspection), fieldsOf);
}

const KEYS = ["category", "severity", "description", "foundOn", "rectifyBy", "status", "overdue", "completedOn"];

/** The ledger as XLSX: the figures on a summary sheet, then every finding on 问题清单. */
export async function rectificationXlsx(q: LedgerRequest): Promise<Reply> {
  const inspection = await loadInspection(q.knex, q.actor, q.inspectionId);
  const i = toInspection(inspection);
  const { totals: t, complaints } = await ledgerFigures(q.knex, inspection, q.today);
  return xlsxExport(
    `rectification-${i.id}.xlsx`,
    {
      title: "整改台账汇总",
      rows: [
        ["巡察", i.name],
        ["巡察期间", `${i.from} 至 ${i.to}`],
        ["统计日期", q.today],
        ["问题总数", t.total],
        ["已销号", t.verified],
        ["整改中", t.rectifying + t.reopened],
        ["已整改待核查", t.rectified],
        ["未整改", t.open],
        ["超期未整改", t.overdue],
        ["来信来访（收到/已答复/超期未答复）", `${complaints.received}/${complaints.replied}/${complaints.overdue}`],
      ],
    },
    {
      title: "问题清单",
      columns: HEADERS.map((header, n) => ({ header, key: KEYS[n], width: n === 2 ? 60 : 16 })),
      batches: exportBatches(q, inspection),
      toRow: (f) => Object.fromEntries(fieldsOf(f).map((v, n) => [KEYS[n], v])),
    },
  );
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

/** The printable ledger: plain HTML, inline styles, no scripts, nothing fetched from elsewhere. */
export function rectificationPage(report: Report): string {
  const t = report.totals;
  const i = report.inspection;
  const count = (c: Count) => `<td class="num">${c.total}</td><td class="num">${c.open}</td><td class="num">${c.rectifying + c.reopened}</td><td class="num">${c.rectified}</td><td class="num">${c.verified}</td><td class="num">${c.overdue}</td>`;
  const categories = report.byCategory.map((c) => `<tr><td>${CATEGORY_ZH[c.category]}</td>${count(c)}</tr>`).join("\n");
  const rows = report.findings
    .map((f, n) => `<tr${f.overdue ? ' class="overdue"' : ""}><td class="num">${n + 1}</td>${fieldsOf(f).map((v) => `<td>${escapeHtml(v ?? "")}</td>`).join("")}</tr>`)
    .join("\n");
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>整改台账 ${escapeHtml(i.name)}</title>
<style>
  body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #111; }
  h1 { font-size: 1.4em; margin-bottom: 0.2em; } h2 { font-size: 1.1em; margin-top: 1.6em; border-bottom: 1px solid #999; }
  table { border-collapse: collapse; margin-top: 0.5em; } td, th { border: 1px solid #bbb; padding: 0.25em 0.6em; } .num { text-align: right; }
  .overdue td { color: #9b1c1c; } .summary { font-size: 1.2em; font-weight: bold; }
  @media print { body { margin: 1cm; } }
</style>
</head>
<body>
<h1>问题清单和整改推进台账</h1>
<p>${escapeHtml(i.name)}<br>巡察期间：${i.from} 至 ${i.to}　统计日期：${report.asOf}</p>
<p class="summary" id="summary">共发现问题${t.total}个，已整改销号${t.verified}个，超期未整改${t.overdue}个；受理来信来访${report.complaints.received}件，已答复${report.complaints.replied}件。</p>
<h2>按问题类别</h2>
<table><thead><tr><th>问题类别</th><th>总数</th><th>未整改</th><th>整改中</th><th>已整改待核查</th><th>已销号</th><th>超期</th></tr></thead>
<tbody>
${categories}
<tr><th>合计</th>${count(t)}</tr>
</tbody></table>
<h2>问题清单</h2>
<table><thead><tr><th>序号</th>${HEADERS.map((h) => `<th>${h}</th>`).join("")}</tr></thead>
<tbody>
${rows}
</tbody></table>
</body>
</html>`;
}
