import type { Request, Response } from "express";
import type { FeatureHandlers } from "../http/operations";
import { problemType } from "../http/errors";

/**
 * PLACEHOLDER — remove when sign-in (issue 10) lands.
 *
 * The workbench branch added the sign-in contract (`createSession`, `deleteCurrentSession`,
 * `changeOwnPassword`) to openapi.yaml so that its client is typed against it; the handler map must
 * name every operation, so until the real handlers exist these answer 501 problem details. The
 * workbench reads a 501 here as "this server has no password sign-in yet" and offers the token tab.
 * Nothing is read, stored or logged.
 */
function notImplemented(req: Request, res: Response): void {
  res
    .status(501)
    .type("application/problem+json")
    .send(
      JSON.stringify({
        type: problemType("service_unavailable"),
        title: "Not implemented yet",
        status: 501,
        detail: `${req.method} ${req.path} is part of the sign-in contract and is not implemented on this server yet`,
        code: "service_unavailable",
        instance: req.originalUrl,
        requestId: req.id === undefined ? undefined : String(req.id),
      }),
    );
}

export const sessionPlaceholderHandlers: FeatureHandlers<"createSession" | "deleteCurrentSession" | "changeOwnPassword"> = {
  createSession: notImplemented,
  deleteCurrentSession: notImplemented,
  changeOwnPassword: notImplemented,
};
