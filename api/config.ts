import os from "node:os";
import { z } from "zod";

/** Every setting the service reads, from the environment, validated once at start-up. */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default("./.data"),
  MIGRATE_ON_START: z.enum(["0", "1", "true", "false"]).default("1"),
  DEMO_SEED: z.enum(["0", "1", "true", "false"]).default("1"),
  BOOTSTRAP_ADMIN_TOKEN: z.string().min(32, "BOOTSTRAP_ADMIN_TOKEN must be at least 32 characters").optional(),
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(30000),
  PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  TRUST_PROXY: z
    .string()
    .regex(/^(false|true|loopback|[0-9]{1,2}|[0-9a-fA-F.:/, ]+)$/, "TRUST_PROXY: false, true, loopback, a number of proxy hops, or addresses/CIDRs separated by commas")
    .default("false"),
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10000),
  // Issue 17: slow and stalled clients, and a second net under the database sessions.
  EXPORT_STALL_TIMEOUT_MS: z.coerce.number().int().min(100).default(30000),
  EXPORT_SPOOL_DIR: z.string().min(1).optional(),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(60000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).default(60000),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(168).default(12),
  PASSWORD_SCRYPT_COST: z.coerce.number().int().min(14).max(20).optional(),
  BOOTSTRAP_ADMIN_USERNAME: z.string().regex(/^[a-z0-9._-]{3,32}$/, "BOOTSTRAP_ADMIN_USERNAME: 3 to 32 of a-z 0-9 . _ -").default("admin"),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().min(10, "BOOTSTRAP_ADMIN_PASSWORD must be at least 10 characters").max(1024).optional(),
  IDENTITY_HASH_KEY: z.string().min(32, "IDENTITY_HASH_KEY must be at least 32 characters").optional(),
});

/** The keyed hash's key outside production only: a fixed, public value, so never a secret. */
const DEV_IDENTITY_HASH_KEY = "development-only identity hash key, not a secret";

export type Config = {
  env: "development" | "production" | "test";
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  migrateOnStart: boolean;
  demoSeed: boolean;
  bootstrapAdminToken: string | undefined;
  logLevel: string;
  /** json or pretty; unset means pretty on a terminal, JSON otherwise. */
  logFormat: "json" | "pretty" | undefined;
  dbPoolMax: number;
  dbStatementTimeoutMs: number;
  publicRateLimitPerMinute: number;
  /** Express's `trust proxy`: false, true, "loopback", a hop count, or a list of addresses. */
  trustProxy: boolean | number | string;
  /** With a token, /metrics needs `Authorization: Bearer <token>`; without, it answers only this host (loopback). */
  metricsToken: string | undefined;
  shutdownGraceMs: number;
  /** Streamed exports: spooled (memory up to memoryBytes, then a file in spoolDir), sent, cut off after a stall. */
  exports: { stallTimeoutMs: number; memoryBytes: number; spoolDir: string };
  /** Node's HTTP server: time for a request's headers, for the whole request, and an idle keep-alive. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number; keepAliveTimeoutMs: number };
  /** PostgreSQL ends a session left idle inside a transaction for this long (not PGlite). */
  dbIdleInTransactionTimeoutMs: number;
  /**
   * Rows read per step where a filter is applied in code (a listing's deadline) or an export reads
   * in batches. Not an environment setting: tests make them small to cross step boundaries.
   */
  scanRows: { listings: number; debtorList: number };
  /**
   * Findings the rectification ledger reads per step (JSON, page, CSV, XLSX alike; its figures are
   * counted by the database). Not an environment setting: tests make it small to cross pages.
   */
  ledgerPageRows: number;
  session: { idleMinutes: number; maxHours: number };
  /** log2 of scrypt's N for new password hashes (r = 8, p = 1); stored with each hash. */
  passwordScryptCost: number;
  bootstrapAdmin: { username: string; password: string | undefined };
  /** HMAC-SHA-256 key for id and account numbers (api/core/keyed-hash.ts); required in production. */
  identityHashKey: string;
};

const truthy = (v: string) => v === "1" || v === "true";

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === "production" && e.IDENTITY_HASH_KEY === undefined) {
    throw new Error("Invalid configuration:\n  IDENTITY_HASH_KEY: required when NODE_ENV=production (at least 32 characters)");
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    migrateOnStart: truthy(e.MIGRATE_ON_START),
    demoSeed: truthy(e.DEMO_SEED),
    bootstrapAdminToken: e.BOOTSTRAP_ADMIN_TOKEN,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    dbPoolMax: e.DB_POOL_MAX,
    dbStatementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    publicRateLimitPerMinute: e.PUBLIC_RATE_LIMIT_PER_MINUTE,
    trustProxy: e.TRUST_PROXY === "false" ? false : e.TRUST_PROXY === "true" ? true : /^[0-9]{1,2}$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
    metricsToken: e.METRICS_TOKEN,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    exports: { stallTimeoutMs: e.EXPORT_STALL_TIMEOUT_MS, memoryBytes: 1024 * 1024, spoolDir: e.EXPORT_SPOOL_DIR ?? os.tmpdir() },
    http: { headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS, keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS },
    dbIdleInTransactionTimeoutMs: e.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    scanRows: { listings: 200, debtorList: 500 },
    ledgerPageRows: 2000,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, maxHours: e.SESSION_MAX_HOURS },
    // OWASP's minimum for scrypt (N = 2^17, r = 8, p = 1): ~0.4 s here. Tests hash at 2^14 to stay fast.
    passwordScryptCost: e.PASSWORD_SCRYPT_COST ?? (e.NODE_ENV === "test" ? 14 : 17),
    bootstrapAdmin: { username: e.BOOTSTRAP_ADMIN_USERNAME, password: e.BOOTSTRAP_ADMIN_PASSWORD },
    identityHashKey: e.IDENTITY_HASH_KEY ?? DEV_IDENTITY_HASH_KEY,
  };
}
