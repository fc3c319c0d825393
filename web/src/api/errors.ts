import type { Schemas } from "./client";

/** Codes of the contract's ErrorCode enum, and those the next issues bring (sign-in, statements, agents). */
export type KnownCode = Schemas["ErrorCode"];

/** One table from code to the message a court's staff read (Chinese first, English second). */
export const ERROR_MESSAGES: Record<KnownCode, { zh: string; en: string }> = {
  validation_failed: { zh: "填写的内容不符合要求，请按提示修改", en: "The request is not valid" },
  idempotency_key_required: { zh: "缺少防重复提交标识（系统错误，请刷新页面后重试）", en: "An Idempotency-Key header is required" },
  unauthorized: { zh: "登录已失效，请重新登录", en: "Authentication is required" },
  forbidden: { zh: "您的角色无权进行此操作", en: "Not allowed for your role" },
  same_person: {
    zh: "四眼原则：发起或提交此事项的人不能自己审批或执行，须由另一位工作人员办理",
    en: "A second person must do this (four eyes)",
  },
  not_found: { zh: "未找到，或不属于您所在的法院", en: "Not found" },
  not_acceptable: { zh: "服务器无法提供所请求的格式", en: "No acceptable representation" },
  conflict: { zh: "与现有记录冲突（例如案号已存在）", en: "Conflict with the current state" },
  invalid_state: { zh: "当前状态下不能进行此操作，请刷新后查看最新状态", en: "Not allowed in the current state" },
  insufficient_funds: { zh: "可发放金额不足", en: "Not enough money available" },
  idempotency_key_in_flight: { zh: "同一提交仍在处理中，请稍候再查看结果", en: "The same submission is still being processed" },
  payload_too_large: { zh: "提交的内容过大", en: "The request body is too large" },
  unsupported_media_type: { zh: "提交的格式不受支持", en: "Unsupported media type" },
  idempotency_key_reused: {
    zh: "此次提交与之前的提交内容不同却使用了同一标识；请刷新页面后重新填写",
    en: "This Idempotency-Key was used for a different request",
  },
  rate_limited: { zh: "请求过于频繁，请稍后再试", en: "Too many requests" },
  internal_error: { zh: "服务器内部错误，请联系管理员并提供请求编号", en: "Internal server error" },
  service_unavailable: { zh: "服务暂不可用，请稍后再试", en: "Service unavailable" },
  invalid_credentials: { zh: "用户名或密码错误", en: "Wrong username or password" },
  too_many_attempts: { zh: "登录失败次数过多，请稍后再试", en: "Too many failed sign-ins" },
  password_change_required: { zh: "首次登录须先修改初始密码", en: "The one-time password must be changed first" },
  not_entitled: { zh: "收款人无权收取此款项（代理人须有特别授权）", en: "The payee is not entitled to this money" },
  duplicate_bank_reference: { zh: "该银行流水号已登记过，不能重复入账", en: "This bank reference was already recorded" },
  wrong_account: { zh: "对账单不是本院案款专户的", en: "The statement is not for the court's account" },
  request_timeout: { zh: "请求发送超时，请重试", en: "The request took too long to arrive" },
  headers_too_large: { zh: "请求头过大", en: "The request headers are too large" },
  proof_pack_invalid: { zh: "证据包与自身不符（已被改动、伪造或不完整），无法校验", en: "The proof pack does not agree with itself: altered, forged or cut short" },
  statement_rejected: { zh: "银行对账单无法读取（格式、编码或金额有误），未导入任何一行", en: "The bank statement could not be read; nothing was imported" },
};

export interface FieldError {
  path: string;
  message: string;
}

export type Problem = Partial<Schemas["Problem"]> & { status?: number; code?: string; errors?: FieldError[]; [k: string]: unknown };

/** A refusal of the API, as problem details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    readonly retryAfter: string | null = null,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = "ApiError";
  }
  get code(): string {
    return this.problem.code ?? "";
  }
}

export function messageFor(code: string | undefined, status?: number): { zh: string; en: string } {
  if (code && code in ERROR_MESSAGES) return ERROR_MESSAGES[code as KnownCode];
  if (status === 501) return { zh: "此功能在服务器上尚未启用", en: "Not implemented on this server" };
  return { zh: "操作失败", en: code || (status ? `HTTP ${status}` : "Request failed") };
}

/** openapi-fetch's answer → the data, or an ApiError carrying the problem details. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const problem = (typeof result.error === "object" && result.error !== null ? result.error : { detail: String(result.error ?? "") }) as Problem;
    throw new ApiError(result.response.status, problem, result.response.headers.get("Retry-After"));
  }
  return result.data as T;
}

/** "body.applicants.0.name" → ["applicants", 0, "name"], the name of an antd form field. */
export function fieldNameOf(path: string): (string | number)[] | null {
  const m = /^body\.(.+)$/.exec(path);
  if (!m) return null;
  return m[1].split(".").map((p) => (/^[0-9]+$/.test(p) ? Number(p) : p));
}

/** Zh text of a field error's English message, where it is one of the usual ones. */
export function fieldMessage(message: string): string {
  if (/^Required|required/i.test(message)) return `必填（${message}）`;
  return message;
}

/** A report answered as JSON (its operation also offers CSV and XLSX, which type as strings). */
export function jsonOf<T>(x: T): Exclude<T, string | Blob> {
  if (typeof x === "string") throw new ApiError(406, { code: "not_acceptable", detail: "Expected JSON" });
  return x as Exclude<T, string | Blob>;
}
