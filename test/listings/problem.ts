import type { Response } from "supertest";

/** An RFC 9457 problem with this status and stable code, and nothing internal in it. */
export function expectProblem(res: Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String), code }));
  expect(res.text).not.toMatch(/\.ts:\d+|node_modules|SQLSTATE|relation "/);
}
