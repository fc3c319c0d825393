import type { Database } from "../../db/connection";
import { together } from "../../db/prepared";
import { withTransaction } from "../../db/transaction";
import { freshDatabase, onRealPostgres } from "../helpers/test-db";

/** Hot statements planned once per connection (issue 16): same answers, and on PostgreSQL statements the connection prepared. */
let db: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
});
afterAll(async () => {
  await drop();
});

const SQL = "SELECT ?::int + ?::int AS sum, ?::text AS note";

test("a statement sent together answers as the plain one does, run after run, with different values", async () => {
  await withTransaction(db.knex, async (tx) => {
    for (const [a, b, note] of [[1, 2, "one?"], [40, 2, "it's"], [-5, 5, "$1"]] as const) {
      const [rows] = await together(tx, [{ sql: SQL, bindings: [a, b, note] }]);
      expect(rows).toEqual([{ sum: a + b, note }]);
    }
  });
});

(onRealPostgres ? test : test.skip)("on PostgreSQL each text is a statement the connection prepared, one name per text", async () => {
  const statements = await withTransaction(db.knex, async (tx) => {
    await together(tx, [{ sql: SQL, bindings: [1, 1, "x"] }, { sql: `${SQL} `, bindings: [1, 1, "x"] }]);
    const { rows } = await tx.raw<{ rows: { name: string; statement: string }[] }>("SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE '%AS note%'");
    return rows;
  });
  expect(statements).toHaveLength(2);
  expect(new Set(statements.map((s) => s.name)).size).toBe(2);
  for (const s of statements) expect(s.name).toMatch(/^s_[0-9a-f]{24}$/);
});
