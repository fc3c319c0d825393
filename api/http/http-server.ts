import http from "node:http";
import type { Duplex } from "node:stream";
import type { RequestListener } from "node:http";
import type { Logger } from "pino";
import type { Config } from "../config";
import { AppError, problemType, validationFailed } from "../core/errors";

/**
 * The HTTP server around the app (issue 17): bounded time for a request's headers and for the
 * whole request, slow-header connections checked every second rather than every 30 s, and Node's
 * own refusals (malformed request, headers too large, request too slow) answered as problem
 * details like every other refusal.
 */
export function createHttpServer(app: RequestListener, config: Pick<Config, "http">, logger: Logger): TrackedServer {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = config.http;
  const server = http.createServer(
    {
      // Node refuses a headersTimeout longer than the requestTimeout.
      headersTimeout: Math.min(headersTimeoutMs, requestTimeoutMs),
      requestTimeout: requestTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, headersTimeoutMs),
    },
    app,
  ) as TrackedServer;
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => answerClientError(err, socket, logger));

  // Responses still being written, so that shutdown can ask their connections to close when done
  // instead of idling until the keep-alive timeout.
  server.inFlight = new Set<http.ServerResponse>();
  server.on("request", (_req: http.IncomingMessage, res: http.ServerResponse) => {
    server.inFlight.add(res);
    res.on("close", () => server.inFlight.delete(res));
  });
  return server;
}

export interface TrackedServer extends http.Server {
  inFlight: Set<http.ServerResponse>;
}

/** What Node's parser and timers report, as the contract's codes. */
function codeFor(err: NodeJS.ErrnoException): "headers_too_large" | "request_timeout" | "validation_failed" {
  if (err.code === "HPE_HEADER_OVERFLOW") return "headers_too_large";
  if (err.code === "ERR_HTTP_REQUEST_TIMEOUT") return "request_timeout";
  return "validation_failed";
}

function answerClientError(err: NodeJS.ErrnoException, socket: Duplex, logger: Logger): void {
  // A reset connection, one already answering a request, or one that cannot be written: just close it.
  const busy = (socket as Duplex & { _httpMessage?: unknown })._httpMessage;
  if (err.code === "ECONNRESET" || !socket.writable || busy) {
    socket.destroy();
    return;
  }
  const code = codeFor(err);
  const problem =
    code === "validation_failed"
      ? validationFailed([{ path: "", message: "malformed HTTP request" }], "The request is not valid HTTP")
      : new AppError(code, code === "headers_too_large" ? "The request headers exceed the server's limit" : "The request did not arrive in time; the connection is closed");
  const status = problem.status;
  const body = JSON.stringify({ type: problemType(code), title: problem.title, status, detail: problem.detail, code, ...problem.extra });
  logger.info({ code, reason: err.code }, "connection refused by the HTTP parser");
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Error"}\r\n` +
      "Content-Type: application/problem+json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Cache-Control: no-store\r\n" +
      "X-Content-Type-Options: nosniff\r\n" +
      "Connection: close\r\n\r\n" +
      body,
  );
}
