import { Router, type Request, type RequestHandler, type Response } from "express";
import type { operations } from "../generated/openapi";
import { listOperations, type OpenApiDocument } from "./openapi-document";

export type OperationId = keyof operations;
export type Handler = (req: Request, res: Response) => Promise<void> | void;

/**
 * Every operation of the contract must have a handler: `Handlers` is keyed by the generated
 * operation ids, so adding a path to openapi.yaml without its handler does not compile.
 */
export type Handlers = { [K in OperationId]: Handler };

/** A feature contributes the handlers of its own operations. */
export type FeatureHandlers<K extends OperationId> = { [P in K]: Handler };

/** Mounts each handler on the method and path the document gives its operationId. */
export function routerFromContract(doc: OpenApiDocument, handlers: Handlers, before: RequestHandler[] = []): Router {
  const router = Router();
  for (const op of listOperations(doc)) {
    const handler = (handlers as Record<string, Handler | undefined>)[op.operationId];
    if (!handler) throw new Error(`No handler for operation ${op.operationId} (${op.method.toUpperCase()} ${op.pathTemplate})`);
    const tagged: RequestHandler = (req, _res, next) => {
      req.operation = op;
      next();
    };
    router[op.method](op.expressPath, tagged, ...before, async (req: Request, res: Response) => {
      await handler(req, res);
    });
  }
  return router;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      operation?: import("./openapi-document").OperationRef;
    }
  }
}
