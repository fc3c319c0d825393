import type { ErrorRequestHandler, RequestHandler } from "express";
import { ZodError } from "zod";
import { AppError, problemType, validationFailed } from "../core/errors";
import { zodIssuesToFieldErrors } from "../core/validation";

/** Turns every error into RFC 9457 problem details; never leaks a stack or SQL to the client. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const problem = toAppError(err);
  if (problem.status >= 500) {
    req.log?.error({ err }, "request failed");
  } else {
    req.log?.info({ code: problem.code, detail: problem.detail }, "request refused");
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if ((problem.code === "rate_limited" || problem.code === "too_many_attempts") && typeof problem.extra.retryAfterSeconds === "number") {
    res.setHeader("Retry-After", String(problem.extra.retryAfterSeconds));
  }
  res
    .status(problem.status)
    .type("application/problem+json")
    .send(
      JSON.stringify({
        type: problemType(problem.code),
        title: problem.title,
        status: problem.status,
        detail: problem.detail,
        code: problem.code,
        // The path only: a query string may carry what must not be echoed (an access_token someone pasted).
        instance: pathOf(req.originalUrl),
        requestId: req.id === undefined ? undefined : String(req.id),
        ...problem.extra,
      }),
    );
};

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return validationFailed(zodIssuesToFieldErrors(err.issues));
  const e = err as { type?: string; status?: number; expose?: boolean } | undefined;
  // Errors raised by express.json() (body-parser) before any route runs.
  if (e?.type === "entity.too.large") {
    const limitMb = typeof (err as { limit?: unknown }).limit === "number" ? Math.round((err as { limit: number }).limit / 1048576) : 1;
    return new AppError("payload_too_large", `The request body exceeds the ${limitMb} MB limit`);
  }
  if (e?.type === "entity.parse.failed") return validationFailed([{ path: "", message: "malformed JSON" }], "The request body is not valid JSON");
  if (e?.type === "encoding.unsupported" || e?.type === "charset.unsupported") {
    return new AppError("unsupported_media_type", "The request body must be UTF-8 JSON");
  }
  // The router could not decode a path parameter (`/v1/cases/%ZZ`, an overlong or surrogate UTF-8 sequence).
  if (err instanceof URIError && e?.status === 400) return validationFailed([{ path: "path", message: "malformed percent-encoding" }], "The path is not valid: it holds malformed percent-encoding");
  if (e?.status === 400 && e.expose) return validationFailed([{ path: "", message: "the request could not be read" }], "The request could not be read");
  // PostgreSQL cancelled a statement that ran past DB_STATEMENT_TIMEOUT_MS (a report over a very long
  // period of a very large court): not the client's fault, and not a bug to hide behind a 500.
  if ((err as { code?: unknown } | undefined)?.code === "57014") {
    return new AppError("service_unavailable", "The database took longer than its limit for this request: ask for a shorter period, or try again later");
  }
  return new AppError("internal_error", "Something went wrong on our side; the request id identifies it in the logs");
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError("not_found", `No such endpoint: ${req.method} ${req.path}`));
};

function pathOf(url: string): string {
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}
