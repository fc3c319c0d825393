import type { Schemas } from "../api/client";

export const ROLE_LABELS: Record<Schemas["Role"], string> = {
  admin: "管理员",
  clerk: "执行员",
  finance: "财务",
  approver: "审批人（庭长/局长）",
  list_officer: "失信名单专员",
  inspector: "巡察组",
};

export const BATCH_STATUS: Record<Schemas["PayoutBatchStatus"], string> = {
  draft: "草稿",
  submitted: "待审批",
  approved: "已审批待支付",
  rejected: "已退回",
  cancelled: "已撤销",
  executed: "已支付",
};
export const BATCH_STATUS_COLOR: Record<Schemas["PayoutBatchStatus"], string> = {
  draft: "default",
  submitted: "processing",
  approved: "gold",
  rejected: "red",
  cancelled: "default",
  executed: "green",
};

export const ITEM_STATUS: Record<Schemas["PayoutItemStatus"], string> = { pending: "待支付", paid: "已支付", failed: "支付失败", returned: "已退回" };

export const RECEIPT_SOURCE: Record<Schemas["ReceiptCreate"]["source"], string> = {
  voluntary: "自动履行",
  deduction: "扣划",
  auction: "拍卖款",
  other: "其他",
  cash: "现金",
};

export const LEDGER_KIND: Record<Schemas["LedgerEntry"]["kind"], string> = {
  receipt: "到账",
  receipt_reversal: "到账冲销",
  payout: "发放",
  payout_return: "退汇",
};

export const DEFERRAL_REASON: Record<Schemas["DeferralCreate"]["reason"], string> = {
  applicant_unreachable: "申请执行人无法联系",
  amount_disputed: "款项存在争议",
  execution_suspended: "执行中止",
  objection_pending: "异议审查中",
  other: "其他",
};

export const LISTING_GROUND: Record<Schemas["ListingGround"], string> = {
  able_but_refuses: "有履行能力而拒不履行",
  obstructs_enforcement: "妨碍、抗拒执行",
  evades_enforcement: "规避执行",
  false_asset_report: "违反财产报告制度",
  violates_consumption_ban: "违反限制消费令",
  breaches_settlement: "无正当理由拒不履行和解协议",
};

export const REMOVAL_GROUND: Record<Schemas["RemovalGround"], string> = {
  fully_performed: "已全部履行",
  settlement_performed: "和解协议已履行",
  applicant_request: "申请执行人申请删除",
  no_assets_found: "终本且两次查询无财产",
  execution_suspended: "中止执行（再审/破产）",
  enforcement_refused: "裁定不予执行",
  enforcement_terminated: "终结执行",
  listed_in_error: "错误纳入",
};

export const LISTING_STATUS: Record<Schemas["ListingStatus"], string> = { active: "在列", removal_pending: "删除待审批", removed: "已删除", expired: "已到期" };

export const CHANNEL: Record<Schemas["PublicationChannel"], string> = {
  court_website: "法院网站",
  national_portal: "全国失信被执行人名单公布平台",
  new_media: "新媒体平台",
  newspaper: "报纸",
  other: "其他",
};

export const OBJECTION_REASON: Record<Schemas["ObjectionCreate"]["reason"], string> = {
  should_not_be_listed: "不应纳入",
  inaccurate: "记载有误",
  should_be_removed: "应当删除",
};
export const OBJECTION_STATUS: Record<Schemas["Objection"]["status"], string> = { pending: "待审查", upheld: "异议成立", rejected: "驳回" };

export const ASSET_TYPE: Record<Schemas["AssetType"], string> = { bank_deposit: "银行存款", movable: "动产", real_estate: "不动产", other: "其他财产权" };
export const FREEZE_STATUS: Record<Schemas["FreezeStatus"], string> = { active: "冻结中", released: "已解除", lapsed: "已失效" };

export const CLOSURE_TYPE: Record<Schemas["CaseClose"]["closureType"], string> = {
  fully_performed: "执行完毕",
  terminated_this_round: "终结本次执行",
  terminated: "终结执行",
  withdrawn: "撤回申请",
  other: "其他",
};

// Issue 12: agents and a case's history.
export const AGENT_STATUS: Record<Schemas["Agent"]["status"], string> = { pending: "待审批", approved: "已批准", rejected: "已驳回" };

/** The audit actions a case's history shows most; others show their code. */
export const AUDIT_ACTION: Record<string, string> = {
  "case.created": "立案登记",
  "case.corrected": "更正案件信息",
  "case.closed": "结案",
  "party.added": "追加当事人",
  "party.corrected": "更正当事人",
  "party.removed": "删除误录当事人",
  "receipt.recorded": "登记到账",
  "receipt.reversed": "冲销到账",
  "bank_account_change.requested": "申请变更账户",
  "bank_account_change.approved": "批准变更账户",
  "agent.requested": "登记代理人",
  "agent.approved": "批准代理人",
  "agent.rejected": "驳回代理人",
  "deferral.requested": "申请延缓发放",
  "deferral.approved": "批准延缓发放",
  "payout_batch.created": "拟制发放批次",
  "payout_batch.submitted": "提交发放批次",
  "payout_batch.approved": "批准发放批次",
  "payout_batch.executed": "支付发放批次",
  "listing.created": "纳入失信名单",
  "listing.removed": "删除失信信息",
  "listing.removal_withdrawn": "删除申请因未履行完毕撤回",
};

// Issue 15: the inspection team's work.
export const FINDING_STATUS: Record<Schemas["FindingStatus"], string> = {
  open: "未整改",
  rectifying: "整改中",
  rectified: "已整改待核查",
  verified: "已销号",
  reopened: "退回重新整改",
};
export const FINDING_STATUS_COLOR: Record<Schemas["FindingStatus"], string> = { open: "red", rectifying: "orange", rectified: "blue", verified: "green", reopened: "volcano" };
export const FINDING_CATEGORY: Record<Schemas["FindingCategory"], string> = {
  overdue_funds: "案款超期未发放",
  unentitled_payee: "向无权领款人发放",
  listing_not_removed: "失信名单逾期未删除",
  freeze_lapsed: "冻结到期未续",
  record_altered: "记录被改动",
  complaint: "来信来访反映",
  other: "其他",
};
export const FINDING_SEVERITY: Record<Schemas["FindingSeverity"], string> = { low: "一般", medium: "较重", high: "严重" };
export const COMPLAINT_CHANNEL: Record<Schemas["ComplaintChannel"], string> = { letter: "来信", visit: "来访", phone: "来电", online: "网上信访" };

export const RED_FLAG_KIND: Record<Schemas["RedFlag"]["kind"], string> = {
  payout_after_account_change: "变更账户后发放",
  account_name_mismatch: "户名不符",
  unentitled_payout: "向非申请人发放",
  overdue_held: "超期未发放",
  receipt_reversed_by_recorder: "登记人自行冲销",
  batch_approved_quickly: "批次快速审批",
};
export const RED_FLAG_RECORD: Record<Schemas["RedFlag"]["records"][number]["type"], string> = {
  case: "案件",
  receipt: "到账",
  batch: "批次",
  payout_item: "发放明细",
  party: "当事人",
  user: "用户",
};
