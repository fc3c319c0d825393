import { WorkingCalendar } from "../../api/calendar/working-calendar";
import { birthDateFromIdNumber, effectiveStatus, expiresOnFor, isMinorOn, listingDeadlines, type ListingFacts } from "../../api/listings/listing-rules";
import { OFFICIAL_CALENDARS } from "../../db/migrations/20261126_0101_calendar";

const shipped = new WorkingCalendar(OFFICIAL_CALENDARS.map((c) => [c.year, c] as const));
const facts = (f: Partial<ListingFacts>): ListingFacts => ({
  status: "active",
  expiresOn: null,
  removedOn: null,
  fullyPerformedOn: null,
  publications: [],
  objections: [],
  ...f,
});

describe("listing rules", () => {
  test.each([
    ["431129200606010021", "2006-06-01"],
    ["43112920060601002x", "2006-06-01"],
    ["431129081201123", "1908-12-01"],
    ["431129200602300021", null], // 30 February: no birth date to read
    ["91431129MA4L20101X", null], // an organization's credit code
    ["A1234567", null],
    [null, null],
  ])("the birth date in %s is %s", (id, birth) => {
    expect(birthDateFromIdNumber(id)).toBe(birth);
  });

  test("a person is a minor until the 18th birthday; born on 29 February, 18 on 28 February", () => {
    expect(isMinorOn("2006-06-01", "2024-05-31")).toBe(true);
    expect(isMinorOn("2006-06-01", "2024-06-01")).toBe(false);
    expect(isMinorOn("2008-02-29", "2026-02-27")).toBe(true);
    expect(isMinorOn("2008-02-29", "2026-02-28")).toBe(false);
  });

  test("terms: none for able_but_refuses, 2 years plus the extension otherwise", () => {
    expect(expiresOnFor("able_but_refuses", "2024-06-03", undefined)).toBeNull();
    expect(expiresOnFor("obstructs_enforcement", "2024-06-03", undefined)).toBe("2026-06-03");
    expect(expiresOnFor("breaches_settlement", "2024-06-03", 2)).toBe("2028-06-03");
  });

  test("expired is computed from the day after expiresOn; removed stays removed", () => {
    expect(effectiveStatus("active", "2026-06-03", "2026-06-03")).toBe("active");
    expect(effectiveStatus("active", "2026-06-03", "2026-06-04")).toBe("expired");
    expect(effectiveStatus("removal_pending", "2026-06-03", "2026-06-04")).toBe("expired");
    expect(effectiveStatus("removed", "2026-06-03", "2026-06-04")).toBe("removed");
    expect(effectiveStatus("active", null, "2099-01-01")).toBe("active");
  });

  test("the earliest trigger sets removalDueBy: an upheld objection before full performance", () => {
    const d = listingDeadlines(
      facts({
        fullyPerformedOn: "2024-09-30",
        objections: [
          { status: "upheld", reason: "should_be_removed", actionDueBy: "2024-09-20" },
          { status: "upheld", reason: "inaccurate", actionDueBy: "2024-09-01" },
        ],
      }),
      shipped,
      "2024-09-25",
    );
    expect(d).toMatchObject({ removalDueBy: "2024-09-20", removalDueReason: "objection_upheld", removalOverdue: true });
  });

  test("a removal is complete when removed and every publication withdrawn; late withdrawal is not on time", () => {
    const removed = facts({ status: "removed", removedOn: "2024-10-08", fullyPerformedOn: "2024-09-30", publications: [{ withdrawnOn: "2024-10-09" }, { withdrawnOn: null }] });
    expect(listingDeadlines(removed, shipped, "2024-10-09")).toMatchObject({ removalDueBy: "2024-10-10", removalCompletedOn: null, removalOverdue: false });
    expect(listingDeadlines(removed, shipped, "2024-10-11")).toMatchObject({ removalOverdue: true });
    const done = { ...removed, publications: [{ withdrawnOn: "2024-10-09" }, { withdrawnOn: "2024-10-11" }] };
    expect(listingDeadlines(done, shipped, "2024-12-01")).toMatchObject({ removalCompletedOn: "2024-10-11", removalOnTime: false, removalOverdue: false });
  });

  test("a removal deadline in a year without a calendar is flagged calendarKnown false", () => {
    const without2024 = new WorkingCalendar(OFFICIAL_CALENDARS.filter((c) => c.year !== 2024).map((c) => [c.year, c] as const));
    const d = listingDeadlines(facts({ fullyPerformedOn: "2024-09-30" }), without2024, "2024-10-01");
    // Without the notice: National Day 1–3 October is still off (放假办法 art. 2), the bridging days are not known.
    expect(d).toMatchObject({ removalDueBy: "2024-10-08", calendarKnown: false });
    expect(listingDeadlines(facts({ fullyPerformedOn: "2024-09-30" }), shipped, "2024-10-01").calendarKnown).toBe(true);
  });
});
