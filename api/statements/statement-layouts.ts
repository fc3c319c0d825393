import type { DateFormat } from "./statement-values";

/**
 * A layout is what one bank's statement export (交易明细/对账单/账户明细) looks like: a few title
 * lines (account, name, period), then a header row of Chinese column names, then one row per line,
 * sometimes a 合计 row at the end. The parser finds the header by its names, wherever it is in the
 * first rows, so a bank adding a title line or reordering columns does not break the import.
 */

export type StatementField =
  | "accountNumber" // 账号 — our account, on every row (CCB)
  | "accountName" // 账户名称
  | "transactionDate" // 交易日期 / 交易时间 (with or without the time)
  | "transactionTime" // a time column of its own (ABC's 交易时间 HHMMSS)
  | "valueDate" // 起息日, where the bank gives it apart from the transaction date
  | "bookedOn" // 记账日期
  | "credit" // 收入金额 / 贷方发生额
  | "debit" // 支出金额 / 借方发生额
  | "amount" // one column: signed, or with a direction column
  | "direction" // 借贷标志: 借 / 贷
  | "balance" // 余额 after the line
  | "currency" // 币种
  | "counterpartyName" // 对方户名
  | "counterpartyAccount" // 对方账号
  | "counterpartyBank" // 对方开户行
  | "remark" // 摘要 / 附言 / 用途 / 备注 — every such column is kept, joined
  | "bankReference" // 流水号 / 交易流水号 / 日志号 / 凭证号
  | "virtualAccount"; // 子账号 / 虚拟账号 (一案一账号)

export interface LayoutColumn {
  header: string;
  field?: StatementField; // none: the column is there but we do not read it
  aliases?: readonly string[]; // other names the same column goes by
  filler?: string; // what the statement generator writes in a column we do not read
}

export type AmountStyle =
  | { style: "two-columns" } // a credit column and a debit column, one of them filled
  | { style: "signed" } // one column: "+10000.00" or "10000.00" is a credit, "-10.00" a debit
  | { style: "direction"; credit: readonly string[]; debit: readonly string[] }; // one column + 借贷标志

/** How the statement generator writes a file in this layout, like the bank does. */
export interface LayoutRender {
  date: DateFormat;
  dateWithTime: boolean; // the transaction-date cell carries the time ("20260105 18:22:21")
  grouping: boolean; // "1,234.56"
  signedPlus: boolean; // "+10000.00" for credits in a signed column
  unusedAmount: string; // what the other column of a two-column line holds: "", "0.00"
  padCells: boolean; // ICBC pads every CSV cell with blanks and a tab
  newestFirst: boolean;
  summaryLabel?: string; // the 合计 row at the end
  titleRows(ctx: TitleContext): string[][];
}

export interface TitleContext {
  accountNumber: string;
  accountName: string;
  from: string; // YYYY-MM-DD
  to: string;
}

export interface StatementLayout {
  name: string;
  bank: string;
  title: string;
  /** What the layout was modelled on, and where that came from. */
  modelledOn: string;
  columns: readonly LayoutColumn[];
  amountStyle: AmountStyle;
  dateFormats: readonly DateFormat[];
  thousandsSeparators: boolean;
  render: LayoutRender;
}

const compact = (date: string) => date.replace(/-/g, "");

/**
 * 中国农业银行 账户明细 (ABC). Modelled on two real exports:
 * - the ABC account-detail CSV as reproduced in deb-sig/double-entry-generator
 *   (example/abc_debit/example-abc_debit-records.csv): 交易日期 20240101, 交易时间 123456 in a
 *   column of its own, 交易摘要, 交易金额 signed ("+10000.00", "-10.00"), 本次余额, 对手信息,
 *   日 志 号 (with blanks in the header), 交易渠道, 交易附言, and 0.00 lines (利息税);
 * - ABC's offline query workbook (sheet APSH) as read by a discipline-inspection tool in the
 *   public code corpus: 账号, 交易日期 yyyymmdd, 交易时间 HHMMSS, 户名, 交易金额 signed, 交易后余额,
 *   摘要, 交易渠道, 对方账号, 对方户名, 对方开户行.
 * Title lines (账号/户名/起止日期) follow the pattern of the other banks' exports; 子账号 is our
 * addition for the bank's 一案一账号 sub-account service and is optional (no sample shows it).
 */
export const ABC_ACCOUNT_DETAIL: StatementLayout = {
  name: "abc-account-detail",
  bank: "中国农业银行",
  title: "中国农业银行 账户明细",
  modelledOn: "ABC 账户明细 CSV (deb-sig/double-entry-generator example/abc_debit) and ABC's APSH query workbook",
  columns: [
    { header: "交易日期", field: "transactionDate" },
    { header: "交易时间", field: "transactionTime" },
    { header: "交易金额", field: "amount" },
    { header: "本次余额", field: "balance", aliases: ["交易后余额", "账户余额"] },
    { header: "对方账号", field: "counterpartyAccount" },
    { header: "对方户名", field: "counterpartyName", aliases: ["对手信息"] },
    { header: "对方开户行", field: "counterpartyBank" },
    { header: "交易摘要", field: "remark", aliases: ["摘要"] },
    { header: "交易附言", field: "remark", aliases: ["附言", "交易用途", "用途"] },
    { header: "交易渠道", filler: "超级网银" },
    { header: "日志号", field: "bankReference", aliases: ["日 志 号", "交易流水号"] },
    { header: "子账号", field: "virtualAccount", aliases: ["虚拟账号", "子账户账号"] },
  ],
  amountStyle: { style: "signed" },
  dateFormats: ["YYYYMMDD", "YYYY-MM-DD", "YYYY/M/D"],
  thousandsSeparators: true,
  render: {
    date: "YYYYMMDD",
    dateWithTime: false,
    grouping: false,
    signedPlus: true,
    unusedAmount: "",
    padCells: false,
    newestFirst: false,
    titleRows: (t) => [["中国农业银行账户明细"], [`账号：${t.accountNumber}`, "", `户名：${t.accountName}`], [`起止日期：${compact(t.from)}-${compact(t.to)}`], []],
  },
};

/**
 * 中国建设银行 企业网银 账户明细 (CCB). The columns as four unrelated projects in the public code
 * corpus read the same export (a jeecg-boot entity JxProtocolPayInfo with @Excel names, a Python
 * reconciliation test "standard export", a C# bank-flow importer, a host-to-host test file in
 * gb18030): 账号, 账户名称, 交易时间 ("20260105 18:22:21"), 借方发生额（支取）, 贷方发生额（收入）
 * (the unused one holds 0), 余额, 币种 (人民币元), 对方户名, 对方账号, 对方开户机构, 记账日期
 * (20260105), 摘要, 备注, 账户明细编号-交易流水号, 企业流水号, 凭证种类, 凭证号. One title line, as a
 * reconciliation tool's config for 建行 has it (TTITLE = 1). 子账号 is our optional addition.
 */
export const CCB_ACCOUNT_DETAIL: StatementLayout = {
  name: "ccb-account-detail",
  bank: "中国建设银行",
  title: "中国建设银行 企业网银 账户明细",
  modelledOn: "CCB 企业网银 账户明细 export (columns as read by jeecg-boot JxProtocolPayInfo, a Python reconciliation test, a C# importer)",
  columns: [
    { header: "账号", field: "accountNumber" },
    { header: "账户名称", field: "accountName" },
    { header: "交易时间", field: "transactionDate" },
    { header: "借方发生额（支取）", field: "debit", aliases: ["借方发生额"] },
    { header: "贷方发生额（收入）", field: "credit", aliases: ["贷方发生额"] },
    { header: "余额", field: "balance" },
    { header: "币种", field: "currency" },
    { header: "对方户名", field: "counterpartyName" },
    { header: "对方账号", field: "counterpartyAccount" },
    { header: "对方开户机构", field: "counterpartyBank" },
    { header: "记账日期", field: "bookedOn" },
    { header: "摘要", field: "remark" },
    { header: "备注", field: "remark" },
    { header: "账户明细编号-交易流水号", field: "bankReference", aliases: ["交易流水号"] },
    { header: "企业流水号" },
    { header: "凭证种类" },
    { header: "凭证号" },
    { header: "子账号", field: "virtualAccount", aliases: ["虚拟账号", "子账户账号"] },
  ],
  amountStyle: { style: "two-columns" },
  dateFormats: ["YYYYMMDD", "YYYY-MM-DD", "YYYY/M/D"],
  thousandsSeparators: true,
  render: {
    date: "YYYYMMDD",
    dateWithTime: true,
    grouping: false,
    signedPlus: false,
    unusedAmount: "0.00",
    padCells: false,
    newestFirst: false,
    titleRows: () => [["账户明细查询"]],
  },
};

/**
 * 中国工商银行 明细查询文件下载 (ICBC). Modelled on ICBC's online-banking detail CSV as kept in
 * deb-sig/double-entry-generator (example/icbc/debit/example-icbc-debit-records.csv): title lines
 * "明细查询文件下载", "卡号: …", "子账户序号: …" with blank lines between; 13 columns; every cell
 * padded with blanks and ending in a tab; "-" in the columns not used; amounts grouped
 * ("1,234.56"); newest line first; a closing "人民币合计" row. It carries neither a reference nor
 * the counterparty's account, so its lines are known by date, amount, counterparty and balance
 * (see line-fingerprint.ts). It is a personal-account export — the only ICBC one whose exact
 * columns we could confirm; the court's corporate account may need a column mapping.
 */
export const ICBC_DETAIL: StatementLayout = {
  name: "icbc-detail",
  bank: "中国工商银行",
  title: "中国工商银行 明细查询文件下载",
  modelledOn: "ICBC 明细查询文件下载 CSV (deb-sig/double-entry-generator example/icbc/debit)",
  columns: [
    { header: "交易日期", field: "transactionDate" },
    { header: "摘要", field: "remark" },
    { header: "交易场所", filler: "" },
    { header: "交易国家或地区简称", filler: "CHN" },
    { header: "钞/汇", filler: "钞" },
    { header: "交易金额(收入)", filler: "-" },
    { header: "交易金额(支出)", filler: "-" },
    { header: "交易币种", filler: "-" },
    { header: "记账金额(收入)", field: "credit" },
    { header: "记账金额(支出)", field: "debit" },
    { header: "记账币种", field: "currency" },
    { header: "余额", field: "balance" },
    { header: "对方户名", field: "counterpartyName" },
  ],
  amountStyle: { style: "two-columns" },
  dateFormats: ["YYYY-MM-DD", "YYYY/M/D", "YYYYMMDD"],
  thousandsSeparators: true,
  render: {
    date: "YYYY-MM-DD",
    dateWithTime: false,
    grouping: true,
    signedPlus: false,
    unusedAmount: "",
    padCells: true,
    newestFirst: true,
    summaryLabel: "人民币合计",
    titleRows: (t) => [["明细查询文件下载"], [], [`卡号: ${t.accountNumber}`, `卡别名: ${t.accountName}`], [], ["子账户序号: 00000", "子账户类别: 活期", "子账户别名: "], []],
  },
};

export const STATEMENT_LAYOUTS: Readonly<Record<string, StatementLayout>> = {
  [ABC_ACCOUNT_DETAIL.name]: ABC_ACCOUNT_DETAIL,
  [CCB_ACCOUNT_DETAIL.name]: CCB_ACCOUNT_DETAIL,
  [ICBC_DETAIL.name]: ICBC_DETAIL,
};

export function getStatementLayout(name: string): StatementLayout | undefined {
  return Object.hasOwn(STATEMENT_LAYOUTS, name) ? STATEMENT_LAYOUTS[name] : undefined;
}

/** The fields a file must have columns for, in this layout. */
export function requiredFields(layout: StatementLayout): StatementField[] {
  switch (layout.amountStyle.style) {
    case "two-columns":
      return ["transactionDate", "credit", "debit"];
    case "signed":
      return ["transactionDate", "amount"];
    case "direction":
      return ["transactionDate", "amount", "direction"];
  }
}

/** Column names are compared without blanks, with ASCII parentheses and colons: "日 志 号" is 日志号. */
export function normaliseHeader(name: string): string {
  return name
    .replace(/[\s\u3000\u00a0\ufeff]/g, "")
    .replace(/（/g, "(")
    .replace(/）/g, ")")
    .replace(/[:：]$/, "")
    .toLowerCase();
}
