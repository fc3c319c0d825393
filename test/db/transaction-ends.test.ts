import type { Knex } from "knex";
import type { Database } from "../../db/connection";
import { atCommit, inlineBindings, quoteLiteral, withTransaction } from "../../db/transaction";
import { freshDatabase, onRealPostgres } from "../helpers/test-db";

/**
 * On PostgreSQL a transaction's first statement travels with BEGIN and its `atCommit` statements
 * with COMMIT (issue 16): what the round trips saved must not change what is committed, what is
 * rolled back, or what a value says — and a failure must leave no transaction open on the pool.
 */
let db: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  await db.knex.raw("CREATE TABLE ends_probe (id int PRIMARY KEY, note text NOT NULL)");
});
afterAll(async () => {
  await drop();
});

const notes = async () => (await db.knex("ends_probe").orderBy("id")).map((r: { id: number; note: string }) => [r.id, r.note]);

const openTransactions = async () =>
  Number(
    (
      await db.knex.raw<{ rows: { n: string }[] }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
      )
    ).rows[0].n,
  );

test("a value with quotes, question marks, backslashes, $1 and any script is stored exactly as given", async () => {
  const tricky = [`it's a "test"?`, "C:\\path\\n\\'x", "$1 ?? ?| $$dollar$$", "执行款 💴 \u00e9\u0301", "; COMMIT; DROP TABLE ends_probe; --"];
  await withTransaction(db.knex, async (tx) => {
    for (const [i, note] of tricky.entries()) await atCommit(tx, "INSERT INTO ends_probe (id, note) VALUES (?, ?)", [i + 1, note]);
  });
  expect(await notes()).toEqual(tricky.map((note, i) => [i + 1, note]));
  await db.knex("ends_probe").del();
});

test("a lone surrogate is stored as a bound value would store it (the request layer refuses one first)", async () => {
  const lone = "a\ud800b";
  await withTransaction(db.knex, async (tx) => {
    await atCommit(tx, "INSERT INTO ends_probe (id, note) VALUES (?, ?)", [1, lone]);
    await tx.raw("INSERT INTO ends_probe (id, note) VALUES (?, ?)", [2, lone]);
  });
  const [[, inlined], [, bound]] = await notes();
  expect(inlined).toBe(bound);
  await db.knex("ends_probe").del();
});

test("a statement sent with COMMIT that fails rolls back the whole transaction, and the connection goes back clean", async () => {
  await db.knex("ends_probe").insert({ id: 1, note: "there before" });
  const failing = withTransaction(db.knex, async (tx) => {
    await tx("ends_probe").insert({ id: 2, note: "the work" });
    await atCommit(tx, "INSERT INTO ends_probe (id, note) VALUES (?, ?)", [1, "a duplicate"]);
  });
  await expect(failing).rejects.toMatchObject({ code: "23505" });
  expect(await notes()).toEqual([[1, "there before"]]);
  expect(await openTransactions()).toBe(0);
  // Every pooled connection still works (none was left in an aborted transaction).
  await Promise.all(Array.from({ length: 25 }, () => withTransaction(db.knex, (tx) => tx.raw("SELECT 1"))));
  await db.knex("ends_probe").del();
});

test("a scope statement that fails with its BEGIN leaves no transaction open", async () => {
  const failing = withTransaction(db.knex, async () => "never", {
    scope: { courtIds: [] },
    check: { columns: "1 / 0 AS boom", verify: () => undefined },
  });
  await expect(failing).rejects.toMatchObject({ code: "22012" });
  expect(await openTransactions()).toBe(0);
  await Promise.all(Array.from({ length: 25 }, () => withTransaction(db.knex, (tx) => tx.raw("SELECT 1"))));
});

test("the scope statement's answer reaches the check, and the work runs as the app's role", async () => {
  let seen: Record<string, unknown> = {};
  const role = await withTransaction(
    db.knex,
    async (tx: Knex.Transaction) => (await tx.raw<{ rows: { r: string }[] }>("SELECT current_user AS r")).rows[0].r,
    { scope: { courtIds: "all" }, check: { columns: "41 + 1 AS answer", verify: (row) => void (seen = row) } },
  );
  expect(role).toBe("enforcement_app");
  expect(seen.answer).toBe(42);
});

(onRealPostgres ? test : test.skip)("on PostgreSQL the work's statements and the statements sent with COMMIT are separate round trips, the last one ending in COMMIT", async () => {
  const sent: string[] = [];
  const listen = (q: { sql: string }) => sent.push(q.sql);
  db.knex.on("query", listen);
  try {
    await withTransaction(db.knex, async (tx) => {
      await tx.raw("SELECT 1");
      await atCommit(tx, "INSERT INTO ends_probe (id, note) VALUES (?, ?)", [7, "x"]);
      await atCommit(tx, "UPDATE ends_probe SET note = ? WHERE id = ?", ["y", 7]);
    });
  } finally {
    db.knex.off("query", listen);
  }
  expect(sent).toEqual(["BEGIN;", "SELECT 1", "INSERT INTO ends_probe (id, note) VALUES (7, 'x');\nUPDATE ends_probe SET note = 'y' WHERE id = 7;\nCOMMIT"]);
  expect(await notes()).toEqual([[7, "y"]]);
  await db.knex("ends_probe").del();
});

test("bindings are written as literals only when they match the statement, and a NUL is refused", () => {
  expect(inlineBindings("SELECT ?, ?, ?, ?", ["a'b", 3, true, null])).toBe("SELECT 'a''b', 3, TRUE, NULL");
  expect(() => inlineBindings("SELECT ?", [])).toThrow(/more \?/);
  expect(() => inlineBindings("SELECT 1", ["x"])).toThrow(/more bindings/);
  expect(() => inlineBindings("SELECT ?", [Number.NaN])).toThrow(/finite/);
  expect(() => inlineBindings("SELECT ?", [{}])).toThrow(/literal/);
  expect(() => quoteLiteral("a\u0000b")).toThrow(/NUL/);
  expect(quoteLiteral("a\\b")).toBe(" E'a\\\\b'");
});
