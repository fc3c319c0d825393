import fs from "node:fs";
import path from "node:path";
import { WorkingCalendar } from "../../api/calendar/working-calendar";
import { dayOfWeek } from "../../api/core/dates";
import { OFFICIAL_CALENDARS } from "../../db/migrations/20261126_0101_calendar";

const shipped = new WorkingCalendar(OFFICIAL_CALENDARS.map((c) => [c.year, c] as const));
const after = (date: string, count: number) => shipped.workingDayAfter(date, count);

describe("the working-day calendar shipped with the service", () => {
  test("a debtor fully performed on Monday 30 September 2024 is due for removal by Thursday 10 October 2024 (National Day)", () => {
    expect(after("2024-09-30", 3)).toEqual({ date: "2024-10-10", calendarKnown: true });
  });

  test.each([
    // [from, count, due, why]
    ["2024-09-27", 1, "2024-09-29", "Sunday 29 September 2024 is a make-up working day"],
    ["2024-09-27", 3, "2024-10-08", "make-up Sunday, Monday, then the first day after National Day"],
    ["2024-09-13", 2, "2024-09-18", "make-up Saturday 14 September, then after Mid-Autumn (15–17)"],
    ["2024-02-08", 3, "2024-02-19", "Friday 9 February is worked, Spring Festival 10–17 February is off, make-up Sunday 18 February counts"],
    ["2024-04-03", 3, "2024-04-09", "Qingming 4–6 April 2024, make-up Sunday 7 April counts"],
    ["2024-04-26", 4, "2024-05-06", "make-up Sunday 28 April, 29 and 30 April, then Labour Day 1–5 May"],
    ["2024-06-07", 1, "2024-06-11", "Dragon Boat Monday 10 June 2024 is off"],
    ["2025-01-24", 3, "2025-02-05", "make-up Sunday 26 January 2025, then Spring Festival 28 January – 4 February"],
    ["2025-09-30", 3, "2025-10-11", "National Day 1–8 October 2025, make-up Saturday 11 October counts"],
    ["2025-05-30", 1, "2025-06-03", "Dragon Boat 31 May – 2 June 2025"],
    ["2025-12-31", 3, "2026-01-06", "across the year: New Year 1–3 January 2026, make-up Sunday 4 January counts"],
    ["2026-02-13", 3, "2026-02-25", "make-up Saturday 14 February, then Spring Festival 15–23 February 2026"],
    ["2026-09-30", 3, "2026-10-10", "National Day 1–7 October 2026, then 8, 9 and make-up Saturday 10 October"],
    ["2024-06-01", 1, "2024-06-03", "the day itself never counts, and an ordinary weekend is off"],
  ])("from %s, working day %i is %s: %s", (from, count, due) => {
    expect(after(from, count)).toEqual({ date: due, calendarKnown: true });
  });

  test("a year without an official calendar still keeps the statutory days off of 《全国年节及纪念日放假办法》 art. 2, and says so (calendarKnown: false)", () => {
    // Issue 14 item 4: with no 2027 notice, the 3rd working day after 2026-12-29 is not New Year's Day 2027-01-01.
    expect(after("2026-12-29", 3)).toEqual({ date: "2027-01-04", calendarKnown: false });
    expect(after("2026-12-30", 3)).toEqual({ date: "2027-01-05", calendarKnown: false });
    expect(after("2030-03-01", 1)).toEqual({ date: "2030-03-04", calendarKnown: false });
    // National Day 2023 (1–3 October by art. 2; the notice's bridging days are not known here).
    expect(shipped.isWorkingDay("2023-10-02")).toEqual({ working: false, calendarKnown: false });
    expect(shipped.isWorkingDay("2023-10-04")).toEqual({ working: true, calendarKnown: false });
    // Spring Festival 2027: 除夕 is 5 February 2027 (正月初一 is 6 February), off through 初三 (8 February, a Monday).
    expect(shipped.isWorkingDay("2027-02-05")).toEqual({ working: false, calendarKnown: false });
    expect(shipped.isWorkingDay("2027-02-08")).toEqual({ working: false, calendarKnown: false });
    expect(shipped.isWorkingDay("2027-02-09")).toEqual({ working: true, calendarKnown: false });
  });

  test("a loaded calendar overrides the computed statutory days off of its year", () => {
    const loaded = new WorkingCalendar([[2027, { holidays: [], workdays: [] }]]);
    expect(loaded.isWorkingDay("2027-01-01")).toEqual({ working: true, calendarKnown: true });
    expect(new WorkingCalendar([]).isWorkingDay("2027-01-01")).toEqual({ working: false, calendarKnown: false });
  });

  test("every make-up working day is a weekend day, and no day is both a holiday and a working day", () => {
    for (const year of OFFICIAL_CALENDARS) {
      for (const d of year.workdays) expect({ d, weekend: [0, 6].includes(dayOfWeek(d)) }).toEqual({ d, weekend: true });
      expect(year.holidays.filter((d) => year.workdays.includes(d))).toEqual([]);
      expect([...year.holidays, ...year.workdays].every((d) => d.startsWith(`${year.year}-`))).toBe(true);
    }
  });

  test("the shipped years are the State Council notices for 2024, 2025 and 2026, day for day", () => {
    expect(OFFICIAL_CALENDARS.map((c) => [c.year, c.holidays.length, c.workdays.length])).toEqual([
      [2024, 28, 8],
      [2025, 28, 5],
      [2026, 33, 6],
    ]);
    expect(OFFICIAL_CALENDARS.find((c) => c.year === 2026)!.workdays).toEqual(["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]);
    // The data file the issue points at, when this checkout sits next to it.
    const file = path.resolve(__dirname, "../../../shared/data/cn-workday-calendar.json");
    if (fs.existsSync(file)) {
      const official = JSON.parse(fs.readFileSync(file, "utf8")) as { years: Record<string, { holidays: string[]; workdays: string[]; notice: string }> };
      expect(OFFICIAL_CALENDARS.map((c) => [String(c.year), { holidays: c.holidays, workdays: c.workdays, notice: c.notice }])).toEqual(
        Object.entries(official.years).map(([y, v]) => [y, { holidays: v.holidays, workdays: v.workdays, notice: v.notice }]),
      );
    }
  });

  test("a count below 1 is a programming error", () => {
    expect(() => shipped.workingDayAfter("2024-01-01", 0)).toThrow(RangeError);
  });
});
