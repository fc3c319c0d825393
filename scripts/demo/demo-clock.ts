/** A China-time instant: `day` at `hh:mm` (UTC+8), for the demo's calls made at a time of day (`at`). */
export const chinaTime = (day: string, hh: number, mm: number) => new Date(`${day}T${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}:00+08:00`);
