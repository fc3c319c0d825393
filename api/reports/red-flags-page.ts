import type { Knex } from "knex";
import { courtChainHead } from "../audit/audit-service";
import { inReportTransaction } from "./export";
import { escapeHtml, groupDigits } from "./report-page";
import { findFlags, FLAGS_PER_KIND_LIMIT, overdueAsOf, RED_FLAG_KINDS, type RedFlag, type RedFlagKind, type RedFlagParams } from "./red-flags";
import { ACCOUNT_CHANGE_WINDOW_DAYS, QUICK_APPROVAL_MINUTES } from "./red-flags-sql";

/**
 * The red flags as a printable zh-CN page for the inspection file (风险提示, 打印版): the same flags
 * as the JSON, read in one snapshot with each court's audit chain head, so that the paper names
 * the records it was drawn from. Plain HTML, no scripts, nothing fetched from elsewhere.
 */
export const RED_FLAG_KIND_ZH: Record<RedFlagKind, string> = {
  payout_after_account_change: "变更账户后发放",
  account_name_mismatch: "户名不符",
  unentitled_payout: "向非申请人发放",
  overdue_held: "超期未发放",
  receipt_reversed_by_recorder: "登记人自行冲销",
  batch_approved_quickly: "批次快速审批",
};
const RECORD_ZH: Record<RedFlag["records"][number]["type"], string> = { case: "案件", receipt: "到账", batch: "批次", payout_item: "发放明细", party: "当事人", user: "用户" };

type Court = { id: string; code: string; name: string };

export async function redFlagsPage(db: Knex, p: RedFlagParams & { now: Date }): Promise<string> {
  const { flags, truncated, courts, caseNumbers, heads } = await inReportTransaction(db, async (knex) => {
    const { flags, truncated } = await findFlags(knex, p);
    const courts = await knex("courts").whereIn("id", p.courtIds).orderBy("code").select<Court[]>("id", "code", "name");
    const caseIds = [...new Set(flags.flatMap((f) => f.records.filter((r) => r.type === "case").map((r) => r.id)))];
    const cases = caseIds.length === 0 ? [] : await knex("cases").whereIn("id", caseIds).select<{ id: string; case_number: string }[]>("id", "case_number");
    const heads = new Map<string, { events: string; head: string }>();
    for (const c of courts) heads.set(c.id, await courtChainHead(knex, c.id));
    return { flags, truncated, courts, caseNumbers: new Map(cases.map((c) => [c.id, c.case_number])), heads };
  });
  return page({ ...p, flags, truncated, courts, caseNumbers, heads });
}

function recordsText(f: RedFlag, caseNumbers: Map<string, string>): string {
  return f.records
    .filter((r) => r.type !== "party")
    .map((r) => `${RECORD_ZH[r.type]} ${r.type === "case" ? (caseNumbers.get(r.id) ?? r.id.slice(0, 8)) : r.id.slice(0, 8)}`)
    .join("；");
}

function page(p: RedFlagParams & { now: Date; flags: RedFlag[]; truncated: RedFlagKind[]; courts: Court[]; caseNumbers: Map<string, string>; heads: Map<string, { events: string; head: string }> }): string {
  const count = (k: RedFlagKind) => p.flags.filter((f) => f.kind === k).length;
  const courtNames = p.courts.map((c) => `${escapeHtml(c.name)} (${escapeHtml(c.code)})`).join("、");
  const summary = `共提示风险${p.flags.length}条：${RED_FLAG_KINDS.filter((k) => count(k) > 0).map((k) => `${RED_FLAG_KIND_ZH[k]}${count(k)}条`).join("，") || "无"}。`;
  const countRows = RED_FLAG_KINDS.map((k) => `<tr${count(k) > 0 ? ' class="hit"' : ""}><td>${RED_FLAG_KIND_ZH[k]}</td><td class="num">${count(k)}${p.truncated.includes(k) ? `+（仅列前${FLAGS_PER_KIND_LIMIT}条）` : ""}</td></tr>`).join("\n");
  const rows = p.flags
    .map(
      (f, n) =>
        `<tr data-kind="${f.kind}"><td class="num">${n + 1}</td><td class="nowrap">${RED_FLAG_KIND_ZH[f.kind]}</td><td class="nowrap">${f.on}</td><td class="num">${f.amount === null ? "—" : groupDigits(f.amount)}</td><td>${escapeHtml(f.explanation.zh)}</td><td>${escapeHtml(recordsText(f, p.caseNumbers))}</td></tr>`,
    )
    .join("\n");
  const heads = p.courts.map((c) => {
    const h = p.heads.get(c.id)!;
    return `<li>${escapeHtml(c.name)}：审计事件${escapeHtml(h.events)}条，链头哈希 <code>${escapeHtml(h.head)}</code></li>`;
  });
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>风险提示 ${p.from} 至 ${p.to}</title>
<style>
  body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #111; }
  h1 { font-size: 1.4em; margin-bottom: 0.2em; } h2 { font-size: 1.1em; margin-top: 1.6em; border-bottom: 1px solid #999; }
  table { border-collapse: collapse; margin-top: 0.5em; } td, th { border: 1px solid #bbb; padding: 0.25em 0.6em; vertical-align: top; } .num, .nowrap { white-space: nowrap; } .num { text-align: right; }
  .hit td { color: #9b1c1c; font-weight: bold; } .summary { font-size: 1.2em; font-weight: bold; } code { font-size: 0.85em; word-break: break-all; } .note { color: #444; }
  @media print { body { margin: 1cm; } }
</style>
</head>
<body>
<h1>执行案款风险提示</h1>
<p>${courtNames}<br>期间：${p.from} 至 ${p.to}　超期截至：${overdueAsOf(p)}</p>
<p class="summary" id="summary">${escapeHtml(summary)}</p>
<h2>按类型</h2>
<table><thead><tr><th>类型</th><th>条数</th></tr></thead>
<tbody>
${countRows}
</tbody></table>
<p class="note">账户变更（批准）后${ACCOUNT_CHANGE_WINDOW_DAYS}日内向该当事人发放、批次提交后${QUICK_APPROVAL_MINUTES}分钟内获批即提示；每类最多列出${FLAGS_PER_KIND_LIMIT}条。提示是需要核实的线索，不是结论。</p>
<h2>提示明细</h2>
${p.flags.length === 0 ? "<p>无 None</p>" : `<table id="flags"><thead><tr><th>序号</th><th>类型</th><th>日期</th><th>金额（元）</th><th>说明</th><th>关联记录</th></tr></thead>\n<tbody>\n${rows}\n</tbody></table>`}
<h2>审计链</h2>
<ul class="chains">${heads.join("")}</ul>
<p class="note">生成时间 ${escapeHtml(p.now.toISOString())}</p>
</body>
</html>`;
}
