import type { Database } from "../../db/connection";
import { prepared, preparedName } from "../../db/prepared";
import { withTransaction } from "../../db/transaction";
import { freshDatabase, onRealPostgres } from "../helpers/test-db";

/** A hot statement planned once per connection (issue 16): same answers, and on PostgreSQL a named statement. */
let db: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
});
afterAll(async () => {
  await drop();
});

const SQL = "SELECT ?::int + ?::int AS sum, ?::text AS note";

test("a prepared statement answers as the plain one does, run after run, with different values", async () => {
  await withTransaction(db.knex, async (tx) => {
    for (const [a, b, note] of [[1, 2, "one?"], [40, 2, "it's"], [-5, 5, "$1"]] as const) {
      const { rows } = await prepared<{ rows: { sum: number; note: string }[] }>(tx, SQL, [a, b, note]);
      expect(rows).toEqual([{ sum: a + b, note }]);
    }
  });
});

(onRealPostgres ? test : test.skip)("on PostgreSQL it is a named statement of the connection, named by its text", async () => {
  const names = await withTransaction(db.knex, async (tx) => {
    await prepared(tx, SQL, [1, 1, "x"]);
    const { rows } = await tx.raw<{ rows: { name: string }[] }>("SELECT name FROM pg_prepared_statements");
    return rows.map((r) => r.name);
  });
  expect(names).toContain(preparedName(SQL));
  expect(preparedName(SQL)).not.toBe(preparedName(`${SQL} `));
});
