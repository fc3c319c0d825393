import { loadCase } from "../cases/cases-service";
import { courtSettings } from "../courts/court-settings";
import { invalidState } from "../core/errors";
import type { ReadContext } from "../core/operation";
import { reply, type Reply } from "../core/reply";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

/** A page that loads nothing and runs nothing: its own inline style only. */
const NOTICE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/** 交款通知书: where and how the payer pays, so that the import can credit the money to the case. */
export async function paymentNotice(ctx: ReadContext, caseId: string): Promise<Reply> {
  const c = await loadCase(ctx.db, ctx.actor, caseId);
  const settings = await courtSettings(ctx.db, c.court_id);
  const court = await ctx.db("courts").where({ id: c.court_id }).first<{ name: string }>("name");
  if (!settings.masterAccount || !c.virtual_account_number) {
    throw invalidState("The court has no master account or virtual account prefix yet: an admin sets them in the court's settings");
  }
  const m = settings.masterAccount;
  const rows: [string, string][] = [
    ["案号", c.case_number],
    ["收款单位（户名）", m.accountName],
    ["开户银行", m.bankName],
    ["收款账号（本案专用虚拟账号）", c.virtual_account_number],
    ["附言（用途）栏请填写", `${c.case_number} 执行款`],
  ];
  const body = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>交款通知书 ${esc(c.case_number)}</title>
<style>body{font-family:"SimSun","Songti SC",serif;max-width:720px;margin:2em auto}h1{text-align:center;letter-spacing:.3em}
table{width:100%;border-collapse:collapse}td{border:1px solid #000;padding:.6em}td:first-child{width:40%}
.acct{font-family:monospace;font-size:1.3em;letter-spacing:.1em}@media print{body{margin:0}}</style></head>
<body><h1>交款通知书</h1><p>${esc(court?.name ?? "")}</p>
<p>请通过银行转账将执行款汇入本案专用账号。转账时请务必使用下列虚拟账号，并在附言（用途）栏填写案号，以便款项自动入账。</p>
<table>${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td${k.startsWith("收款账号") ? ' class="acct"' : ""}>${esc(v)}</td></tr>`).join("")}</table>
<p>虚拟账号末两位为校验码（ISO 7064 MOD 97-10），输错一位或相邻两位颠倒的账号不会入到他案。请勿以现金方式交付执行款；如需交付现金，须有两名执行人员在场并当场出具收据。</p>
<p>本通知书由执行案款管理系统生成。</p></body></html>`;
  return reply.html(body, { csp: NOTICE_CSP });
}
