/**
 * Forgiving date settings: `start_date`/`end_date` as users and orchestrators
 * write them (Meltano's date_iso8601 kind sends "+00:00" offsets, people type
 * "2024-01-01"), turned into the one form the schema and the rest of the tap
 * use: whole-second UTC, "2024-01-01T00:00:00Z".
 */

// date [T|space time[.fraction]] [Z|±HH:MM|±HHMM|±HH]
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * The canonical UTC form of a date setting, or undefined if `value` is not a
 * real calendar date-time (validation then names the setting). A time without
 * an offset is UTC, as the settings' descriptions say; fractions of a second
 * are dropped (bookmarks and Zendesk's exports count whole seconds).
 */
export function canonicalDate(value: string): string | undefined {
  const m = DATE.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h = 0, mi = 0, s = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => (x === undefined ? undefined : Number(x))) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > daysIn(y!, mo!) || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
    const oh = Number(z[2]);
    const om = Number(z[3] ?? 0);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (z[1] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Date.UTC(y!, mo! - 1, d!, h, mi, s) - offsetMinutes * 60_000;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
