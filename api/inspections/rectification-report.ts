import type { Knex } from "knex";
import type { Actor } from "../core/actor";
import { csvDocument } from "../core/csv";
import { reply, type Reply } from "../core/reply";
import { xlsxExport } from "../reports/export";
import type { Schemas } from "../core/schemas";
import { complaintOverdue } from "./complaints-service";
import { complaintsStore } from "./complaints-store";
import { findingsOf } from "./findings-service";
import { loadInspection, toInspection } from "./inspections-service";
import { FINDING_CATEGORIES, type FindingCategory } from "./inspections.schemas";

type Count = Schemas["RectificationCount"];
const zero = (): Count => ({ total: 0, open: 0, rectifying: 0, rectified: 0, verified: 0, reopened: 0, overdue: 0 });

/**
 * The rectification ledger (整改台账) of one inspection: every finding by category and status, how
 * many are overdue and how many resolved (verified), and the court's letters and visits received
 * during the inspection, answered or not.
 */
export async function rectificationReport(knex: Knex, actor: Actor, inspectionId: string, today: string): Promise<Schemas["RectificationReport"]> {
  const inspection = await loadInspection(knex, actor, inspectionId);
  const findings = await findingsOf(knex, { courtIds: [inspection.court_id], inspectionId, today });
  const totals = zero();
  const byCategory = new Map<FindingCategory, Count>();
  for (const f of findings) {
    const c = byCategory.get(f.category) ?? zero();
    byCategory.set(f.category, c);
    for (const n of [totals, c]) {
      n.total += 1;
      n[f.status] += 1;
      if (f.overdue) n.overdue += 1;
    }
  }
  const complaints = await complaintsStore.list(knex, { courtIds: [inspection.court_id], today, receivedFrom: inspection.from_on, receivedTo: inspection.to_on });
  return {
    inspection: toInspection(inspection),
    asOf: today,
    totals,
    byCategory: FINDING_CATEGORIES.filter((k) => byCategory.has(k)).map((category) => ({ category, ...byCategory.get(category)! })),
    complaints: {
      received: complaints.length,
      replied: complaints.filter((c) => c.status === "replied").length,
      overdue: complaints.filter((c) => complaintOverdue(c, today)).length,
    },
    findings: findings.map((f) => ({
      id: f.id,
      category: f.category,
      severity: f.severity,
      description: f.description,
      foundOn: f.foundOn,
      rectifyBy: f.rectifyBy,
      status: f.status,
      overdue: f.overdue,
      completedOn: [...f.rectifications].reverse().find((r) => r.completedOn !== null)?.completedOn ?? null,
    })),
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
type LedgerRow = Schemas["RectificationReport"]["findings"][number];
const fieldsOf = (f: LedgerRow) => [CATEGORY_ZH[f.category], SEVERITY_ZH[f.severity], f.description, f.foundOn, f.rectifyBy, STATUS_ZH[f.status], f.overdue ? "超期" : "", f.completedOn];

export function rectificationCsv(report: Schemas["RectificationReport"]): Reply {
  const rows: (string | number | null)[][] = [HEADERS, ...report.findings.map(fieldsOf)];
  return reply.file(csvDocument(rows), {
    contentType: "text/csv; charset=utf-8",
    filename: `rectification-${report.inspection.id}.csv`,
    headers: { "Cache-Control": "no-store" },
  });
}

const KEYS = ["category", "severity", "description", "foundOn", "rectifyBy", "status", "overdue", "completedOn"];

export function rectificationXlsx(report: Schemas["RectificationReport"]): Reply {
  const t = report.totals;
  return xlsxExport(
    `rectification-${report.inspection.id}.xlsx`,
    {
      title: "整改台账汇总",
      rows: [
        ["巡察", report.inspection.name],
        ["巡察期间", `${report.inspection.from} 至 ${report.inspection.to}`],
        ["统计日期", report.asOf],
        ["问题总数", t.total],
        ["已销号", t.verified],
        ["整改中", t.rectifying + t.reopened],
        ["已整改待核查", t.rectified],
        ["未整改", t.open],
        ["超期未整改", t.overdue],
        ["来信来访（收到/已答复/超期未答复）", `${report.complaints.received}/${report.complaints.replied}/${report.complaints.overdue}`],
      ],
    },
    {
      title: "问题清单",
      columns: HEADERS.map((header, i) => ({ header, key: KEYS[i], width: i === 2 ? 60 : 16 })),
      batches: async function* () {
        yield report.findings;
      },
      toRow: (f) => Object.fromEntries(fieldsOf(f).map((v, i) => [KEYS[i], v])),
    },
  );
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

/** The printable ledger: plain HTML, inline styles, no scripts, nothing fetched from elsewhere. */
export function rectificationPage(report: Schemas["RectificationReport"]): string {
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
