import type { Knex } from "knex";

export interface CalendarYearRow {
  year: number;
  holidays: string[];
  workdays: string[];
  source: "official" | "admin";
  notice: string | null;
  updated_at: Date;
  updated_by: string | null;
}

/** Date arrays travel as text[]: both drivers hand text arrays back as arrays of strings. */
const COLUMNS = ["year", "holidays::text[] AS holidays", "workdays::text[] AS workdays", "source", "notice", "updated_at", "updated_by"];

/** A PostgreSQL array literal of dates; the values are validated YYYY-MM-DD strings. */
const dateArray = (dates: readonly string[]) => `{${dates.join(",")}}`;

export const calendarStore = {
  async all(knex: Knex): Promise<CalendarYearRow[]> {
    return knex("calendar_years").select<CalendarYearRow[]>(COLUMNS.map((c) => knex.raw(c))).orderBy("year");
  },

  async find(knex: Knex, year: number): Promise<CalendarYearRow | undefined> {
    return knex("calendar_years")
      .where({ year })
      .first<CalendarYearRow | undefined>(COLUMNS.map((c) => knex.raw(c)));
  },

  async replace(tx: Knex.Transaction, row: { year: number; holidays: string[]; workdays: string[]; updatedBy: string }): Promise<CalendarYearRow> {
    const result = await tx.raw<{ rows: CalendarYearRow[] }>(
      `INSERT INTO calendar_years (year, holidays, workdays, source, notice, updated_at, updated_by)
       VALUES (?, ?::date[], ?::date[], 'admin', NULL, now(), ?)
       ON CONFLICT (year) DO UPDATE SET holidays = EXCLUDED.holidays, workdays = EXCLUDED.workdays,
         source = 'admin', notice = NULL, updated_at = now(), updated_by = EXCLUDED.updated_by
       RETURNING ${COLUMNS.join(", ")}`,
      [row.year, dateArray(row.holidays), dateArray(row.workdays), row.updatedBy],
    );
    return result.rows[0];
  },
};
