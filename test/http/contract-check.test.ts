import express from "express";
import pino from "pino";
import request from "supertest";
import { contractCheck } from "../../api/http/contract-check";
import { listOperations, loadOpenApiDocument } from "../../api/http/openapi-document";

/**
 * The suite relies on every JSON response being checked against the contract; this proves the
 * check bites: a response that leaves its documented shape becomes a 500 naming the operation.
 */
function appAnswering(operationId: string, status: number, body: unknown) {
  const doc = loadOpenApiDocument();
  const op = listOperations(doc).find((o) => o.operationId === operationId);
  if (!op) throw new Error(`no operation ${operationId}`);
  const app = express();
  app.use((req, _res, next) => {
    req.log = pino({ level: "silent" });
    req.operation = op;
    next();
  });
  app.use(contractCheck(doc));
  app.get("/probe", (_req, res) => {
    res.status(status).json(body);
  });
  return app;
}

describe("responses are checked against the contract in tests", () => {
  test("a documented shape passes untouched", async () => {
    const res = await request(appAnswering("getHealth", 200, { status: "ok" })).get("/probe");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  test.each([
    ["a field the contract does not have", "getHealth", { status: "ok", debug: true }],
    ["a wrong enum value", "getHealth", { status: "fine" }],
    ["money as a JS number", "getReconciliation", { courtId: "7f1c1a36-4a09-4a43-9f59-0e9a4c5e9f00", bankBalance: 1.5, caseBalancesTotal: "1.50", difference: "0.00", cases: 1, asOf: "2026-01-01T00:00:00.000Z" }],
    ["a missing required field", "getReconciliation", { courtId: "7f1c1a36-4a09-4a43-9f59-0e9a4c5e9f00", bankBalance: "1.50", difference: "0.00", cases: 1, asOf: "2026-01-01T00:00:00.000Z" }],
  ])("%s becomes a 500 naming the operation", async (_what, operationId, body) => {
    const res = await request(appAnswering(operationId, 200, body)).get("/probe");
    expect(res.status).toBe(500);
    expect(res.body.contractViolation).toBe(operationId);
  });

  test("a status the operation does not document is a violation too", async () => {
    const res = await request(appAnswering("getHealth", 202, { status: "ok" })).get("/probe");
    expect(res.status).toBe(500);
    expect(res.body.contractViolation).toContain("202");
  });
});
