/**
 * The disbursement report in the terminal, against DATABASE_URL or the embedded database in
 * DATA_DIR (default ./.data; stop `npm start` first, since one embedded database serves one process).
 *
 *   npm run report -- --from 2024-03-11 --to 2024-04-23 --court JH
 */
import { loadConfig } from "../api/config";
import { isValidDate } from "../api/core/dates";
import { disbursementReport } from "../api/reports/disbursements-service";
import { groupDigits } from "../api/reports/report-page";
import { connect } from "../db/connection";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function fail(message: string): never {
  process.stderr.write(`${message}\nUsage: npm run report -- --from YYYY-MM-DD --to YYYY-MM-DD [--court CODE]\n`);
  process.exit(2);
}

async function main() {
  const from = arg("from") ?? fail("--from is required");
  const to = arg("to") ?? fail("--to is required");
  if (!isValidDate(from) || !isValidDate(to) || to < from) fail("--from and --to must be real dates, from <= to");
  const config = loadConfig();
  const db = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const code = arg("court");
    const courts = await db.knex("courts").modify((q) => (code ? q.where({ code }) : q)).orderBy("code").select<{ id: string; code: string; name: string }[]>("id", "code", "name");
    if (courts.length === 0) fail(code ? `No court with code ${code}` : "There are no courts yet");
    const r = await disbursementReport(db.knex, { courtIds: courts.map((c) => c.id), from, to });
    const out: string[] = [];
    out.push("", `执行案款发放情况  Disbursements ${r.from} – ${r.to}`, `Courts: ${courts.map((c) => `${c.code} ${c.name}`).join("; ")}`, "");
    out.push(`  ${r.summary.zh}`, `  ${r.summary.en}`, "");
    out.push(`  cases ${r.cases}   payouts ${r.payouts}   total ${groupDigits(r.total)} yuan (${r.display.wanYuan} 万元)`, "");
    out.push("  court   cases  payouts              total");
    for (const c of r.byCourt) out.push(`  ${c.courtCode.padEnd(6)} ${String(c.cases).padStart(6)} ${String(c.payouts).padStart(8)} ${groupDigits(c.total).padStart(18)}`);
    out.push("", "  month   cases  payouts              total");
    for (const m of r.byMonth) out.push(`  ${m.month} ${String(m.cases).padStart(6)} ${String(m.payouts).padStart(8)} ${groupDigits(m.total).padStart(18)}`);
    const t = r.timeliness;
    out.push("", `  days from receipt to payment: median ${t.medianDays ?? "-"}, 90th percentile ${t.p90Days ?? "-"}, within 30 days ${t.within30Days}, over 30 days ${t.over30Days}`, "");
    process.stdout.write(out.join("\n") + "\n");
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`report failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
