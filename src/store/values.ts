import { CtiError } from '../errors.ts';

/** Timestamps leave the store as ISO-8601 UTC strings whatever the driver hands back (pg gives Date). */
export function isoOut(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

export function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : isoOut(value);
}

/**
 * A caller's timestamp as the store keeps it: UTC, millisecond ISO text. SQLite compares these as text, so an
 * offset like +01:00 must be folded into UTC before any comparison.
 */
export function isoIn(value: string, field: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new CtiError('INVALID_TIMESTAMP', `${field} must be an ISO-8601 date-time such as 2026-11-28T10:15:00Z, got "${value}"`, { field });
  return new Date(time).toISOString();
}

/** bigint ids and counts come back from pg as strings. */
export function num(value: unknown): number {
  return Number(value);
}

export function jsonOrNull<T>(value: unknown): T | null {
  return value === null || value === undefined ? null : (JSON.parse(String(value)) as T);
}

export function limitOf(limit: number | undefined, fallback = 100, max = 10_000): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.max(1, Math.min(Math.floor(limit), max));
}
