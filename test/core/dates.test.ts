import fc from "fast-check";
import { addDays, addYears, businessDate, dayOfWeek, daysBetween, isValidDate, todayInChina } from "../../api/core/dates";

/** A real date between 1900 and 2999, as YYYY-MM-DD. */
const realDate = fc
  .date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2999-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe("business dates are real calendar dates written YYYY-MM-DD", () => {
  test("days that do not exist are refused", () => {
    for (const date of ["2024-02-30", "2023-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32", "2100-02-29"]) {
      expect({ date, valid: isValidDate(date) }).toEqual({ date, valid: false });
    }
  });

  test("leap days exist only in leap years", () => {
    expect(isValidDate("2024-02-29")).toBe(true);
    expect(isValidDate("2000-02-29")).toBe(true);
    expect(isValidDate("1900-02-29")).toBe(false);
  });

  test("other spellings are refused: no time, no short fields, no slashes, no blanks", () => {
    for (const date of ["2024-3-11", "24-03-11", "2024/03/11", "20240311", "2024-03-11T00:00:00Z", " 2024-03-11", "2024-03-11 ", "", "2024-03-1１"]) {
      expect({ date, valid: isValidDate(date) }).toEqual({ date, valid: false });
    }
    expect(businessDate.safeParse("2024-03-11").success).toBe(true);
    expect(businessDate.safeParse("2024-02-30").success).toBe(false);
  });

  test("every real date between 1900 and 2999 is accepted", () => {
    fc.assert(fc.property(realDate, (date) => expect(isValidDate(date)).toBe(true)));
  });
});

describe("date arithmetic", () => {
  test("adding days crosses month and year ends and leap days", () => {
    expect(addDays("2024-01-31", 1)).toBe("2024-02-01");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2023-02-28", 1)).toBe("2023-03-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDays("2023-12-31", 1)).toBe("2024-01-01");
    expect(addDays("2024-01-01", -1)).toBe("2023-12-31");
    // The 30-day disbursement deadline of a receipt in mid-December falls in the next year.
    expect(addDays("2024-12-15", 30)).toBe("2025-01-14");
    expect(addDays("2024-03-11", 0)).toBe("2024-03-11");
  });

  test("adding n days and then -n days gives the date back, and daysBetween measures n", () => {
    fc.assert(
      fc.property(realDate, fc.integer({ min: -3650, max: 3650 }), (date, n) => {
        const later = addDays(date, n);
        expect(isValidDate(later) || later < "1900" || later > "2999").toBe(true);
        expect(addDays(later, -n)).toBe(date);
        expect(daysBetween(date, later)).toBe(n);
      }),
    );
  });

  test("adding years keeps the day, and 29 February becomes 28 February in a common year", () => {
    expect(addYears("2024-02-29", 1)).toBe("2025-02-28");
    expect(addYears("2024-02-29", 2)).toBe("2026-02-28");
    expect(addYears("2024-02-29", 4)).toBe("2028-02-29");
    expect(addYears("2024-02-29", -1)).toBe("2023-02-28");
    expect(addYears("2023-03-11", 2)).toBe("2025-03-11");
    expect(addYears("2024-12-31", 1)).toBe("2025-12-31");
  });

  test("adding years always lands on a real date in the same month", () => {
    fc.assert(
      fc.property(realDate.filter((d) => d < "2990"), fc.integer({ min: 0, max: 5 }), (date, years) => {
        const later = addYears(date, years);
        expect(isValidDate(later)).toBe(true);
        expect(later.slice(5, 7)).toBe(date.slice(5, 7));
        expect(Number(later.slice(0, 4)) - Number(date.slice(0, 4))).toBe(years);
      }),
    );
  });

  test("day of the week: 11 March 2024 was a Monday, 1 October 2024 a Tuesday", () => {
    expect(dayOfWeek("2024-03-11")).toBe(1);
    expect(dayOfWeek("2024-10-01")).toBe(2);
    expect(dayOfWeek("2024-03-10")).toBe(0);
  });
});

describe("today in China (UTC+8) does not depend on the server's time zone", () => {
  test("the Chinese date turns over at 16:00 UTC", () => {
    expect(todayInChina(new Date("2024-03-10T15:59:59.999Z"))).toBe("2024-03-10");
    expect(todayInChina(new Date("2024-03-10T16:00:00.000Z"))).toBe("2024-03-11");
    expect(todayInChina(new Date("2024-03-10T23:59:59.999Z"))).toBe("2024-03-11");
    expect(todayInChina(new Date("2024-03-11T00:00:00.000Z"))).toBe("2024-03-11");
  });

  test("across UTC midnight on New Year's Eve, China is already in the new year", () => {
    expect(todayInChina(new Date("2024-12-31T15:59:59Z"))).toBe("2024-12-31");
    expect(todayInChina(new Date("2024-12-31T16:00:00Z"))).toBe("2025-01-01");
    expect(todayInChina(new Date("2025-01-01T00:00:00Z"))).toBe("2025-01-01");
  });

  test("the same answers with the process in another time zone", () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ["America/Los_Angeles", "Pacific/Kiritimati", "UTC"]) {
        process.env.TZ = tz;
        expect(todayInChina(new Date("2024-03-10T16:00:00Z"))).toBe("2024-03-11");
        expect(addDays("2024-03-09", 1)).toBe("2024-03-10"); // a DST change in Los Angeles
        expect(addDays("2024-11-02", 1)).toBe("2024-11-03");
        expect(isValidDate("2024-03-10")).toBe(true);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
