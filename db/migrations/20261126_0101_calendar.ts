import { Knex } from "knex";

/**
 * China's official working-day calendar, one row per year, seeded with the State Council General
 * Office's annual holiday notices for 2024, 2025 and 2026 (gov.cn, linked per year below).
 * `holidays` are statutory days off (including swapped weekdays); `workdays` are weekend days that
 * are working days (调休). Any other Monday–Friday is a working day. An admin may replace a year
 * (`PUT /v1/calendar/{year}`); the seed below is the official text and is never edited.
 *
 * The calendar is national, not a court's data, so it carries no court_id.
 */
export const OFFICIAL_CALENDARS: { year: number; notice: string; holidays: string[]; workdays: string[] }[] = [
  {
    year: 2024,
    notice: "https://www.gov.cn/zhengce/zhengceku/202310/content_6911528.htm",
    holidays: [
      "2024-01-01", "2024-02-10", "2024-02-11", "2024-02-12", "2024-02-13", "2024-02-14",
      "2024-02-15", "2024-02-16", "2024-02-17", "2024-04-04", "2024-04-05", "2024-04-06",
      "2024-05-01", "2024-05-02", "2024-05-03", "2024-05-04", "2024-05-05", "2024-06-10",
      "2024-09-15", "2024-09-16", "2024-09-17", "2024-10-01", "2024-10-02", "2024-10-03",
      "2024-10-04", "2024-10-05", "2024-10-06", "2024-10-07",
    ],
    workdays: [
      "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
      "2024-09-29", "2024-10-12",
    ],
  },
  {
    year: 2025,
    notice: "https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm",
    holidays: [
      "2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01",
      "2025-02-02", "2025-02-03", "2025-02-04", "2025-04-04", "2025-04-05", "2025-04-06",
      "2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04", "2025-05-05", "2025-05-31",
      "2025-06-01", "2025-06-02", "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04",
      "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08",
    ],
    workdays: [
      "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    ],
  },
  {
    year: 2026,
    notice: "https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm",
    holidays: [
      "2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15", "2026-02-16", "2026-02-17",
      "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
      "2026-04-04", "2026-04-05", "2026-04-06", "2026-05-01", "2026-05-02", "2026-05-03",
      "2026-05-04", "2026-05-05", "2026-06-19", "2026-06-20", "2026-06-21", "2026-09-25",
      "2026-09-26", "2026-09-27", "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04",
      "2026-10-05", "2026-10-06", "2026-10-07",
    ],
    workdays: [
      "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
    ],
  },
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE calendar_years (
      year smallint PRIMARY KEY CHECK (year BETWEEN 1900 AND 2999),
      holidays date[] NOT NULL,
      workdays date[] NOT NULL,
      source text NOT NULL CHECK (source IN ('official', 'admin')),
      notice text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid REFERENCES users(id),
      CHECK (NOT (holidays && workdays))
    )`);
  for (const c of OFFICIAL_CALENDARS) {
    await knex.raw(`INSERT INTO calendar_years (year, holidays, workdays, source, notice) VALUES (?, ?::date[], ?::date[], 'official', ?)`, [
      c.year,
      `{${c.holidays.join(",")}}`,
      `{${c.workdays.join(",")}}`,
      c.notice,
    ]);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE calendar_years`);
}
