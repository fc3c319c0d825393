import type { Express } from "express";
import request from "supertest";
import type { Database } from "../../db/connection";
import { createApp } from "../../api/app";
import { loadConfig, type Config } from "../../api/config";
import { createLogger } from "../../api/logger";
import { createUser } from "../../api/users/users-service";
import type { Role } from "../../api/core/actor";
import { inProcessOperations } from "../../api/operations";
import { inProcessCaller, type InProcessCaller } from "../../api/runner/in-process";
import { runSystemWrite } from "../../api/runner/runner";
import { withTransaction } from "../../db/transaction";
import { freshDatabase } from "./test-db";

export interface TestUser {
  id: string;
  name: string;
  token: string;
  auth: { Authorization: string };
}

export interface TestApp {
  app: Express;
  db: Database;
  admin: TestUser;
  /** A new court, made through the API. */
  court(codePrefix?: string): Promise<{ id: string; code: string; name: string }>;
  /** A new user, made through the API. */
  user(roles: Role[], courtIds: string[], name?: string): Promise<TestUser>;
  /**
   * Calls operations in process through the runner, all in one transaction (each call a
   * savepoint): a fast way to set up many records that still obeys every rule.
   */
  inOneTransaction<T>(work: (call: InProcessCaller) => Promise<T>): Promise<T>;
  /** Another app on the same database, with some settings changed (e.g. tiny scan steps). */
  appWith(overrides: Partial<Config>): Express;
  close(): Promise<void>;
}

let counter = 0;
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

/**
 * The real app on a fresh database of its own, with one admin. `beforeApp` runs on the database
 * first (a test of a data migration puts older data there).
 */
export async function startTestApp(opts: { beforeApp?: (db: Database) => Promise<void> } = {}): Promise<TestApp> {
  const { db, drop } = await freshDatabase();
  if (opts.beforeApp) await opts.beforeApp(db);
  const config = { ...loadConfig({ NODE_ENV: "test" }), env: "test" as const };
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  const app = createApp({ db, config, logger, checkResponses: true });
  const created = await runSystemWrite({ knex: db.knex, config, log: logger }, "test-setup", (ctx) =>
    createUser(ctx, { name: "Test admin", roles: ["admin"], courtIds: [] }),
  );
  const admin = asTestUser(created);
  return {
    app,
    db,
    admin,
    async court(codePrefix = "C") {
      const res = await request(app)
        .post("/v1/courts")
        .set(admin.auth)
        .send({ code: unique(codePrefix).slice(0, 32), name: `Court ${codePrefix}` });
      if (res.status !== 201) throw new Error(`court creation failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async user(roles, courtIds, name = unique("user ")) {
      const res = await request(app).post("/v1/users").set(admin.auth).send({ name, roles, courtIds });
      if (res.status !== 201) throw new Error(`user creation failed: ${res.status} ${JSON.stringify(res.body)}`);
      return asTestUser(res.body);
    },
    inOneTransaction: (work) =>
      withTransaction(db.knex, (tx) => work(inProcessCaller({ knex: tx, config, log: logger, operations: inProcessOperations(), requestId: "test-setup" }))),
    appWith: (overrides) => createApp({ db, config: { ...config, ...overrides }, logger, checkResponses: true }),
    close: drop,
  };
}

function asTestUser(u: { id: string; name: string; token?: string }): TestUser {
  if (!u.token) throw new Error("a v1-form user (no username) comes with a token");
  return { id: u.id, name: u.name, token: u.token, auth: { Authorization: `Bearer ${u.token}` } };
}
