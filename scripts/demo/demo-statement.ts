import type { Knex } from "knex";
import { MoneyDecimal } from "../../api/core/money";
import { todayInChina } from "../../api/core/dates";
import { accountTotals } from "../../api/ledger/ledger-queries";
import { generateStatement, type GeneratedLine } from "../../api/statements/statement-generator";
import { ABC_ACCOUNT_DETAIL } from "../../api/statements/statement-layouts";

/** The demo courts' master accounts and virtual account prefixes (一案一账号), set by the demo's admin. */
export const DEMO_ACCOUNTS = {
  JH: { masterAccount: { bankName: "中国农业银行江华瑶族自治县支行", accountName: "江华瑶族自治县人民法院", accountNumber: "18125101040001129" }, virtualAccountPrefix: "81129" },
  LX: { masterAccount: { bankName: "中国建设银行临湘市支行", accountName: "临湘市人民法院", accountNumber: "43050168720000682" }, virtualAccountPrefix: "80682" },
} as const;

/**
 * A statement of the county court's master account for today, in ABC's layout, as the bank
 * would export it: a payment by virtual account to (2024)湘1129执102号, one naming
 * (2024)湘1129执103号 in its remark with full-width parentheses, a surplus paid into the already
 * settled 执101号, and one that names no case (unidentified). Its opening balance is the
 * ledger's bank account today, so that statement, ledger and cases agree once it is imported.
 */
export async function demoStatement(knex: Knex, courtId: string, opts: { today?: string } = {}): Promise<{ file: Buffer; lines: GeneratedLine[] }> {
  const today = opts.today ?? todayInChina();
  const cases = await knex("cases").where({ court_id: courtId }).whereIn("case_number", ["(2024)湘1129执101号", "(2024)湘1129执102号"]).select<{ case_number: string; virtual_account_number: string }[]>("case_number", "virtual_account_number");
  const va = (n: string) => cases.find((c) => c.case_number === n)?.virtual_account_number;
  const opening = (await accountTotals(knex, courtId, today)).bank;
  const m = (s: string) => new MoneyDecimal(s);
  const stamp = today.replace(/-/g, "");
  const lines: GeneratedLine[] = [
    { valueDate: today, time: "09:12:05", direction: "credit", amount: m("6000.00"), counterpartyName: "赵某", counterpartyAccount: "6228480012345678901", counterpartyBank: "中国农业银行", summary: "转账", remark: "执行款", bankReference: `JH${stamp}0001`, virtualAccount: va("(2024)湘1129执102号") },
    { valueDate: today, time: "10:30:00", direction: "credit", amount: m("800.50"), counterpartyName: "唐某某", counterpartyAccount: "6217000098765432109", summary: "跨行汇款", remark: "（2024）湘1129执103号 还款", bankReference: `JH${stamp}0002` },
    { valueDate: today, time: "11:00:00", direction: "credit", amount: m("500.00"), counterpartyName: "江华某建材有限公司", counterpartyAccount: "6228480011112222333", summary: "转账", remark: "执行款", bankReference: `JH${stamp}0003`, virtualAccount: va("(2024)湘1129执101号") },
    { valueDate: today, time: "15:45:10", direction: "credit", amount: m("1234.00"), counterpartyName: "某某", counterpartyAccount: "6222020200112233445", summary: "转账", remark: "还钱", bankReference: `JH${stamp}0004` },
  ];
  const account = DEMO_ACCOUNTS.JH.masterAccount;
  const file = await generateStatement({ layout: ABC_ACCOUNT_DETAIL, account: { number: account.accountNumber, name: account.accountName }, lines, openingBalance: opening }, { kind: "csv", encoding: "gb18030" });
  return { file, lines };
}
