import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { CHANNELS, interactionEventSchema, type InteractionEvent } from '../domain/interaction.ts';

/** Largest number of events one `POST /ingest/events` may carry. */
export const MAX_EVENTS_PER_REQUEST = 500;

export type FieldError = { field: string; message: string };
export type RejectedEvent = { index: number; id?: string; errors: FieldError[] };
export type IngestParseResult = { events: InteractionEvent[]; rejected: RejectedEvent[] };

/** Index used in `rejected` when the body as a whole is unusable (not one of its events). */
export const WHOLE_BODY = -1;

const ISO_EXAMPLE = '2026-11-28T10:15:00+01:00';
const DATE_FIELDS = new Set(['occurredAt', 'startedAt', 'answeredAt', 'endedAt']);

/**
 * Parses the generic webhook body: one interaction event or an array of at most 500.
 * Valid events come back parsed; each invalid one is reported by its position with every failing field,
 * so a client can fix all of them in one go. Body-level problems use index -1 (WHOLE_BODY).
 */
export function parseIngestBody(body: unknown): IngestParseResult {
  if (Array.isArray(body)) {
    if (body.length > MAX_EVENTS_PER_REQUEST) {
      return bodyError(
        `has ${body.length} events; at most ${MAX_EVENTS_PER_REQUEST} are accepted per request: split it into several requests`,
      );
    }
    if (body.length === 0) return bodyError('is an empty array: send one event object or an array of 1 to 500 events');
    return parseEach(body);
  }
  if (isPlainObject(body)) return parseEach([body]);
  return bodyError(
    `must be a JSON object (one interaction event) or an array of events, got ${describeJsonType(body)}; ` +
      'e.g. {"id":"evt-1","type":"voice.ended","occurredAt":"' + ISO_EXAMPLE + '","interaction":{"id":"1764321300.42","channel":"voice"}}',
  );
}

function parseEach(items: unknown[]): IngestParseResult {
  const result: IngestParseResult = { events: [], rejected: [] };
  items.forEach((item, index) => {
    const parsed = interactionEventSchema.safeParse(item);
    if (parsed.success) {
      result.events.push(parsed.data);
      return;
    }
    const id = isPlainObject(item) && typeof item.id === 'string' ? item.id : undefined;
    result.rejected.push({ index, ...(id !== undefined ? { id } : {}), errors: describeIssues(parsed.error.issues, item) });
  });
  return result;
}

function bodyError(message: string): IngestParseResult {
  return { events: [], rejected: [{ index: WHOLE_BODY, errors: [{ field: 'body', message: `body ${message}` }] }] };
}

/**
 * Turns zod issues into `{field, message}` with a dotted path (`interaction.customer.phone`) and a
 * plain-English reason that says how to fix it. `input` is the value that was validated, used to tell
 * "missing" from "wrong type".
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown, rootName = 'event'): FieldError[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join('.') || rootName;
    return { field, message: `${field}: ${reason(issue, field, valueAt(input, issue.path))}` };
  });
}

function reason(issue: z.core.$ZodIssue, field: string, value: unknown): string {
  const leaf = field.split('.').at(-1) ?? field;
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `is required${hintFor(leaf)}`;
      return `must be ${article(issue.expected)}, got ${describeJsonType(value)}${hintFor(leaf)}`;
    case 'invalid_format':
      if (issue.format === 'datetime' || DATE_FIELDS.has(leaf)) {
        return `must be an ISO-8601 date-time with offset, e.g. ${ISO_EXAMPLE} (got ${JSON.stringify(value)})`;
      }
      if (leaf === 'type') return `must be "<channel>.<phase>" with channel one of ${CHANNELS.join(', ')}, e.g. voice.ended`;
      return `${issue.message}${hintFor(leaf)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(value)})`;
    case 'too_big':
      if (issue.origin === 'string') return `is too long: at most ${String(issue.maximum)} characters`;
      if (issue.origin === 'array') return `has too many items: at most ${String(issue.maximum)}`;
      return `must be at most ${String(issue.maximum)}`;
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'number') return `must be a number of seconds ≥ 0, e.g. 240 (got ${JSON.stringify(value)})`;
      return issue.message;
    default:
      return issue.message;
  }
}

const FIELD_HINTS: Record<string, string> = {
  id: ' (a unique id per event, e.g. "evt-1"; a repeated id is acknowledged and ignored)',
  type: ' ("<channel>.<phase>", e.g. "voice.ended")',
  occurredAt: ` (an ISO-8601 date-time with offset, e.g. "${ISO_EXAMPLE}")`,
  interaction: ' (an object with at least "id" and "channel")',
  channel: ` (one of ${CHANNELS.join(', ')})`,
  waitSec: ' (a number of seconds, e.g. 12)',
  talkSec: ' (a number of seconds, e.g. 240)',
  durationSec: ' (a number of seconds, e.g. 300)',
  tags: ' (an array of strings)',
  variables: ' (an object of free key/values)',
};

function hintFor(leaf: string): string {
  return FIELD_HINTS[leaf] ?? '';
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)})`;
  return `a ${typeof value}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// ---- authentication of ingest requests -------------------------------------------------------------

const SIGNATURE_PREFIX = 'sha256=';

/** `sha256=<hex>` HMAC of the exact request body bytes, the value of `X-Ctibridge-Signature`. */
export function signBody(rawBody: Buffer | string, secret: string): string {
  return SIGNATURE_PREFIX + createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Checks `X-Ctibridge-Signature: sha256=<hex>` against the raw body in constant time. */
export function verifyHmacSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header || secret.length === 0) return false;
  const trimmed = header.trim();
  if (trimmed.slice(0, SIGNATURE_PREFIX.length).toLowerCase() !== SIGNATURE_PREFIX) return false;
  const hex = trimmed.slice(SIGNATURE_PREFIX.length);
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}

/**
 * Checks `Authorization: Bearer <token>` against every configured token. Both sides are hashed first so
 * the comparison takes the same time whatever the lengths, and every token is compared (no early exit).
 */
export function verifyBearer(header: string | undefined, tokens: readonly string[]): boolean {
  if (!header) return false;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return false;
  const presented = sha256(match[1]);
  let ok = false;
  for (const token of tokens) {
    if (token.length === 0) continue;
    if (timingSafeEqual(presented, sha256(token))) ok = true;
  }
  return ok;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
