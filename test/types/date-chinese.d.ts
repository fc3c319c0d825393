/**
 * date-chinese ships types, but its package "exports" map hides them from `moduleResolution:
 * nodenext`. Only what the tests use is declared here (the library's own signatures).
 */
declare module "date-chinese" {
  export interface GregorianDate {
    year: number;
    month: number;
    day: number;
  }

  export class CalendarChinese {
    constructor(cycle?: number, year?: number, month?: number, leap?: number, day?: number);
    /** [cycle, year, month, leap, day] */
    get(): [number, number, number, boolean, number];
    fromGregorian(year: number, month: number, day: number): this;
    fromJDE(jde: number): this;
    toGregorian(gyear?: number): GregorianDate;
    newYear(gyear: number): number;
    qingming(gyear: number): number;
  }
}
