import { addDays } from "../core/dates";
import { validationFailed } from "../core/errors";

/**
 * Facts keep their real dates (issue 14 item 9): a decision, a publication, an objection's receipt
 * and a removal may be entered after the day they happened. The real date is never in the future,
 * never before what it follows, and one more than this many days before the day of entry needs a
 * note saying why it comes late (the entry itself is timestamped beside it).
 */
export const LATE_ENTRY_NOTE_DAYS = 30;

export interface RealDateCheck {
  path: string;
  date: string;
  today: string;
  /** The fact it follows, e.g. the listing decision; the real date may be on that day, not before. */
  notBefore?: { date: string; what: string };
  /** The note given with the entry, and its path. */
  note: { value: string | null | undefined; path: string };
}

export function checkRealDate(c: RealDateCheck): void {
  if (c.date > c.today) throw validationFailed([{ path: c.path, message: "must not be in the future" }], `${c.path} must not be in the future`);
  if (c.notBefore && c.date < c.notBefore.date) {
    throw validationFailed([{ path: c.path, message: `must not be before ${c.notBefore.what} (${c.notBefore.date})` }], `${c.path} must not be before ${c.notBefore.what}`);
  }
  if (c.date < addDays(c.today, -LATE_ENTRY_NOTE_DAYS) && !c.note.value) {
    throw validationFailed(
      [{ path: c.note.path, message: `is required when ${c.path} is more than ${LATE_ENTRY_NOTE_DAYS} days before the day of entry (${c.today})` }],
      `A fact recorded more than ${LATE_ENTRY_NOTE_DAYS} days after it happened needs a note`,
    );
  }
}
