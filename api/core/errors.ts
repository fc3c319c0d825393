import type { components } from "../generated/openapi";

/**
 * The closed family of errors a client can cause. Each has a stable `code` (an enum in the
 * OpenAPI document) and an HTTP status; the error middleware turns them into RFC 9457 problems.
 * Anything else thrown is a bug: logged, and answered as a bare 500.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  idempotency_key_required: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  password_change_required: 403,
  same_person: 403,
  not_found: 404,
  not_acceptable: 406,
  conflict: 409,
  invalid_state: 409,
  insufficient_funds: 409,
  idempotency_key_in_flight: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  rate_limited: 429,
  too_many_attempts: 429,
  internal_error: 500,
  service_unavailable: 503,
  not_entitled: 422,
  duplicate_bank_reference: 409,
  statement_rejected: 422,
  wrong_account: 422,
  // Node's own refusals, written on the socket before any request exists (api/http/http-server.ts).
  request_timeout: 408,
  headers_too_large: 431,
  // A proof pack whose rows, digests, fingerprint or totals do not agree with each other (issue 15).
  proof_pack_invalid: 422,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

// The codes here and the contract's ErrorCode enum are the same set: a code missing on either side does not compile.
type SpecErrorCode = components["schemas"]["ErrorCode"];
const _codesMatchTheContract: [SpecErrorCode, ErrorCode] extends [ErrorCode, SpecErrorCode] ? true : never = true;
void _codesMatchTheContract;

/**
 * Finer reasons under a code (`invalid_state` because the debtor is a minor…), published in the
 * contract's ProblemReason enum so that clients can act on them; tied to it the same way.
 */
export const PROBLEM_REASONS = [
  "minor",
  "relisting_barred",
  "not_fully_performed",
  // A bank statement that could not be read (api/statements/statement-errors.ts).
  "missing_column",
  "bad_encoding",
  "bad_file",
  "unsupported_format",
  "bad_amount",
  "bad_direction",
  "bad_date",
  "future_date",
  "bad_account_number",
  "bad_currency",
  "mixed_accounts",
  "too_many_lines",
  "bad_layout",
  // The rules' second pass (issue 14).
  "frozen_assets_cover_debt",
  "no_perform_by",
  // Execution fee items (issue 14): the court does not charge the fee, has no fee account, or the item exceeds the unpaid fee.
  "fee_not_charged",
  "no_fee_account",
  "fee_exceeds_unpaid",
] as const;
export type ProblemReason = (typeof PROBLEM_REASONS)[number];
type SpecProblemReason = components["schemas"]["ProblemReason"];
const _reasonsMatchTheContract: [SpecProblemReason, ProblemReason] extends [ProblemReason, SpecProblemReason] ? true : never = true;
void _reasonsMatchTheContract;

const TITLES: Record<ErrorCode, string> = {
  validation_failed: "The request is not valid",
  idempotency_key_required: "An Idempotency-Key header is required",
  unauthorized: "Authentication is required",
  invalid_credentials: "The username or the password is wrong",
  forbidden: "Not allowed for your role",
  password_change_required: "Change your one-time password first",
  same_person: "A second person must do this",
  not_found: "Not found",
  not_acceptable: "No acceptable representation",
  conflict: "Conflict with the current state",
  invalid_state: "Not allowed in the current state",
  insufficient_funds: "Not enough money available",
  idempotency_key_in_flight: "A request with this Idempotency-Key is still being processed",
  payload_too_large: "The request body is too large",
  unsupported_media_type: "The request body must be JSON",
  idempotency_key_reused: "This Idempotency-Key was used for a different request",
  rate_limited: "Too many requests",
  too_many_attempts: "Too many failed sign-ins",
  internal_error: "Internal server error",
  service_unavailable: "Service unavailable",
  not_entitled: "The payee is not entitled to this money",
  duplicate_bank_reference: "This bank reference is already recorded",
  statement_rejected: "The bank statement could not be read",
  wrong_account: "The statement is not of the court's master account",
  request_timeout: "The request took too long to arrive",
  headers_too_large: "The request headers are too large",
  proof_pack_invalid: "The proof pack does not agree with itself",
};

export interface FieldError {
  path: string;
  message: string;
}

/** What a problem may carry besides its code and detail. */
export interface ProblemExtra {
  errors?: FieldError[];
  reason?: ProblemReason;
  [key: string]: unknown;
}

const VALIDATION = Symbol("validationFailed");

export class AppError extends Error {
  readonly status: number;
  readonly title: string;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly extra: ProblemExtra;

  // validation_failed always names its fields: it is built by validationFailed() only.
  constructor(code: Exclude<ErrorCode, "validation_failed">, detail: string, extra?: ProblemExtra);
  constructor(code: "validation_failed", detail: string, extra: ProblemExtra & { errors: FieldError[] }, token: typeof VALIDATION);
  constructor(code: ErrorCode, detail: string, extra: ProblemExtra = {}) {
    super(detail);
    this.name = "AppError";
    this.code = code;
    this.detail = detail;
    this.extra = extra;
    this.status = ERROR_STATUS[code];
    this.title = TITLES[code];
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} was not found`);
export const forbidden = (detail: string) => new AppError("forbidden", detail);
export const invalidState = (detail: string, extra?: ProblemExtra) => new AppError("invalid_state", detail, extra);
export const conflict = (detail: string, extra?: ProblemExtra) => new AppError("conflict", detail, extra);
export const samePerson = (detail: string) => new AppError("same_person", detail);
/** The one way to build validation_failed: always with the fields that are wrong. */
export class ValidationError extends AppError {
  constructor(errors: FieldError[], detail = "The request is not valid: see errors", extra: Omit<ProblemExtra, "errors"> = {}) {
    super("validation_failed", detail, { ...extra, errors }, VALIDATION);
    this.name = "ValidationError";
  }
}

export const validationFailed = (errors: FieldError[], detail?: string, extra?: Omit<ProblemExtra, "errors">) => new ValidationError(errors, detail, extra);

export function problemType(code: ErrorCode): string {
  return `https://court-funds.example/problems/${code.replace(/_/g, "-")}`;
}
