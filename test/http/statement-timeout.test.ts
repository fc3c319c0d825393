import express from "express";
import request from "supertest";
import { errorHandler } from "../../api/http/error-handler";
import { freshDatabase, onRealPostgres } from "../helpers/test-db";
import { expectProblem } from "../helpers/problem";

/**
 * A statement PostgreSQL cancels at DB_STATEMENT_TIMEOUT_MS (a report over years of a very large
 * court) answers 503 service_unavailable, never a 500 and never the SQL.
 */
describe("a statement that runs past the database's time limit", () => {
  (onRealPostgres ? test : test.skip)("is a 503 asking for a shorter period, on the real server's own cancellation", async () => {
    const { db, drop } = await freshDatabase();
    try {
      const app = express();
      app.get("/slow-report", async (_req, _res, next) => {
        try {
          await db.knex.transaction(async (tx) => {
            await tx.raw("SET LOCAL statement_timeout = '20ms'");
            await tx.raw("SELECT pg_sleep(2)");
          });
        } catch (err) {
          next(err);
        }
      });
      app.use(errorHandler);
      const res = await request(app).get("/slow-report");
      expectProblem(res, 503, "service_unavailable");
      expect(res.body.detail).toMatch(/shorter period/);
      expect(res.text).not.toMatch(/pg_sleep|statement timeout|canceling/i);
    } finally {
      await drop();
    }
  });
});
