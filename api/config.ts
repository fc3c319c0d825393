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
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10000),
});

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
  shutdownGraceMs: number;
  /**
   * Rows read per step where a filter is applied in code (a listing's deadline) or an export reads
   * in batches. Not an environment setting: tests make them small to cross step boundaries.
   */
  scanRows: { listings: number; debtorList: number };
};

const truthy = (v: string) => v === "1" || v === "true";

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const e = parsed.data;
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
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    scanRows: { listings: 200, debtorList: 500 },
  };
}
