import type { Schemas } from "../core/schemas";
import { MoneyDecimal } from "../core/money";

/**
 * The printable disbursement report: plain HTML and an SVG chart drawn here, no scripts and
 * nothing fetched from elsewhere, so that it prints the same on any machine in the court.
 */
export interface ReportPageInput {
  report: Schemas["DisbursementReport"];
  courts: { id: string; code: string; name: string }[];
  held: Schemas["HeldFundsReport"];
  audit: Schemas["AuditVerification"];
  verifiedAt: string;
}

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

/** Thousands separators on a 2-decimal amount, by string (never through a float). */
export function groupDigits(fixed: string): string {
  const [whole, frac] = fixed.split(".");
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (frac === undefined ? "" : "." + frac);
}

export function monthlyChart(months: Schemas["DisbursementReport"]["byMonth"]): string {
  const width = 640;
  const height = 240;
  const left = 70;
  const bottom = 40;
  const top = 20;
  const max = months.reduce((m, x) => MoneyDecimal.max(m, new MoneyDecimal(x.total)), new MoneyDecimal(0));
  const scaleMax = max.isZero() ? new MoneyDecimal(1) : max;
  const slot = (width - left - 10) / Math.max(1, months.length);
  const barWidth = Math.min(60, slot * 0.7);
  const plot = height - bottom - top;
  const bars = months.map((m, i) => {
    // Bar height is geometry, not money: a ratio of two exact totals, rounded to a pixel.
    const h = new MoneyDecimal(m.total).dividedBy(scaleMax).times(plot).toDecimalPlaces(1).toNumber();
    const x = left + i * slot + (slot - barWidth) / 2;
    const y = height - bottom - h;
    const wan = new MoneyDecimal(m.total).dividedBy(10000).toFixed(1);
    return [
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="#9b1c1c"><title>${m.month}: ${groupDigits(m.total)} 元</title></rect>`,
      `<text x="${(x + barWidth / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" font-size="11">${wan}万</text>`,
      `<text x="${(x + barWidth / 2).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" font-size="11">${m.month}</text>`,
    ].join("");
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Monthly totals 每月发放金额" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
  <line x1="${left}" y1="${height - bottom}" x2="${width - 10}" y2="${height - bottom}" stroke="#333"/>
  <line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="#333"/>
  <text x="${left - 6}" y="${top + 4}" text-anchor="end" font-size="11">${new MoneyDecimal(max).dividedBy(10000).toFixed(0)}万</text>
  <text x="${left - 6}" y="${height - bottom}" text-anchor="end" font-size="11">0</text>
  ${bars.join("\n  ")}
</svg>`;
}

/** Each court's own chain head ties the paper to that court's records. */
function verifiedChains(audit: Extract<Schemas["AuditVerification"], { ok: true }>, courts: ReportPageInput["courts"], verifiedAt: string): string {
  const heads = courts.map((c) => {
    const chain = audit.chains.find((x) => x.courtId === c.id);
    const events = chain?.events ?? "0";
    const head = chain?.head ?? audit.head;
    return `<li>${escapeHtml(c.name)} (${escapeHtml(c.code)}): ${escapeHtml(events)} events; head hash <code>${escapeHtml(head)}</code></li>`;
  });
  return `<p class="ok">Audit chain verified 审计链校验通过: ${escapeHtml(audit.events)} events (${escapeHtml(verifiedAt)})</p>\n<ul class="chains">${heads.join("")}</ul>`;
}

export function reportPage(p: ReportPageInput): string {
  const r = p.report;
  const courtNames = p.courts.map((c) => `${escapeHtml(c.name)} (${escapeHtml(c.code)})`).join("、");
  const t = r.timeliness;
  const overdueRows = p.held.overdue
    .slice(0, 200)
    .map((o) => `<tr><td>${escapeHtml(o.caseNumber)}</td><td>${o.receivedOn}</td><td>${o.disburseBy}</td><td class="num">${groupDigits(o.amount)}</td><td class="num">${o.daysOverdue}</td></tr>`)
    .join("\n");
  const audit = p.audit.ok ? verifiedChains(p.audit, p.courts, p.verifiedAt) : `<p class="broken">Audit chain BROKEN 审计链校验失败: chain ${escapeHtml(p.audit.chain)}, position ${escapeHtml(p.audit.brokenAt)} (${escapeHtml(p.verifiedAt)})</p>`;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>执行案款发放情况 Disbursement report ${r.from} – ${r.to}</title>
<style>
  body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #111; }
  h1 { font-size: 1.4em; margin-bottom: 0.2em; } h2 { font-size: 1.1em; margin-top: 1.6em; border-bottom: 1px solid #999; }
  .summary { font-size: 1.25em; font-weight: bold; margin: 0.6em 0; } .en { color: #444; }
  table { border-collapse: collapse; margin-top: 0.5em; } td, th { border: 1px solid #bbb; padding: 0.25em 0.6em; } .num { text-align: right; }
  .ok { color: #145214; } .broken { color: #9b1c1c; font-weight: bold; } code { font-size: 0.85em; word-break: break-all; }
  @media print { body { margin: 1cm; } }
</style>
</head>
<body>
<h1>执行案款发放情况 Disbursement of enforcement funds</h1>
<p>${courtNames}<br>期间 Period: ${r.from} 至 ${r.to}</p>
<p class="summary" id="summary-zh">${escapeHtml(r.summary.zh)}</p>
<p class="summary en" id="summary-en">${escapeHtml(r.summary.en)}</p>
<table>
  <tr><th>案件 Cases</th><th>笔数 Payouts</th><th>金额 Total (元)</th><th>万元</th></tr>
  <tr><td class="num">${r.cases}</td><td class="num">${r.payouts}</td><td class="num">${groupDigits(r.total)}</td><td class="num">${r.display.wanYuan}</td></tr>
</table>
<h2>每月发放 Monthly totals</h2>
${monthlyChart(r.byMonth)}
<h2>发放时效 Timeliness (days from receipt to payment)</h2>
<table>
  <tr><th>中位数 Median</th><th>90%</th><th>30日内 Within 30 days</th><th>超过30日 Over 30 days</th></tr>
  <tr><td class="num">${t.medianDays ?? "—"}</td><td class="num">${t.p90Days ?? "—"}</td><td class="num">${t.within30Days}</td><td class="num">${t.over30Days}</td></tr>
</table>
<h2>超期未发放 Overdue held money on ${p.held.asOf}: ${groupDigits(p.held.totals.overdue)} 元 in ${p.held.totals.overdueCases} ${p.held.totals.overdueCases === 1 ? "case" : "cases"}</h2>
${p.held.overdue.length === 0 ? "<p>None 无</p>" : `<table><tr><th>案号 Case</th><th>到账 Received</th><th>应发放 Disburse by</th><th>金额 Amount</th><th>超期天数 Days overdue</th></tr>\n${overdueRows}</table>`}
<h2>审计 Audit trail</h2>
${audit}
<p class="en">${escapeHtml(r.conventions.returns)} ${escapeHtml(r.conventions.timeliness)} Generated ${escapeHtml(r.generatedAt)}.</p>
</body>
</html>`;
}
