import { EFFECTIVE_STATUS_SQL } from "../../api/listings/listing-sql";
import { effectiveStatus } from "../../api/listings/listing-rules";
import { LISTING_STATUSES } from "../../api/listings/listings.schemas";
import { freshDatabase } from "../helpers/test-db";
import type { Database } from "../../db/connection";

/** The effective status is computed in code (answers) and in SQL (filters): the two must agree. */
let db: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
});
afterAll(async () => {
  await drop();
});

test("a listing's effective status is the same in code and in SQL, for every stored status and term", async () => {
  const today = "2025-06-15";
  for (const status of LISTING_STATUSES) {
    for (const expiresOn of [null, "2025-06-14", "2025-06-15", "2025-06-16"]) {
      const { rows } = await db.knex.raw<{ rows: { s: string }[] }>(`SELECT ${EFFECTIVE_STATUS_SQL} AS s FROM (SELECT ?::text AS status, ?::date AS expires_on) l`, [
        today,
        status,
        expiresOn,
      ]);
      expect({ status, expiresOn, sql: rows[0].s }).toEqual({ status, expiresOn, sql: effectiveStatus(status, expiresOn, today) });
    }
  }
});
