import { CalendarChinese } from "date-chinese";
import {
  FIRST_SUPPORTED_YEAR,
  LAST_SUPPORTED_YEAR,
  type StatutoryFestival,
  fallbackYear,
  lunarNewYearDate,
  qingmingDate,
  statutoryDaysOff,
} from "../../api/calendar/statutory-holidays";
import { type CalendarYearDays, WorkingCalendar } from "../../api/calendar/working-calendar";
import { addDays, daysBetween } from "../../api/core/dates";
import { OFFICIAL_CALENDARS } from "../../db/migrations/20261126_0101_calendar";

const YEARS = Array.from({ length: LAST_SUPPORTED_YEAR - FIRST_SUPPORTED_YEAR + 1 }, (_, i) => FIRST_SUPPORTED_YEAR + i);

function datesOf(year: number, festival: StatutoryFestival): string[] {
  return statutoryDaysOff(year)
    .filter((d) => d.festival === festival)
    .map((d) => d.date);
}
const only = (year: number, festival: StatutoryFestival): string => {
  const dates = datesOf(year, festival);
  expect(dates).toHaveLength(1);
  return dates[0];
};

/** The runs of consecutive days in a sorted list of dates: one run per official holiday block. */
function blocks(dates: readonly string[]): string[][] {
  const runs: string[][] = [];
  for (const date of [...dates].sort()) {
    const last = runs.at(-1);
    if (last && daysBetween(last.at(-1) as string, date) === 1) last.push(date);
    else runs.push([date]);
  }
  return runs;
}

describe("statutory days off against the State Council's notices for 2024–2026 (shipped calendars)", () => {
  test.each(OFFICIAL_CALENDARS.map((c) => [c.year, c] as const))(
    "%i: every computed statutory day off is a holiday of the official notice",
    (year, official) => {
      for (const day of statutoryDaysOff(year)) expect(official.holidays).toContain(day.date);
    },
  );

  test.each(OFFICIAL_CALENDARS.map((c) => [c.year, c] as const))(
    "%i: each official holiday block contains a computed statutory day, and each festival lies in a block",
    (year, official) => {
      const runs = blocks(official.holidays);
      const computed = statutoryDaysOff(year);
      for (const run of runs) expect(computed.some((d) => run.includes(d.date))).toBe(true);
      for (const day of computed) expect(runs.some((run) => run.includes(day.date))).toBe(true);
    },
  );

  test("2025, the first year of the 2024 revision (国务院令第795号): 除夕 28 January is off, and Labour Day is 1–2 May", () => {
    expect(datesOf(2025, "spring_festival")).toEqual(["2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"]);
    expect(datesOf(2025, "labour_day")).toEqual(["2025-05-01", "2025-05-02"]);
    // Mid-Autumn 6 October 2025 falls inside the National Day block 1–8 October.
    expect(only(2025, "mid_autumn")).toBe("2025-10-06");
  });

  test("2024, under the 2013 text (国务院令第644号): Spring Festival is 初一–初三 only (10–12 February), 除夕 9 February is not a statutory day", () => {
    expect(datesOf(2024, "spring_festival")).toEqual(["2024-02-10", "2024-02-11", "2024-02-12"]);
    expect(datesOf(2024, "labour_day")).toEqual(["2024-05-01"]);
  });

  test("2026: Qingming 5 April, Dragon Boat 19 June, Mid-Autumn 25 September, Spring Festival 16–19 February", () => {
    expect(only(2026, "qingming")).toBe("2026-04-05");
    expect(only(2026, "dragon_boat")).toBe("2026-06-19");
    expect(only(2026, "mid_autumn")).toBe("2026-09-25");
    expect(datesOf(2026, "spring_festival")).toEqual(["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19"]);
  });
});

/*
 * Known dates, each from a source outside this code:
 * - HKO: the Hong Kong Observatory's Gregorian–Lunar conversion tables, as published in
 *   github.com/infinet/lunar-calendar jieqi_tch_2017-01-01_2028-12-31.ics (除夕, 春节, 清明, 端午, 中秋).
 * - Xinhua / Purple Mountain Observatory (2024-12): 2025–2029 have no 年三十; 除夕 is 腊月二十九 on
 *   2025-01-28, 2026-02-16, 2027-02-05, 2028-01-25, 2029-02-12; 2013, 2016 and 2022 had none either.
 * - excelnotes.com "Chinese New Year" 2022–2033 table (2029-02-13 … 2033-01-31).
 * - daysuntil.com: Qingming 2027-04-05, 2028-04-04, 2029-04-04.
 * - 2033: the official calendar puts the leap month after the 11th month (闰十一月, the "2033
 *   problem"), so the 8th month is not pushed back and Mid-Autumn is 2033-09-08; the 2034 new year
 *   is the third new moon after the winter solstice, 2034-02-19.
 */
type Known = "eve" | "spring_festival" | "qingming" | "dragon_boat" | "mid_autumn";
const KNOWN: [number, Known, string, string][] = [
  [2017, "eve", "2017-01-27", "HKO"],
  [2018, "eve", "2018-02-15", "HKO"],
  [2019, "dragon_boat", "2019-06-07", "HKO"],
  [2020, "mid_autumn", "2020-10-01", "HKO (Mid-Autumn on National Day)"],
  [2021, "qingming", "2021-04-04", "HKO"],
  [2022, "eve", "2022-01-31", "HKO, 腊月二十九 (Xinhua)"],
  [2023, "dragon_boat", "2023-06-22", "HKO"],
  [2024, "eve", "2024-02-09", "HKO, 腊月三十: a 12th month of 30 days"],
  [2027, "eve", "2027-02-05", "HKO, 腊月二十九 (Xinhua)"],
  [2027, "spring_festival", "2027-02-06", "HKO, excelnotes"],
  [2027, "qingming", "2027-04-05", "HKO, daysuntil"],
  [2027, "dragon_boat", "2027-06-09", "HKO"],
  [2027, "mid_autumn", "2027-09-15", "HKO"],
  [2028, "eve", "2028-01-25", "HKO, Xinhua"],
  [2028, "spring_festival", "2028-01-26", "HKO, excelnotes"],
  [2028, "qingming", "2028-04-04", "HKO, daysuntil"],
  [2028, "dragon_boat", "2028-05-28", "HKO"],
  [2028, "mid_autumn", "2028-10-03", "HKO"],
  [2029, "eve", "2029-02-12", "Xinhua"],
  [2029, "spring_festival", "2029-02-13", "excelnotes"],
  [2029, "qingming", "2029-04-04", "daysuntil"],
  [2030, "spring_festival", "2030-02-03", "excelnotes (HKO notes folk calendars differ this year)"],
  [2031, "spring_festival", "2031-01-23", "excelnotes"],
  [2032, "spring_festival", "2032-02-11", "excelnotes"],
  [2033, "spring_festival", "2033-01-31", "excelnotes"],
  [2033, "mid_autumn", "2033-09-08", "闰十一月 in 2033"],
  [2034, "spring_festival", "2034-02-19", "闰十一月 in 2033"],
];

describe("lunar and solar-term dates against published tables", () => {
  test.each(KNOWN)("%i %s is %s (%s)", (year, what, expected) => {
    if (what === "eve") expect(addDays(lunarNewYearDate(year), -1)).toBe(expected);
    else if (what === "spring_festival") expect(lunarNewYearDate(year)).toBe(expected);
    else if (what === "qingming") expect(qingmingDate(year)).toBe(expected);
    else expect(lunarDayOf(year, what)).toBe(expected);
  });

  test("HKO 2017–2028: 除夕, 春节, 清明, 端午 and 中秋 of every year", () => {
    const hko: Record<number, [string, string, string, string, string]> = {
      2017: ["01-27", "01-28", "04-04", "05-30", "10-04"],
      2018: ["02-15", "02-16", "04-05", "06-18", "09-24"],
      2019: ["02-04", "02-05", "04-05", "06-07", "09-13"],
      2020: ["01-24", "01-25", "04-04", "06-25", "10-01"],
      2021: ["02-11", "02-12", "04-04", "06-14", "09-21"],
      2022: ["01-31", "02-01", "04-05", "06-03", "09-10"],
      2023: ["01-21", "01-22", "04-05", "06-22", "09-29"],
      2024: ["02-09", "02-10", "04-04", "06-10", "09-17"],
      2025: ["01-28", "01-29", "04-04", "05-31", "10-06"],
      2026: ["02-16", "02-17", "04-05", "06-19", "09-25"],
      2027: ["02-05", "02-06", "04-05", "06-09", "09-15"],
      2028: ["01-25", "01-26", "04-04", "05-28", "10-03"],
    };
    for (const [yearText, dates] of Object.entries(hko)) {
      const year = Number(yearText);
      const computed = [
        addDays(lunarNewYearDate(year), -1),
        lunarNewYearDate(year),
        qingmingDate(year),
        lunarDayOf(year, "dragon_boat"),
        lunarDayOf(year, "mid_autumn"),
      ];
      expect(computed).toEqual(dates.map((md) => `${year}-${md}`));
    }
  });
});

/** Dragon Boat and Mid-Autumn are read from the list itself (days off every year since 2008). */
function lunarDayOf(year: number, festival: "dragon_boat" | "mid_autumn"): string {
  return only(year, festival);
}

/** An independent computation: date-chinese (VSOP87 and Meeus's algorithms, Beijing time). */
function independent(year: number, month: number, day: number): string {
  const g = new CalendarChinese(78, 1, month, 0, day).toGregorian(year);
  return `${g.year}-${String(g.month).padStart(2, "0")}-${String(g.day).padStart(2, "0")}`;
}
function independentQingming(year: number): string {
  const cal = new CalendarChinese();
  const g = new CalendarChinese().fromJDE(cal.qingming(year)).toGregorian(year);
  return `${g.year}-${String(g.month).padStart(2, "0")}-${String(g.day).padStart(2, "0")}`;
}

describe(`every year ${FIRST_SUPPORTED_YEAR}–${LAST_SUPPORTED_YEAR}`, () => {
  test("正月初一, 清明, 端午 and 中秋 agree with an independent astronomical implementation", () => {
    const disagreements: string[] = [];
    for (const year of YEARS) {
      const pairs: [string, string, string][] = [
        ["new year", lunarNewYearDate(year), independent(year, 1, 1)],
        ["qingming", qingmingDate(year), independentQingming(year)],
        ...(year >= 2008
          ? ([
              ["dragon boat", only(year, "dragon_boat"), independent(year, 5, 5)],
              ["mid-autumn", only(year, "mid_autumn"), independent(year, 8, 15)],
            ] as [string, string, string][])
          : []),
      ];
      for (const [what, ours, theirs] of pairs) if (ours !== theirs) disagreements.push(`${year} ${what}: ${ours} vs ${theirs}`);
    }
    // date-chinese follows the traditional rule (leap month after the 7th) in 2033; the official
    // calendar has 闰十一月, so only Mid-Autumn 2033 differs (see the KNOWN table above).
    expect(disagreements).toEqual(["2033 mid-autumn: 2033-09-08 vs 2033-10-07"]);
  });

  test("除夕 is the last day of the 12th lunar month, the 29th or the 30th (checked independently)", () => {
    const lengths = new Set<number>();
    for (const year of YEARS) {
      const eve = addDays(lunarNewYearDate(year), -1);
      const [y, m, d] = eve.split("-").map(Number);
      const [, , month, leap, day] = new CalendarChinese().fromGregorian(y, m, d).get();
      expect([month, leap]).toEqual([12, false]);
      expect([29, 30]).toContain(day);
      lengths.add(day);
    }
    expect([...lengths].sort()).toEqual([29, 30]);
  });

  // The 5th month holds the summer solstice (about 21 June) and the 8th the autumn equinox (about 23
  // September), so 初五 and 十五 of those months can only fall within these windows.
  test("the festivals fall in their seasons: new year 21 Jan–20 Feb, Qingming 4–6 Apr, Dragon Boat 27 May–25 Jun, Mid-Autumn 7 Sep–8 Oct", () => {
    for (const year of YEARS) {
      expect(lunarNewYearDate(year) >= `${year}-01-21` && lunarNewYearDate(year) <= `${year}-02-20`).toBe(true);
      expect([`${year}-04-04`, `${year}-04-05`, `${year}-04-06`]).toContain(qingmingDate(year));
      if (year < 2008) continue;
      const dragon = only(year, "dragon_boat");
      const moon = only(year, "mid_autumn");
      expect(dragon >= `${year}-05-27` && dragon <= `${year}-06-25`).toBe(true);
      expect(moon >= `${year}-09-07` && moon <= `${year}-10-08`).toBe(true);
    }
  });

  test("the list is in date order, one entry per festival day, and its length is what art. 2 of the text then in force grants", () => {
    const daysGranted = (year: number) => (year >= 2025 ? 13 : year >= 2008 ? 11 : year >= 2000 ? 10 : 7);
    for (const year of YEARS.filter((y) => y !== 1999)) {
      const days = statutoryDaysOff(year);
      expect(days.map((d) => d.date)).toEqual([...days.map((d) => d.date)].sort());
      expect(new Set(days.map((d) => `${d.date} ${d.festival}`)).size).toBe(days.length);
      expect(days).toHaveLength(daysGranted(year));
    }
  });
});

describe("each revision of 《全国年节及纪念日放假办法》 art. 2 governs the days from its date of force", () => {
  test("1995, the 1949 text: Spring Festival 初一–初三, 1 May, National Day 1–2 October, no traditional festivals", () => {
    expect(statutoryDaysOff(1995).map((d) => d.date)).toEqual([
      "1995-01-01", "1995-01-31", "1995-02-01", "1995-02-02", "1995-05-01", "1995-10-01", "1995-10-02",
    ]);
  });

  test("1999: 1 May under the 1949 text, but National Day 1–3 October under 国务院令第270号 (in force 18 September 1999)", () => {
    expect(datesOf(1999, "labour_day")).toEqual(["1999-05-01"]);
    expect(datesOf(1999, "national_day")).toEqual(["1999-10-01", "1999-10-02", "1999-10-03"]);
  });

  test("2005, the 1999 text: Labour Day 1–3 May, Spring Festival 初一–初三 (9–11 February)", () => {
    expect(datesOf(2005, "labour_day")).toEqual(["2005-05-01", "2005-05-02", "2005-05-03"]);
    expect(datesOf(2005, "spring_festival")).toEqual(["2005-02-09", "2005-02-10", "2005-02-11"]);
    expect(datesOf(2005, "qingming")).toEqual([]);
  });

  test("2010, the 2007 text (国务院令第513号, 2008–2013): Spring Festival is 除夕, 初一, 初二; Qingming, Dragon Boat and Mid-Autumn are days off", () => {
    expect(datesOf(2010, "spring_festival")).toEqual(["2010-02-13", "2010-02-14", "2010-02-15"]);
    expect(only(2010, "qingming")).toBe("2010-04-05");
    expect(only(2010, "dragon_boat")).toBe("2010-06-16");
    expect(datesOf(2010, "labour_day")).toEqual(["2010-05-01"]);
  });

  test("2014, the first year of the 2013 text: 除夕 30 January 2014 is no longer a day off", () => {
    expect(datesOf(2014, "spring_festival")).toEqual(["2014-01-31", "2014-02-01", "2014-02-02"]);
  });

  test("2020: Mid-Autumn falls on 1 October and is listed beside National Day (the law owes a substitute day, 补假)", () => {
    const oct1 = statutoryDaysOff(2020).filter((d) => d.date === "2020-10-01");
    expect(oct1.map((d) => [d.festival, d.nameZh])).toEqual([
      ["mid_autumn", "中秋节"],
      ["national_day", "国庆节"],
    ]);
  });

  test("every entry carries its English and Chinese name", () => {
    expect(statutoryDaysOff(2027)[0]).toEqual({ date: "2027-01-01", festival: "new_year", name: "New Year's Day", nameZh: "元旦" });
  });

  test.each([1949, 2101, 2030.5])("a year outside 1950–2100 (%s) is refused, not guessed", (year) => {
    expect(() => statutoryDaysOff(year)).toThrow(RangeError);
  });
});

describe("the fallback year for a WorkingCalendar without an official notice", () => {
  test("its holidays are the statutory days off, once each and in order, and it has no make-up working days", () => {
    const year = fallbackYear(2020);
    expect(year.workdays).toEqual([]);
    expect(year.holidays).toEqual([...new Set(statutoryDaysOff(2020).map((d) => d.date))]);
    expect(year.holidays).toHaveLength(10);
  });

  test("for 2024–2026 the fallback is a subset of the official notice", () => {
    for (const official of OFFICIAL_CALENDARS) {
      for (const day of fallbackYear(official.year).holidays) expect(official.holidays).toContain(day);
    }
  });

  test("issue 14 item 4: three working days after Tuesday 29 December 2026 skip New Year's Day 2027 and end on Monday 4 January", () => {
    const years: [number, CalendarYearDays][] = OFFICIAL_CALENDARS.map((c) => [c.year, c]);
    const calendar = new WorkingCalendar([...years, [2027, fallbackYear(2027)]]);
    // The caller loads the fallback and reports calendarKnown: false for it; here only the date is checked.
    expect(calendar.workingDayAfter("2026-12-29", 3).date).toBe("2027-01-04");
  });

  test("Spring Festival 2027 (除夕 Friday 5 February to 初三 Monday 8 February): the working day after Thursday 4 February is Tuesday 9 February", () => {
    const calendar = new WorkingCalendar([[2027, fallbackYear(2027)]]);
    expect(calendar.workingDayAfter("2027-02-04", 1).date).toBe("2027-02-09");
  });
});
