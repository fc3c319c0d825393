import { Router, type Request, type Response } from "express";
import type { Operation, OperationId, Operations } from "../core/operation";
import type { Reply, StreamLimits } from "../core/reply";
import { isReply } from "../core/reply";
import { runOperation, type RunnerDeps, type RunResult } from "../runner/runner";
import { listOperations, type OpenApiDocument } from "./openapi-document";

/**
 * Mounts every operation of the contract on the method and path the document gives its
 * operationId, and runs it through the runner. This is the only place an operation meets
 * Express: operations see neither `req` nor `res`.
 */
export function routerFromContract(doc: OpenApiDocument, operations: Operations, deps: RunnerDeps): Router {
  const router = Router();
  for (const ref of literalPathsFirst(listOperations(doc))) {
    const op = (operations as Record<string, Operation | undefined>)[ref.operationId];
    if (!op) throw new Error(`No operation ${ref.operationId} (${ref.method.toUpperCase()} ${ref.pathTemplate})`);
    const route = `${ref.method.toUpperCase()} ${ref.expressPath}`;
    router[ref.method](ref.expressPath, async (req: Request, res: Response) => {
      req.operation = ref;
      const result = await runOperation(deps, op, {
        actor: req.ctx.actor,
        signedIn: req.ctx.signedIn,
        requestId: req.ctx.requestId,
        params: req.params,
        query: req.query,
        // A raw upload reaches the operation as { file, contentType }: operations never see req.
        body: Buffer.isBuffer(req.body) ? { file: req.body, contentType: req.get("Content-Type") } : req.body,
        accept: req.get("Accept"),
        idempotencyKey: req.get("Idempotency-Key"),
        route,
        path: req.originalUrl.split("?")[0],
        client: { ip: req.ip ?? req.socket.remoteAddress ?? "unknown" },
        log: req.log,
      });
      // API answers carry personal data or change by the minute: never kept by a cache.
      if (!res.getHeader("Cache-Control")) res.setHeader("Cache-Control", "no-store");
      await send(res, result, { ...deps.config.exports, log: req.log });
    });
  }
  return router;
}

/**
 * Express takes the first route that matches, so `/v1/users/me` must come before `/v1/users/{id}`:
 * at the first segment where two paths differ, a literal segment goes before a parameter.
 */
function literalPathsFirst<T extends { pathTemplate: string }>(refs: T[]): T[] {
  const shape = (p: string) => p.split("/").map((seg) => (seg.startsWith("{") ? 1 : 0));
  return [...refs].sort((a, b) => {
    const [x, y] = [shape(a.pathTemplate), shape(b.pathTemplate)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return 0;
  });
}

async function send(res: Response, result: RunResult, limits: StreamLimits): Promise<void> {
  if (result.replayed) res.setHeader("Idempotent-Replayed", "true");
  if (!isReply(result.body)) {
    res.status(result.status).json(result.body);
    return;
  }
  const r: Reply = result.body;
  res.status(r.status);
  for (const [name, value] of Object.entries(r.headers)) res.setHeader(name, value);
  if (r.kind === "empty" || r.kind === "refusal") {
    // (A refusal never gets here: the runner throws it after its commit.)
    res.end();
    return;
  }
  res.setHeader("Content-Type", r.contentType);
  if (r.filename) res.setHeader("Content-Disposition", `attachment; filename="${r.filename}"`);
  if (r.kind === "file") {
    res.send(r.body);
    return;
  }
  await r.write(res, limits);
  if (!res.writableEnded) res.end();
}

export type { OperationId };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      operation?: import("./openapi-document").OperationRef;
    }
  }
}
