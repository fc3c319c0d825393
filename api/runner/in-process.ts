import crypto from "node:crypto";
import type { Knex } from "knex";
import type { Logger } from "pino";
import type { Config } from "../config";
import type { Actor } from "../core/actor";
import { isReply } from "../core/reply";
import type { Operation, OperationId, Operations, SuccessBody } from "../core/operation";
import type { operations as ContractOperations } from "../generated/openapi";
import { runOperation } from "./runner";

type JsonBody<K extends OperationId> = ContractOperations[K] extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;
type PathParams<K extends OperationId> = ContractOperations[K]["parameters"] extends { path?: infer P } ? P : never;
type QueryParams<K extends OperationId> = ContractOperations[K]["parameters"] extends { query?: infer Q } ? Q : never;

/** The input of one call, typed by the contract: the same JSON a client would send. */
export interface CallInput<K extends OperationId> {
  params?: PathParams<K>;
  query?: QueryParams<K>;
  body?: JsonBody<K>;
  /** The business day the call is made on (a demo replaying the past); today when absent. */
  on?: string;
  /** The exact instant of the call (a demo replaying the past); wins over `on`. */
  at?: Date;
}

export type InProcessCaller = <K extends OperationId>(operationId: K, actor: Actor, input?: CallInput<K>) => Promise<SuccessBody<K>>;

/**
 * Calls operations without HTTP, through the same runner: roles, parsing, four eyes,
 * idempotency (a fresh key per call), one transaction each and the audit trail written last.
 * The demo seed and test set-ups use it, so that they obey every rule an API client does.
 * Pass a transaction as `knex` to make a whole script one unit (each call is then a savepoint).
 */
export function inProcessCaller(deps: { knex: Knex; config: Config; log: Logger; operations: Operations; requestId: string }): InProcessCaller {
  return async (operationId, actor, input = {}) => {
    const op: Operation = deps.operations[operationId];
    const result = await runOperation(
      { knex: deps.knex, config: deps.config },
      op,
      {
        actor,
        requestId: deps.requestId,
        params: input.params ?? {},
        query: input.query ?? {},
        body: input.body,
        idempotencyKey: crypto.randomUUID(),
        route: `in-process ${operationId}`,
        path: `in-process/${operationId}/${JSON.stringify(input.params ?? {})}`,
        client: { ip: "in-process" },
        log: deps.log,
        // The instant given, else noon in China on the day given.
        now: input.at ?? (input.on ? new Date(`${input.on}T04:00:00Z`) : undefined),
      },
    );
    if (isReply(result.body) && result.body.kind === "empty") return undefined as never;
    if (isReply(result.body)) throw new Error(`${operationId} answers a file or a stream, which an in-process call cannot take`);
    return result.body as never;
  };
}
