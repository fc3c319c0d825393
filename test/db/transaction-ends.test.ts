import type { Knex } from "knex";
import { connectPostgres, type Database } from "../../db/connection";
import { together } from "../../db/prepared";
import { atCommit, inlineBindings, quoteLiteral, sqlLiteral, withTransaction } from "../../db/transaction";
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
    check: { columns: "1 / 0 AS boom", bindings: [], verify: () => undefined },
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
    { scope: { courtIds: "all" }, check: { columns: "? + 1 AS answer", bindings: [41], verify: (row) => void (seen = row) } },
  );
  expect(role).toBe("enforcement_app");
  expect(seen.answer).toBe(42);
});

(onRealPostgres ? test : test.skip)("on PostgreSQL the work's statements and the statements sent with COMMIT are separate round trips, the last one ending in COMMIT", async () => {
  const sent: string[] = [];
  const onWire: string[] = [];
  const listen = (q: { sql: string; sent?: string }) => {
    sent.push(q.sql);
    onWire.push(q.sent ?? q.sql);
  };
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
  // On the wire each statement is an EXECUTE of what the connection prepared, in the order given.
  const executed = onWire[2].split(";\n").filter((part) => !part.startsWith("PREPARE "));
  expect(executed).toEqual([expect.stringMatching(/^EXECUTE s_[0-9a-f]{24}\(7, 'x'\)$/), expect.stringMatching(/^EXECUTE s_[0-9a-f]{24}\('y', 7\)$/), "COMMIT"]);
  expect(await notes()).toEqual([[7, "y"]]);
  await db.knex("ends_probe").del();
});

test("values are written as literals of their own kind only, and a NUL is refused", () => {
  expect(["a'b", 3, true, null].map(sqlLiteral)).toEqual(["'a''b'", "3", "TRUE", "NULL"]);
  expect(inlineBindings("SELECT ?, ?", ["a'b", 3])).toBe("SELECT 'a''b', 3");
  expect(() => inlineBindings("SELECT ?", [])).toThrow(/more \?/);
  expect(() => inlineBindings("SELECT 1", ["x"])).toThrow(/more bindings/);
  expect(() => sqlLiteral(Number.NaN)).toThrow(/finite/);
  expect(() => sqlLiteral({})).toThrow(/literal/);
  expect(() => quoteLiteral("a\u0000b")).toThrow(/NUL/);
  expect(quoteLiteral("a\\b")).toBe(" E'a\\\\b'");
});

/** One connection of the test database's own, so that what it has prepared is known. */
async function withOneConnection(work: (one: Knex) => Promise<void>): Promise<void> {
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = `/${(await db.knex.raw<{ rows: { name: string }[] }>("SELECT current_database() AS name")).rows[0].name}`;
  const one = connectPostgres({ url: url.toString(), poolMax: 1 });
  try {
    await work(one.knex);
  } finally {
    await one.close();
  }
}

const prepares = (sent: string[]) => sent.flatMap((m) => m.split(";\n")).filter((part) => part.startsWith("PREPARE ")).length;

(onRealPostgres ? test : test.skip)("on PostgreSQL a connection prepares each statement of BEGIN's and COMMIT's messages once, and executes it after", async () => {
  await withOneConnection(async (one) => {
    const sent: string[] = [];
    one.on("query", (q: { sql: string; sent?: string }) => sent.push(q.sent ?? q.sql));
    for (let i = 1; i <= 3; i++) {
      await withTransaction(
        one,
        async (tx) => {
          await atCommit(tx, "INSERT INTO ends_probe (id, note) VALUES (?, ?)", [i, `note ${i}`]);
        },
        { scope: { courtIds: "all" }, first: { sql: "SELECT ?::int AS n", bindings: [i] } },
      );
    }
    // The scope statement, the first statement and the statement sent with COMMIT: three texts, prepared once.
    expect(prepares(sent)).toBe(3);
    expect(await notes()).toEqual([[1, "note 1"], [2, "note 2"], [3, "note 3"]]);
  });
  await db.knex("ends_probe").del();
});

(onRealPostgres ? test : test.skip)("after a message fails, its connection knows which of the message's statements it prepared", async () => {
  await withOneConnection(async (one) => {
    const boom = { columns: "1 / (? - 1) AS boom", bindings: [1], verify: () => undefined };
    const first = { sql: "SELECT ?::text AS never_prepared_before", bindings: ["x"] };
    // The scope statement is prepared and fails as it runs; the first statement's PREPARE never ran.
    for (let i = 0; i < 2; i++) await expect(withTransaction(one, async () => "never", { scope: { courtIds: [] }, check: boom, first })).rejects.toMatchObject({ code: "22012" });
    // Not "prepared statement does not exist" for the one, nor "already exists" for the other.
    const ok = { columns: "1 / ? AS fine", bindings: [1], verify: () => undefined };
    const rows = await withTransaction(one, async (_tx, firstRows) => firstRows, { scope: { courtIds: [] }, check: ok, first });
    expect(rows).toEqual([{ never_prepared_before: "x" }]);
    await withTransaction(one, async (tx) => atCommit(tx, "INSERT INTO ends_probe (id, note) VALUES (?, ?)", [1, "a"]));
    await expect(withTransaction(one, async (tx) => atCommit(tx, "INSERT INTO ends_probe (id, note) VALUES (?, ?)", [1, "a duplicate"]))).rejects.toMatchObject({ code: "23505" });
    await withTransaction(one, async (tx) => atCommit(tx, "INSERT INTO ends_probe (id, note) VALUES (?, ?)", [2, "b"]));
    expect(await notes()).toEqual([[1, "a"], [2, "b"]]);
  });
  await db.knex("ends_probe").del();
});

test("statements sent together answer in order, on PostgreSQL in one round trip once prepared, and a failing one fails the transaction", async () => {
  await db.knex("ends_probe").insert([{ id: 1, note: "one" }, { id: 2, note: "two" }]);
  const byId = (id: number) => ({ sql: "SELECT note FROM ends_probe WHERE id = ?", bindings: [id] });
  const sent: string[] = [];
  const listen = (q: { sql: string }) => sent.push(q.sql);
  db.knex.on("query", listen);
  let rows: Record<string, unknown>[][] = [];
  try {
    rows = await withTransaction(db.knex, (tx) => together(tx, [byId(2), byId(1), { sql: "SELECT count(*)::int AS n FROM ends_probe", bindings: [] }]));
  } finally {
    db.knex.off("query", listen);
  }
  expect(rows).toEqual([[{ note: "two" }], [{ note: "one" }], [{ n: 2 }]]);
  if (onRealPostgres) {
    // A connection new to a text prepares it first, in a message of its own; then one message runs them all.
    const [preparing, ...running] = sent.filter((m) => /FROM ends_probe/.test(m));
    expect(preparing.split(";\n").map((part) => part.slice(0, 8))).toEqual(["PREPARE ", "PREPARE "]);
    expect(running).toEqual(["SELECT note FROM ends_probe WHERE id = 2;\nSELECT note FROM ends_probe WHERE id = 1;\nSELECT count(*)::int AS n FROM ends_probe"]);
  }
  const failing = withTransaction(db.knex, async (tx) => {
    await tx("ends_probe").insert({ id: 3, note: "rolled back" });
    await together(tx, [byId(1), { sql: "SELECT 1 / ? AS boom", bindings: [0] }]);
  });
  await expect(failing).rejects.toMatchObject({ code: "22012" });
  expect(await notes()).toEqual([[1, "one"], [2, "two"]]);
  expect(await openTransactions()).toBe(0);
  // Every pooled connection still runs them (what each prepared is known).
  const again = await Promise.all(Array.from({ length: 25 }, () => withTransaction(db.knex, (tx) => together(tx, [byId(1), byId(2)]))));
  for (const r of again) expect(r).toEqual([[{ note: "one" }], [{ note: "two" }]]);
  await db.knex("ends_probe").del();
});
