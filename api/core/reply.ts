import type { Writable } from "node:stream";
import type { AppError } from "./errors";

/**
 * What an operation answers when it is not the contract's JSON body: a file to download, an HTML
 * page, a stream written as it is produced. Operations never see the HTTP response; the HTTP
 * adapter turns a Reply into one.
 */
export type Reply =
  | { readonly kind: "file"; readonly status: number; readonly contentType: string; readonly filename?: string; readonly body: string | Buffer; readonly headers: Record<string, string> }
  | { readonly kind: "stream"; readonly status: number; readonly contentType: string; readonly filename?: string; readonly headers: Record<string, string>; readonly write: (out: Writable, limits: StreamLimits) => Promise<void> }
  | { readonly kind: "empty"; readonly status: number; readonly headers: Record<string, string> }
  | { readonly kind: "refusal"; readonly status: number; readonly error: AppError; readonly headers: Record<string, string> };

/**
 * What the HTTP adapter tells a stream about its client (issue 17): how long a client may take no
 * data before its connection is closed, and where a large export is spooled before it is sent.
 */
export interface StreamLimits {
  /** No byte taken by the client for this long: the connection is closed. */
  stallTimeoutMs: number;
  /** An export up to this size is kept in memory; a larger one goes to a file in `spoolDir`. */
  memoryBytes: number;
  spoolDir: string;
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

const REPLY = Symbol("reply");
type Branded = Reply & { readonly [REPLY]: true };

export function isReply(value: unknown): value is Reply {
  return typeof value === "object" && value !== null && (value as Partial<Branded>)[REPLY] === true;
}

interface FileOptions {
  contentType: string;
  filename?: string;
  headers?: Record<string, string>;
  status?: number;
}

export const reply = {
  /** A whole document in memory (a payment file, a printable page, the metrics text). */
  file(body: string | Buffer, o: FileOptions): Reply {
    return brand({ kind: "file", status: o.status ?? 200, contentType: o.contentType, filename: o.filename, body, headers: o.headers ?? {} });
  },
  /** A zh-CN page under its own Content-Security-Policy. */
  html(body: string, o: { csp: string; headers?: Record<string, string> }): Reply {
    return brand({ kind: "file", status: 200, contentType: "text/html; charset=utf-8", body, headers: { "Content-Security-Policy": o.csp, ...o.headers } });
  },
  /** A large export, written to `out` as it is produced; `write` must respect back-pressure. */
  stream(write: (out: Writable, limits: StreamLimits) => Promise<void>, o: FileOptions): Reply {
    return brand({ kind: "stream", status: o.status ?? 200, contentType: o.contentType, filename: o.filename, headers: o.headers ?? {}, write });
  },
  empty(status = 204, headers: Record<string, string> = {}): Reply {
    return brand({ kind: "empty", status, headers });
  },
  /**
   * A refusal whose work must still be kept: the runner commits the transaction (a failed sign-in
   * is counted and audited) and then answers the error.
   */
  refusal(error: AppError): Reply {
    return brand({ kind: "refusal", status: error.status, error, headers: {} });
  },
};

function brand(r: Reply): Reply {
  return Object.assign(r, { [REPLY]: true as const });
}
