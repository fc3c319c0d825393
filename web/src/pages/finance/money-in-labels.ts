import type { Schemas } from "../../api/client";

/** Labels of the money-coming-in screens (issue 13), kept here rather than in lib/labels.ts. */
export const STATEMENT_LAYOUTS: Record<string, string> = {
  "abc-account-detail": "中国农业银行 账户明细",
  "ccb-account-detail": "中国建设银行 企业网银 账户明细",
  "icbc-detail": "中国工商银行 明细查询文件下载",
};

export const LINE_OUTCOME: Record<Schemas["StatementLine"]["outcome"], string> = {
  receipt: "已入账",
  already_recorded: "已手工登记",
  unidentified: "不明款",
  payout: "发放已匹配",
  unmatched_debit: "支出未匹配",
};

export const LINE_OUTCOME_COLOR: Record<Schemas["StatementLine"]["outcome"], string> = {
  receipt: "green",
  already_recorded: "blue",
  unidentified: "orange",
  payout: "cyan",
  unmatched_debit: "red",
};

export const FUND_STATUS: Record<Schemas["UnidentifiedFundStatus"], string> = {
  unclaimed: "待认领",
  claimed: "已认领",
  returning: "待退回",
  returned: "已退回",
};

export const FUND_REASON: Record<Schemas["UnidentifiedFund"]["reason"], string> = {
  no_match: "未找到对应案件",
  case_closed: "案件已结案",
  case_ambiguous: "附言含多个案号",
};
