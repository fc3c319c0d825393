import pino, { type Logger } from "pino";

/** JSON logs; the Authorization header and tokens never reach them. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ["req.headers.authorization", "headers.authorization", "token", "*.token", "req.headers.cookie"],
      censor: "[redacted]",
    },
  });
}
