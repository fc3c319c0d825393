import request from "supertest";
import type { Knex } from "knex";
import { courtTables } from "../../db/migrations/20261201_0690_row_level_security";
import { APP_ROLE, enterScope } from "../../db/transaction";
import { courtWithStaff, createCase, receive, type Staff } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { onRealPostgres } from "../helpers/test-db";

/**
 * Row-level security by court (issue 16, docs/adr/0005-row-level-security.md): the second fence
 * behind the application's own court checks. Requests run as `enforcement_app`, which is neither
 * a superuser nor the tables' owner, so the policies bind it; the tests connect as `postgres`,
 * so every probe below switches to that role exactly as a request does.
 */
let t: TestApp;
let a: Staff;
let b: Staff;
let caseOfA: string;
let caseOfB: string;

beforeAll(async () => {
  t = await startTestApp();
  [a, b] = await Promise.all([courtWithStaff(t, "RLSA"), courtWithStaff(t, "RLSB")]);
  caseOfA = (await createCase(t, a.clerk, a.court.id)).id;
  caseOfB = (await createCase(t, b.clerk, b.court.id)).id;
  await receive(t, a.clerk, caseOfA, "100.00");
  await receive(t, b.clerk, caseOfB, "200.00");
});
afterAll(async () => {
  await t.close();
});

/** A transaction as the app's role with these courts (or none at all), as a request runs. */
async function asApp<T>(courtIds: string[] | null, work: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
  return t.db.knex.transaction(async (tx) => {
    if (courtIds === null) await tx.raw("SELECT set_config('role', ?, true)", [APP_ROLE]);
    else await enterScope(tx, { courtIds });
    return work(tx);
  });
}

const count = async (tx: Knex.Transaction, table: string) => Number((await tx(table).count<{ n: string }[]>({ n: "*" }))[0].n);

describe("the fence itself", () => {
  test("every table that holds a court_id has row-level security and the court policy, but the membership table", async () => {
    const tables = await courtTables(t.db.knex);
    const { rows } = await t.db.knex.raw<{ rows: { relname: string; relrowsecurity: boolean; policies: string[] }[] }>(`
      SELECT c.relname, c.relrowsecurity, coalesce(array_agg(p.policyname) FILTER (WHERE p.policyname IS NOT NULL), '{}') AS policies
        FROM pg_class c LEFT JOIN pg_policies p ON p.tablename = c.relname AND p.schemaname = 'public'
       WHERE c.relname = ANY (?) AND c.relnamespace = 'public'::regnamespace
       GROUP BY c.relname, c.relrowsecurity ORDER BY c.relname`, [tables]);
    expect(tables.length).toBeGreaterThan(30);
    const unfenced = rows.filter((r) => !r.relrowsecurity || !r.policies.includes("court_scope")).map((r) => r.relname);
    // user_courts is what the scope is made of: it is read while the token is checked.
    expect(unfenced).toEqual(["user_courts"]);
  });

  test("the app's role is no superuser, does not own the tables and cannot bypass row-level security", async () => {
    const [role] = (await t.db.knex.raw(`SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = ?`, [APP_ROLE])).rows;
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: false });
    const owned = (await t.db.knex.raw(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = ?`, [APP_ROLE])).rows[0].n;
    expect(owned).toBe(0);
  });

  test("as the app's role, a query without courts sees nothing, although the rows are there", async () => {
    expect(await t.db.knex.transaction((tx) => count(tx, "cases"))).toBeGreaterThanOrEqual(2); // the owner sees them
    await asApp(null, async (tx) => {
      expect((await tx.raw("SELECT current_user AS u")).rows[0].u).toBe(APP_ROLE);
      for (const table of ["cases", "receipts", "journal_entries", "journal_lines", "case_balances", "parties"]) {
        expect({ table, rows: await count(tx, table) }).toEqual({ table, rows: 0 });
      }
    });
  });

  test("with one court it sees that court's rows only, and cannot write a row of another court", async () => {
    await asApp([a.court.id], async (tx) => {
      const ids = (await tx("cases").select("id", "court_id")).map((r: { court_id: string }) => r.court_id);
      expect(new Set(ids)).toEqual(new Set([a.court.id]));
      expect(await tx("receipts").where({ case_id: caseOfB }).first()).toBeUndefined();
      expect(await tx("receipts").where({ case_id: caseOfA }).first()).toBeDefined();
    });
    // Moving a case of one's own court to another court is refused by the policy's check.
    await expect(asApp([a.court.id], (tx) => tx("cases").where({ id: caseOfA }).update({ court_id: b.court.id }))).rejects.toThrow(/row-level security/);
    // And a row of the other court cannot even be found to change.
    expect(await asApp([a.court.id], (tx) => tx("cases").where({ id: caseOfB }).update({ case_number: "(2024)改001号" }))).toBe(0);
    expect((await t.db.knex("cases").where({ id: caseOfB }).first("court_id")).court_id).toBe(b.court.id);
  });

  test("the role and the courts last for the transaction only: the pooled connection is the owner's again afterwards", async () => {
    await asApp([a.court.id], async () => undefined);
    const rows = await Promise.all(Array.from({ length: 8 }, () => t.db.knex.raw("SELECT current_user AS u, current_setting('app.court_ids', true) AS c")));
    for (const r of rows) {
      expect(r.rows[0].u).toBe("postgres");
      expect(["", null]).toContain(r.rows[0].c);
    }
  });
});

describe("requests run inside the fence", () => {
  test("a signed-in user's read and write each begin by switching to the app's role with the user's courts", async () => {
    const seen: string[] = [];
    // Values written in (PostgreSQL: the statement travels with BEGIN), or bound (PGlite).
    const listen = (q: { sql: string; bindings?: unknown[] }) => {
      const scope = /set_config\('role', '([a-z_]+)'::text, true\), set_config\('app\.court_ids', '([^']*)'::text, true\)/.exec(q.sql);
      if (scope) seen.push(JSON.stringify([scope[1], scope[2]]));
      else if (/set_config\('role', \$1::text, true\), set_config\('app\.court_ids', \$2::text, true\)/.test(q.sql)) seen.push(JSON.stringify(q.bindings?.slice(0, 2)));
    };
    t.db.knex.on("query", listen);
    try {
      await request(t.app).get(`/v1/cases/${caseOfA}`).set(a.clerk.auth).expect(200);
      await receive(t, a.clerk, caseOfA, "1.00");
    } finally {
      t.db.knex.off("query", listen);
    }
    expect(seen).toEqual([JSON.stringify([APP_ROLE, `{${a.court.id}}`]), JSON.stringify([APP_ROLE, `{${a.court.id}}`])]);
  });

  test("an admin's fence is every court: a court made in the request and its settings are written", async () => {
    const res = await request(t.app).post("/v1/courts").set(t.admin.auth).send({ code: `RLSNEW${Date.now() % 100000}`, name: "新设法院" }).expect(201);
    await request(t.app).patch(`/v1/courts/${res.body.id}`).set(t.admin.auth).send({ unidentifiedClaimWorkingDays: 5 }).expect(200);
  });

  (onRealPostgres ? test : test.skip)("many users of two courts at once on the same pool: each request sees its own court's rows only", async () => {
    const reads = Array.from({ length: 60 }, (_, i) => {
      const [who, mine, theirs] = i % 2 === 0 ? [a, caseOfA, caseOfB] : [b, caseOfB, caseOfA];
      return Promise.all([
        request(t.app).get("/v1/cases").query({ courtId: who.court.id, limit: 100 }).set(who.clerk.auth),
        request(t.app).get(`/v1/cases/${theirs}`).set(who.clerk.auth),
        i % 5 === 0 ? receive(t, who.clerk, mine, "0.01") : Promise.resolve(null),
      ]).then(([list, foreign]) => ({ court: who.court.id, list, foreign }));
    });
    for (const { court, list, foreign } of await Promise.all(reads)) {
      expect(list.status).toBe(200);
      expect(list.body.data.length).toBeGreaterThan(0);
      expect(list.body.data.every((c: { courtId: string }) => c.courtId === court)).toBe(true);
      expect(foreign.status).toBe(404);
    }
  });
});
