/**
 * Motion fills date variables as `YYYY-MM-DD HH:mm:ss` in the server's local time, with no offset.
 * ctibridge needs ISO-8601 with an offset, so the wall-clock time is kept and the offset of the
 * configured zone at that moment is appended. Also accepted: ISO strings that already carry an offset
 * (normalised), and Unix epochs in seconds or milliseconds (rendered in the zone).
 */

export type Zone = { kind: 'fixed'; offsetMinutes: number } | { kind: 'iana'; name: string };

const UTC: Zone = { kind: 'fixed', offsetMinutes: 0 };

/** `+01:00`, `-0530`, `Z`, `UTC` or an IANA name like `Europe/Rome`; undefined when not a zone. */
export function parseZone(text: string | undefined): Zone | undefined {
  if (text === undefined || text.trim() === '') return UTC;
  const trimmed = text.trim();
  if (/^(z|utc|gmt)$/i.test(trimmed)) return UTC;
  const offset = /^(?:utc|gmt)?([+-])(\d{1,2}):?(\d{2})?$/i.exec(trimmed);
  if (offset) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? '0');
    if (minutes > 14 * 60) return undefined;
    return { kind: 'fixed', offsetMinutes: offset[1] === '-' ? -minutes : minutes };
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: trimmed });
    return { kind: 'iana', name: trimmed };
  } catch {
    return undefined;
  }
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO-8601 date-time with offset, or undefined when the text is not a date Motion could send. */
export function toIsoWithOffset(text: string, zone: Zone): string | undefined {
  const trimmed = text.trim();
  const local = LOCAL.exec(trimmed);
  if (local) {
    const [, y, mo, d, h, mi, s = '00', frac] = local;
    const wallUtc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
    const check = new Date(wallUtc);
    // Reject impossible dates (2026-02-30) rather than let Date roll them over.
    if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 59) return undefined;
    const offset = offsetForWallTime(wallUtc, zone);
    return `${y}-${mo}-${d}T${h}:${mi}:${s}${frac ? '.' + frac : ''}${formatOffset(offset)}`;
  }
  if (WITH_OFFSET.test(trimmed)) {
    const ms = Date.parse(trimmed.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isNaN(ms) ? undefined : trimmed.replace(/([+-]\d{2})(\d{2})$/, '$1:$2').replace(/z$/, 'Z');
  }
  if (/^\d{10}(\.\d+)?$/.test(trimmed)) return fromEpochMs(Math.round(Number(trimmed) * 1000), zone);
  if (/^\d{13}$/.test(trimmed)) return fromEpochMs(Number(trimmed), zone);
  return undefined;
}

/** A Date rendered as ISO-8601 in the zone. */
export function dateToIso(date: Date, zone: Zone): string {
  return fromEpochMs(date.getTime(), zone);
}

function fromEpochMs(ms: number, zone: Zone): string {
  const offset = offsetAtInstant(ms, zone);
  const wall = new Date(ms + offset * 60_000).toISOString(); // wall-clock digits, with a bogus Z
  const withoutZone = wall.endsWith('.000Z') ? wall.slice(0, 19) : wall.slice(0, 23);
  return withoutZone + formatOffset(offset);
}

/** Offset (minutes east of UTC) in force in the zone at the wall-clock time given as if it were UTC. */
function offsetForWallTime(wallAsUtcMs: number, zone: Zone): number {
  if (zone.kind === 'fixed') return zone.offsetMinutes;
  // Two passes settle the offset; an ambiguous wall time (DST fall-back) takes the first occurrence and a
  // non-existent one (spring-forward gap) keeps the offset from before the change.
  const first = offsetAtInstant(wallAsUtcMs, zone);
  const second = offsetAtInstant(wallAsUtcMs - first * 60_000, zone);
  return second;
}

function offsetAtInstant(ms: number, zone: Zone): number {
  if (zone.kind === 'fixed') return zone.offsetMinutes;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone.name,
    hourCycle: 'h23',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Seconds as a number from `240`, `240.5` or `00:04:00`; undefined otherwise. */
export function toSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const clock = /^(\d+):([0-5]\d):([0-5]\d)$/.exec(trimmed);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  return undefined;
}
