import pino, { type Logger } from "pino";

export type LogFormat = "json" | "pretty";

/**
 * JSON logs for machines (the default when output is not a terminal), one readable line per
 * event for a person at a terminal. The Authorization header and tokens never reach either.
 */
const SECRETS = ["token", "password", "currentPassword", "newPassword", "initialPassword"];

/** What a database error carries that may hold personal data: the bound values, the row, the query. */
const ERROR_FIELDS_DROPPED = ["params", "parameters", "bindings", "query", "queryOptions", "detail", "where", "internalQuery", "sql", "hint"];

/**
 * knex writes the failed statement with its bound values in front of the database's message
 * (`insert into "parties" … values ('4311…') - violates …`): keep only the database's part.
 */
function withoutStatement(message: string): string {
  const cut = message.lastIndexOf(" - ");
  return cut >= 0 && /^\s*(select|insert|update|delete|with|copy|alter|create|declare|fetch)\b/i.test(message) ? `[statement withheld] - ${message.slice(cut + 3)}` : message;
}

/** Errors as pino writes them, less anything that may hold a bound value, an id number or an account. */
export function safeError(err: unknown): Record<string, unknown> {
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  for (const k of ERROR_FIELDS_DROPPED) delete out[k];
  if (typeof out.message === "string") {
    const original = out.message;
    out.message = withoutStatement(original);
    if (typeof out.stack === "string") out.stack = out.stack.replace(original, out.message as string);
  }
  return out;
}

export function createLogger(level: string, format: LogFormat = "json", destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: {
      paths: ["req.headers.authorization", "headers.authorization", "req.headers.cookie", ...SECRETS, ...SECRETS.map((k) => `*.${k}`)],
      censor: "[redacted]",
    },
    serializers: { err: safeError },
    transport:
      format === "pretty" && !destination
        ? { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname", singleLine: true } }
        : undefined,
  };
  return destination ? pino(options, destination) : pino(options);
}

/** LOG_FORMAT wins; otherwise pretty on a terminal and JSON everywhere else. */
export function logFormatFor(explicit: string | undefined, isTty: boolean): LogFormat {
  if (explicit === "json" || explicit === "pretty") return explicit;
  return isTty ? "pretty" : "json";
}
