import type { RequestHandler } from "express";
import { AppError } from "../core/errors";

/** A request that carries a body must carry JSON. Bodiless POSTs (`/submit`) need no content type. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
  if (Buffer.isBuffer(req.body)) return next(); // an upload a raw parser took (a bank statement)
  if (hasBody && !req.is(["application/json", "application/*+json"])) {
    return next(new AppError("unsupported_media_type", "Send the body as application/json"));
  }
  next();
};
