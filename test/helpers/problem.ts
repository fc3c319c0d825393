import type { Response } from "supertest";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { loadOpenApiDocument } from "../../api/http/openapi-document";

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...loadOpenApiDocument(), $id: "openapi" });

/**
 * Every error answer is RFC 9457 problem details: `application/problem+json` with type, title,
 * status, detail and a stable code, matching the Problem schema of the contract, and never a
 * stack trace or SQL text.
 */
export function expectProblem(res: Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      code,
    }),
  );
  const validate = ajv.getSchema("openapi#/components/schemas/Problem");
  if (!validate) throw new Error("the contract has no Problem schema");
  const valid = validate(res.body);
  expect(valid ? [] : validate.errors).toEqual([]);
  expectNoInternals(res.text);
}

/** Text that only a stack trace or a database error would contain. */
export function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/\bat [\w.<>]+ \(|\.ts:\d+|\.js:\d+|node_modules/);
  expect(text).not.toMatch(/\bselect\b[\s\S]{0,300}\bfrom\b|\binsert into\b|\bupdate "?\w+"? set\b|\bdelete from\b/i);
  expect(text).not.toMatch(/relation "|syntax error at|SQLSTATE|knex|pglite/i);
}
