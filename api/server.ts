import type http from "node:http";
import { connect, type Database } from "../db/connection";
import { migrateLatest } from "../db/migrate";
import { seedDemo, type DemoSeedResult } from "../scripts/demo/demo";
import { createApp } from "./app";
import { createHttpServer } from "./http/http-server";
import { purgeOldRateLimitWindows } from "./public/db-rate-limiter";
import { purgeExpiredIdempotencyKeys } from "./runner/idempotency";
import { runSystemWrite } from "./runner/runner";
import { loadConfig } from "./config";
import { createLogger, logFormatFor } from "./logger";
import { hashPassword } from "./users/passwords";
import { bootstrapAdmin } from "./users/users-service";
import { refreshIdentityHashes } from "./cases/identity-hashes";

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, logFormatFor(config.logFormat, Boolean(process.stdout.isTTY)));
  const db: Database = await connect({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.dbPoolMax,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    idleInTransactionTimeoutMs: config.dbIdleInTransactionTimeoutMs,
  });
  logger.info({ database: db.kind, dataDir: db.kind === "pglite" ? config.dataDir : undefined }, "database connected");

  let freshDatabase = false;
  if (config.migrateOnStart) {
    const applied = await migrateLatest(db.knex);
    freshDatabase = applied.length > 0 && applied[0] === "20261126_0001_access";
    if (applied.length > 0) logger.info({ applied }, "migrations applied");
  }
  const hashed = await runSystemWrite({ knex: db.knex, config, log: logger }, "identity-hashes", refreshIdentityHashes);
  if (hashed > 0) logger.info({ parties: hashed }, "id number hashes made with the current IDENTITY_HASH_KEY");
  const { password: bootstrapPassword, username: bootstrapUsername } = config.bootstrapAdmin;
  if (config.bootstrapAdminToken || bootstrapPassword) {
    const passwordHash = bootstrapPassword ? await hashPassword(bootstrapPassword, config.passwordScryptCost) : undefined;
    const made = await runSystemWrite({ knex: db.knex, config, log: logger }, "bootstrap", (ctx) =>
      bootstrapAdmin(ctx, { token: config.bootstrapAdminToken, username: bootstrapUsername, passwordHash }),
    );
    if (made) logger.info({ username: passwordHash ? bootstrapUsername : undefined }, "bootstrap admin created");
  }
  let demo: DemoSeedResult | null = null;
  if (freshDatabase && db.kind === "pglite" && config.demoSeed && config.env !== "production") {
    demo = await seedDemo({ knex: db.knex, config, logger }, { log: (msg) => logger.info(msg) });
  }

  const app = createApp({ db, config, logger });
  const sweep = setInterval(() => {
    purgeExpiredIdempotencyKeys(db.knex)
      .then((n) => n > 0 && logger.info({ purged: n }, "expired idempotency keys removed"))
      .catch((err) => logger.warn({ err }, "could not purge expired idempotency keys"));
    purgeOldRateLimitWindows(db.knex).catch((err) => logger.warn({ err }, "could not purge old rate-limit windows"));
  }, 3_600_000);
  sweep.unref();
  const server = createHttpServer(app, config, logger);
  const inFlight = server.inFlight;
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  logger.info({ port }, "listening");
  printBanner(port, db.kind, demo);

  let stopping = false;
  const shutdown = async (signal: string) => {
    clearInterval(sweep);
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: no new connections, finishing requests in flight");
    // Whatever is in flight, the process is gone by the end of the grace period: a second before
    // it, the remaining connections are closed (a stalled download, a slow client); at the end, a
    // hard exit if closing the database or anything else still hangs.
    const grace = config.shutdownGraceMs;
    const forced = setTimeout(() => {
      logger.warn("grace period nearly over: closing the remaining connections");
      server.closeAllConnections();
    }, Math.max(0, grace - Math.min(1000, grace / 2)));
    forced.unref();
    const hard = setTimeout(() => {
      logger.error({ graceMs: grace }, "grace period over: exiting now");
      process.exit(1);
    }, grace);
    hard.unref();
    for (const res of inFlight) if (!res.headersSent) res.setHeader("Connection", "close");
    server.on("request", (_req: http.IncomingMessage, res: http.ServerResponse) => res.setHeader("Connection", "close"));
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

function printBanner(port: number, kind: string, demo: DemoSeedResult | null) {
  const base = `http://localhost:${port}`;
  const lines = [
    "",
    `Court enforcement funds tracker on ${base} (${kind === "pglite" ? "embedded PostgreSQL" : "PostgreSQL"})`,
    `  Workbench (工作台): ${base}/`,
    `  API reference:  ${base}/docs`,
    `  Health:         ${base}/readyz`,
  ];
  if (demo) {
    lines.push("", `Demo data seeded. Sign in at ${base}/ as (shown once, keep them):`);
    for (const u of demo.users) lines.push(`  ${u.role.padEnd(13)} ${u.name.padEnd(24)} username ${u.username.padEnd(10)} password ${u.password}`);
    lines.push("", "API tokens for curl and other systems (valid for a year):");
    for (const u of demo.users) lines.push(`  ${u.role.padEnd(13)} ${u.token}`);
    for (const hint of demo.hints) lines.push(`  ${hint}`);
    const inspector = demo.users.find((u) => u.role === "inspector") ?? demo.users[0];
    lines.push("", `Try the inspection report (284 cases, 10.73M yuan disbursed):`, `  curl -H "Authorization: Bearer ${inspector.token}" "${base}${demo.reportPath}"`);
  }
  lines.push("");
  process.stdout.write(lines.join("\n") + "\n");
}

main().catch((err) => {
  process.stderr.write(`Start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
