import pino, { type Logger } from "pino";

export type LogFormat = "json" | "pretty";

/**
 * JSON logs for machines (the default when output is not a terminal), one readable line per
 * event for a person at a terminal. The Authorization header and tokens never reach either.
 */
export function createLogger(level: string, format: LogFormat = "json"): Logger {
  return pino({
    level,
    redact: {
      paths: ["req.headers.authorization", "headers.authorization", "token", "*.token", "req.headers.cookie"],
      censor: "[redacted]",
    },
    transport:
      format === "pretty"
        ? { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname", singleLine: true } }
        : undefined,
  });
}

/** LOG_FORMAT wins; otherwise pretty on a terminal and JSON everywhere else. */
export function logFormatFor(explicit: string | undefined, isTty: boolean): LogFormat {
  if (explicit === "json" || explicit === "pretty") return explicit;
  return isTty ? "pretty" : "json";
}
