import type { NextFunction, Request, RequestHandler, Response } from "express";
import { AppError } from "../core/errors";

/** Whether the request carries a body (the test body-parser and requireJsonBody use). */
export function carriesBody(req: Request): boolean {
  return Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
}

/**
 * A route that takes more than the usual 1 MB (a payout batch, a proof pack, a bank statement)
 * takes it only from a signed-in user: the bearer token is checked first, and only then does
 * `parser` read the body. A request with a body and without a valid token is answered 401
 * `unauthorized` before a byte of its body is read (every operation on these paths needs a
 * sign-in, so the runner would refuse it anyway, only after the server had parsed megabytes).
 * A bodiless request (a GET, a bodiless POST) passes as it came; `authenticateOnce` then signs
 * it in as any other.
 */
export function largeBodyForSignedIn(signIn: RequestHandler, parser: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (!carriesBody(req)) return next();
    void signIn(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (!req.ctx.actor) return next(new AppError("unauthorized", "Sign in first: this route takes a large body only with a valid bearer token"));
      parser(req, res, next);
    });
  };
}

/** `signIn` (api/http/auth.ts `authenticate`), unless a large-body route above has already signed the request in. */
export function authenticateOnce(signIn: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.ctx.actor) return next();
    return signIn(req, res, next);
  };
}
