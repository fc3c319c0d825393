import { LunarDay, SolarDay, SolarTerm } from "tyme4ts";
import { addDays } from "../core/dates";
import type { CalendarYearDays } from "./working-calendar";

/**
 * The days off that 《全国年节及纪念日放假办法》 grants every citizen (art. 2), for any year from
 * 1950 to 2100, computed rather than announced. A year's official notice (国务院办公厅关于某年部分
 * 节假日安排的通知) adds bridging days and make-up working days (调休) that no rule fixes in advance,
 * so a calendar built from these days alone is a fallback: the caller must mark answers on it
 * `calendarKnown: false`. Sources and choices: docs/rules/statutory-holidays.md.
 *
 * The lunar and solar-term dates come from tyme4ts (6tail, MIT), which computes new moons and solar
 * terms astronomically (寿星天文历 algorithms) in Beijing time, as GB/T 33661-2017 《农历的编算和
 * 颁行》 requires. Its dates agree with the Hong Kong Observatory's tables and with an independent
 * VSOP87 implementation over 1950–2100 (see the tests), except where noted in the doc.
 */
export type StatutoryFestival =
  | "new_year"
  | "spring_festival"
  | "qingming"
  | "labour_day"
  | "dragon_boat"
  | "mid_autumn"
  | "national_day";

export interface StatutoryDayOff {
  date: string;
  festival: StatutoryFestival;
  name: string;
  nameZh: string;
}

export const FIRST_SUPPORTED_YEAR = 1950;
export const LAST_SUPPORTED_YEAR = 2100;

const NAMES: Record<StatutoryFestival, { name: string; nameZh: string }> = {
  new_year: { name: "New Year's Day", nameZh: "元旦" },
  spring_festival: { name: "Spring Festival", nameZh: "春节" },
  qingming: { name: "Qingming Festival", nameZh: "清明节" },
  labour_day: { name: "Labour Day", nameZh: "劳动节" },
  dragon_boat: { name: "Dragon Boat Festival", nameZh: "端午节" },
  mid_autumn: { name: "Mid-Autumn Festival", nameZh: "中秋节" },
  national_day: { name: "National Day", nameZh: "国庆节" },
};

/**
 * One text of art. 2, from the day it took force. Spring Festival days are offsets from 正月初一
 * (-1 is 除夕, the last day of the lunar year, whether the 12th month has 29 or 30 days).
 */
interface Revision {
  inForceFrom: string;
  source: string;
  springFestivalOffsets: readonly number[];
  labourDays: number;
  nationalDays: number;
  /** Qingming, the Dragon Boat Festival and Mid-Autumn became days off in 2008. */
  traditionalFestivals: boolean;
}

const REVISIONS: readonly Revision[] = [
  {
    inForceFrom: "1949-12-23",
    source: "政务院 1949-12-23",
    springFestivalOffsets: [0, 1, 2],
    labourDays: 1,
    nationalDays: 2,
    traditionalFestivals: false,
  },
  {
    // In force on the day it was issued, so National Day 1999 already had three days.
    inForceFrom: "1999-09-18",
    source: "国务院令第270号",
    springFestivalOffsets: [0, 1, 2],
    labourDays: 3,
    nationalDays: 3,
    traditionalFestivals: false,
  },
  {
    inForceFrom: "2008-01-01",
    source: "国务院令第513号",
    springFestivalOffsets: [-1, 0, 1],
    labourDays: 1,
    nationalDays: 3,
    traditionalFestivals: true,
  },
  {
    inForceFrom: "2014-01-01",
    source: "国务院令第644号",
    springFestivalOffsets: [0, 1, 2],
    labourDays: 1,
    nationalDays: 3,
    traditionalFestivals: true,
  },
  {
    inForceFrom: "2025-01-01",
    source: "国务院令第795号",
    springFestivalOffsets: [-1, 0, 1, 2],
    labourDays: 2,
    nationalDays: 3,
    traditionalFestivals: true,
  },
];

function isoDate(day: SolarDay): string {
  const mm = String(day.getMonth()).padStart(2, "0");
  const dd = String(day.getDay()).padStart(2, "0");
  return `${day.getYear()}-${mm}-${dd}`;
}

/** A day of a (non-leap) lunar month of lunar year `year`, as a Gregorian date. */
function lunarDate(year: number, month: number, day: number): string {
  return isoDate(LunarDay.fromYmd(year, month, day).getSolarDay());
}

/** The day of the Qingming solar term (the sun at 15° ecliptic longitude), Beijing time. */
export function qingmingDate(year: number): string {
  return isoDate(SolarTerm.fromName(year, "清明").getSolarDay());
}

/** 正月初一 of the lunar year that begins in Gregorian `year`. */
export function lunarNewYearDate(year: number): string {
  return lunarDate(year, 1, 1);
}

function consecutive(first: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(first, i));
}

function revisionDays(year: number, revision: Revision): [StatutoryFestival, string][] {
  const newYear = lunarNewYearDate(year);
  const days: [StatutoryFestival, string][] = [
    ["new_year", `${year}-01-01`],
    ...revision.springFestivalOffsets.map((offset): [StatutoryFestival, string] => ["spring_festival", addDays(newYear, offset)]),
    ...consecutive(`${year}-05-01`, revision.labourDays).map((d): [StatutoryFestival, string] => ["labour_day", d]),
    ...consecutive(`${year}-10-01`, revision.nationalDays).map((d): [StatutoryFestival, string] => ["national_day", d]),
  ];
  if (revision.traditionalFestivals) {
    days.push(["qingming", qingmingDate(year)], ["dragon_boat", lunarDate(year, 5, 5)], ["mid_autumn", lunarDate(year, 8, 15)]);
  }
  return days;
}

function assertSupported(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_SUPPORTED_YEAR || year > LAST_SUPPORTED_YEAR) {
    throw new RangeError(`statutory days off are computed for ${FIRST_SUPPORTED_YEAR}–${LAST_SUPPORTED_YEAR}, not ${year}`);
  }
}

/**
 * Every statutory day off of `year`, in date order. Each day is governed by the text of art. 2 in
 * force on that day (1999 changed mid-year). Two festivals can share a date (Mid-Autumn on 1–3
 * October, as in 2001 and 2020); both are listed, because the law then owes a substitute day
 * (art. 6, 补假) whose date only the year's notice fixes.
 */
export function statutoryDaysOff(year: number): StatutoryDayOff[] {
  assertSupported(year);
  const result: StatutoryDayOff[] = [];
  REVISIONS.forEach((revision, i) => {
    const until = REVISIONS[i + 1]?.inForceFrom ?? "9999-12-31";
    for (const [festival, date] of revisionDays(year, revision)) {
      if (date >= revision.inForceFrom && date < until) result.push({ date, festival, ...NAMES[festival] });
    }
  });
  const order = Object.keys(NAMES);
  return result.sort((a, b) => a.date.localeCompare(b.date) || order.indexOf(a.festival) - order.indexOf(b.festival));
}

/**
 * A year for the WorkingCalendar when no official notice is loaded: the statutory days off as
 * holidays and no make-up working days, because those are announced, not computed. A loaded
 * calendar always wins; answers on this one are `calendarKnown: false`.
 */
export function fallbackYear(year: number): CalendarYearDays {
  const holidays = [...new Set(statutoryDaysOff(year).map((d) => d.date))];
  return { holidays, workdays: [] };
}
