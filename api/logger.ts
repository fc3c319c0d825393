import pino, { type Logger } from "pino";

export type LogFormat = "json" | "pretty";

/**
 * JSON logs for machines (the default when output is not a terminal), one readable line per
 * event for a person at a terminal. The Authorization header and tokens never reach either.
 */
const SECRETS = ["token", "password", "currentPassword", "newPassword", "initialPassword"];

export function createLogger(level: string, format: LogFormat = "json", destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: {
      paths: ["req.headers.authorization", "headers.authorization", "req.headers.cookie", ...SECRETS, ...SECRETS.map((k) => `*.${k}`)],
      censor: "[redacted]",
    },
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
