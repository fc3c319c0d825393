import type { Knex } from "knex";
import type { Logger } from "pino";
import type { z } from "zod";
import type { Config } from "../config";
import type { operations } from "../generated/openapi";
import type { Actor, Role } from "./actor";
import type { Reply } from "./reply";
import { noInput } from "./validation";

/**
 * An operation of the contract, declared once: who may call it, what it reads, whether it
 * writes, and what it does. The runner (api/runner/) does the rest — role check, parsing, the
 * retrying transaction, idempotency, the audit trail written last — the same way for every
 * operation, over HTTP or from a script. See docs/adr/0001-operations-are-declarations.md.
 */
export type OperationId = keyof operations;

/**
 * - `none`: reads only, outside any write transaction;
 * - `transaction`: one retrying transaction, at least one audit event;
 * - `idempotent`: the same, under an Idempotency-Key whose first answer is replayed (money moves).
 */
export type Writes = "none" | "transaction" | "idempotent";

/** Who may call: `public` (no sign-in), `any` signed-in user, or one of the roles. */
export type Access = "public" | "any" | readonly Role[];

/** An event for the audit trail; the runner adds who, which request and when, and writes it last. */
export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  courtId: string | null;
  data: Record<string, unknown>;
}

export interface AuditBuffer {
  record(...events: AuditRecord[]): void;
}

interface BaseContext {
  readonly requestId: string;
  /** One business date (China time) for the whole request. */
  readonly today: string;
  readonly now: Date;
  readonly log: Logger;
  readonly config: Config;
  /** The client's address as the HTTP layer derived it ("script" outside HTTP). */
  readonly client: { readonly ip: string };
}

/** A read: the connection pool, never a write transaction. */
export interface ReadContext extends BaseContext {
  readonly db: Knex;
  readonly actor: Actor;
}

/** A write: the request's one transaction and its audit buffer. */
export interface WriteContext extends BaseContext {
  readonly db: Knex.Transaction;
  readonly actor: Actor;
  readonly audit: AuditBuffer;
}

/** A read or write a service can run under: what both give. */
export type ServiceContext = ReadContext | WriteContext;

/** A write with no signed-in caller: a public operation (sign-in) or the system's own work. */
export type SystemContext = PublicContext<"transaction">;

export type PublicContext<W extends Writes> = Omit<ContextOf<W>, "actor"> & { readonly actor: Actor | null };

type ContextOf<W extends Writes> = W extends "none" ? ReadContext : WriteContext;
export type ContextFor<A extends Access, W extends Writes> = A extends "public" ? PublicContext<W> : ContextOf<W>;

export interface OperationInput<P, Q, B, Pr = undefined> {
  params: P;
  query: Q;
  body: B;
  /** The Accept header, for operations that answer CSV or XLSX as well as JSON. */
  accept: string | undefined;
  /** What `prepare` computed before the transaction. */
  prepared: Pr;
}

type NoInput = typeof noInput;

export interface OperationDefinition<A extends Access, W extends Writes, P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R, Pr> {
  roles: A;
  writes: W;
  /** Allowed while the caller must still change a one-time password (changing it, signing out, who am I). */
  allowBeforePasswordChange?: boolean;
  /**
   * Slow work that needs no lock (hashing a password), done on the pool before the transaction
   * opens, so that no lock or embedded connection is held while it runs. Reads only.
   */
  prepare?(ctx: ContextFor<A, "none">, input: OperationInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<Pr>;
  /** The success status of a JSON answer (default 200). */
  status?: 200 | 201;
  params?: P;
  query?: Q;
  body?: B;
  /** The body may be absent (then it is parsed as `{}`). */
  bodyOptional?: boolean;
  run(ctx: ContextFor<A, W>, input: OperationInput<z.output<P>, z.output<Q>, z.output<B>, Pr>): Promise<R> | R;
}

/** An operation as the runner holds it; `R` is what `run` answers (a JSON body or a Reply). */
export interface Operation<R = unknown> {
  readonly roles: Access;
  readonly writes: Writes;
  readonly status: 200 | 201;
  readonly params: z.ZodType;
  readonly query: z.ZodType;
  readonly body: z.ZodType | undefined;
  readonly bodyOptional: boolean;
  readonly allowBeforePasswordChange: boolean;
  // Methods, so that an operation with a narrower context and input is still an Operation.
  prepare?(ctx: never, input: never): Promise<unknown>;
  run(ctx: never, input: never): Promise<R> | R;
}

export function operation<
  const A extends Access,
  W extends Writes,
  R,
  P extends z.ZodType = NoInput,
  Q extends z.ZodType = NoInput,
  B extends z.ZodType = NoInput,
  Pr = undefined,
>(def: OperationDefinition<A, W, P, Q, B, R, Pr>): Operation<Awaited<R>> {
  return {
    roles: def.roles,
    writes: def.writes,
    status: def.status ?? 200,
    params: (def.params ?? emptyObject) as z.ZodType,
    query: (def.query ?? emptyObject) as z.ZodType,
    body: def.body,
    bodyOptional: def.bodyOptional ?? false,
    allowBeforePasswordChange: def.allowBeforePasswordChange ?? false,
    prepare: def.prepare as Operation<Awaited<R>>["prepare"],
    run: def.run as Operation<Awaited<R>>["run"],
  };
}

const emptyObject: z.ZodType = noInput;

type Responses<K extends OperationId> = operations[K]["responses"];
type JsonContent<R> = R extends { content: { "application/json": infer J } } ? J : never;
type At<T, S> = S extends keyof T ? T[S] : never;

/** The JSON body the contract gives for an operation's success (200 or 201). */
export type SuccessBody<K extends OperationId> = JsonContent<At<Responses<K>, 200>> | JsonContent<At<Responses<K>, 201>>;

/**
 * A feature's operations, keyed by operationId; each answers its contract's success body (or a
 * Reply, for files, pages and streams). A missing or misnamed one does not compile.
 */
export type FeatureOperations<K extends OperationId> = { [P in K]: Operation<SuccessBody<P> | Reply> };

/** Every operation of the contract. */
export type Operations = FeatureOperations<OperationId>;
