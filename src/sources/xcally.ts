import { createHash } from 'node:crypto';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { interactionEventSchema, type Channel, type InteractionEvent } from '../domain/interaction.ts';
import { describeIssues, type FieldError } from './webhook.ts';
import { CHANNEL_SIGNALS, FIELDS } from './xcally/fields.ts';
import { MotionPayload } from './xcally/payload.ts';
import { dateToIso, parseZone, toIsoWithOffset, toSeconds, type Zone } from './xcally/time.ts';
import { channelFromWord, directionFromWord, normaliseDisposition, phaseFromWord, type Direction } from './xcally/vocabulary.ts';

/**
 * XCALLY Motion → interaction event. Motion posts whatever body the admin built from its trigger
 * variables (form fields or JSON, flat or nested); this maps it onto ctibridge's interaction event.
 * Pure: the same payload and options always give the same event, so a POST Motion retries gets the same
 * event id and is deduplicated at ingest. Nothing Motion sent is lost: every variable not mapped onto
 * a field is kept in `interaction.variables` under its original name.
 */

export type XcallyMapOptions = {
  /** When ctibridge received the request; the event time when Motion sends none. */
  receivedAt: Date;
  /** ISO 3166 region for reading national phone numbers (e.g. "IT"), as CTIBRIDGE_DEFAULT_REGION. */
  defaultRegion?: string;
  /** Zone of Motion's server clock ("Europe/Rome" or "+01:00"); a `timezone` field in the payload wins. Default UTC. */
  timezone?: string;
};

export type XcallyMapResult = { ok: true; event: InteractionEvent } | { ok: false; errors: FieldError[] };

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const ASTERISK_CHANNEL = /^(?:PJSIP|SIP|IAX2|Local|DAHDI|Agent)\/([^@\-/;]+)/i;
const END_PHASES = new Set(['ended', 'abandoned', 'missed']);

export function mapXcallyPayload(payload: Record<string, unknown>, opts: XcallyMapOptions): XcallyMapResult {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return { ok: false, errors: [{ field: 'body', message: 'body: must be an object of Motion variables (form fields or JSON)' }] };
  }
  const p = new MotionPayload(payload);
  const errors: FieldError[] = [];
  /** Which Motion variable fed which event field, so schema errors can name what the admin wrote. */
  const origin = new Map<string, string>();
  const fail = (field: string, message: string): void => void errors.push({ field, message: `${field}: ${message}` });

  const zone = readZone(p, opts, fail);
  const channel = readChannel(p, fail);
  if (!channel) return { ok: false, errors };

  const idField = p.take(channel === 'voice' ? FIELDS.voiceInteractionId : FIELDS.interactionId);
  if (!idField) {
    fail(
      channel === 'voice' ? 'uniqueid' : 'interactionId',
      channel === 'voice'
        ? 'is required to tie the events of one call together: add "uniqueid": "{{uniqueid}}" to the body'
        : 'is required to tie the messages of one conversation together: add "interactionId" with the Motion interaction id',
    );
  } else origin.set('interaction.id', idField.key);

  const explicitPhase = p.take(FIELDS.phase, phaseFromWord);
  const direction = p.take(FIELDS.direction, directionFromWord)?.value;

  const time = (names: readonly string[], path: string): string | undefined => {
    const field = p.take(names);
    if (!field) return undefined;
    const iso = zone ? toIsoWithOffset(field.value, zone) : undefined;
    if (zone && !iso) fail(field.key, `must be a date Motion sends as "YYYY-MM-DD HH:mm:ss" (or ISO-8601), got ${JSON.stringify(field.value)}`);
    if (iso) origin.set(path, field.key);
    return iso;
  };
  const seconds = (names: readonly string[], path: string): number | undefined => {
    const field = p.take(names);
    if (!field) return undefined;
    const value = toSeconds(field.value);
    if (value === undefined) fail(field.key, `must be a number of seconds (e.g. 240) or HH:MM:SS, got ${JSON.stringify(field.value)}`);
    else origin.set(path, field.key);
    return value;
  };
  const text = (names: readonly string[], path: string): string | undefined => {
    const field = p.take(names);
    if (field) origin.set(path, field.key);
    return field?.value;
  };

  const startedAt = time(FIELDS.startedAt, 'interaction.startedAt');
  const answeredAt = time(FIELDS.answeredAt, 'interaction.answeredAt');
  const endedAt = time(FIELDS.endedAt, 'interaction.endedAt');
  const waitSec = seconds(FIELDS.waitSec, 'interaction.waitSec');
  const talkSec = seconds(FIELDS.talkSec, 'interaction.talkSec');
  const durationSec = seconds(FIELDS.durationSec, 'interaction.durationSec');
  const dispositionRaw = text(FIELDS.disposition, 'interaction.disposition');
  const disposition = dispositionRaw === undefined ? undefined : normaliseDisposition(dispositionRaw);
  const queue = text(FIELDS.queue, 'interaction.queue');
  const recordingUrl = text(FIELDS.recordingUrl, 'interaction.recordingUrl');
  const subject = text(FIELDS.subject, 'interaction.subject');
  const body = text(FIELDS.body, 'interaction.body');
  const transcript = text(FIELDS.transcript, 'interaction.transcript');
  const tags = readTags(p);
  const customer = readCustomer(p, channel, direction);
  const agent = readAgent(p);
  const messageId = p.take(FIELDS.messageId)?.value;
  const explicitEventId = p.take(FIELDS.eventId)?.value;

  const phase =
    explicitPhase?.value ??
    inferPhase(channel, { disposition, endedAt, answeredAt, talkSec, durationSec, body });
  if (!phase) {
    fail(
      'event',
      `could not tell which moment of the ${channel} interaction this is: add "event" with one of ` +
        'ring, answer, hangup, abandon, reject, transfer, closed, message (e.g. "event": "hangup" in an on-hangup trigger)',
    );
  }

  const occurredAtField = p.take(FIELDS.occurredAt);
  let occurredAt: string | undefined;
  if (occurredAtField && zone) {
    occurredAt = toIsoWithOffset(occurredAtField.value, zone);
    if (!occurredAt) fail(occurredAtField.key, `must be a date ("YYYY-MM-DD HH:mm:ss" or ISO-8601), got ${JSON.stringify(occurredAtField.value)}`);
  }
  p.consume(FIELDS.timezone);

  if (errors.length > 0 || !idField || !phase || !zone) return { ok: false, errors };

  occurredAt ??= momentOf(phase, { startedAt, answeredAt, endedAt }) ?? dateToIso(opts.receivedAt, zone);

  const variables: Record<string, unknown> = p.unused();
  if (dispositionRaw !== undefined) variables.dispositionRaw = dispositionRaw;
  const e164 = customer.phone ? toE164(customer.phone, opts.defaultRegion) : undefined;
  if (e164) variables.customerPhoneE164 = e164;
  if (messageId !== undefined) variables.messageId = messageId;

  const event = {
    id: eventId({ explicit: explicitEventId, channel, interactionId: idField.value, phase, messageId, payload }),
    type: `${channel}.${phase}`,
    occurredAt,
    interaction: dropUndefined({
      id: idField.value,
      channel,
      direction,
      queue,
      customer: nonEmpty(dropUndefined(customer)),
      agent: nonEmpty(dropUndefined(agent)),
      startedAt,
      answeredAt,
      endedAt,
      waitSec,
      talkSec,
      durationSec,
      disposition,
      recordingUrl,
      transcript,
      subject,
      body,
      tags,
      variables: nonEmpty(variables),
    }),
  };

  const parsed = interactionEventSchema.safeParse(event);
  if (parsed.success) return { ok: true, event: parsed.data };
  return {
    ok: false,
    errors: describeIssues(parsed.error.issues, event).map((error) => {
      const from = origin.get(error.field);
      return from ? { field: from, message: `${error.message} (from Motion variable "${from}")` } : error;
    }),
  };
}

function readZone(p: MotionPayload, opts: XcallyMapOptions, fail: (field: string, message: string) => void): Zone | undefined {
  const field = p.take(FIELDS.timezone);
  const zone = parseZone(field?.value ?? opts.timezone);
  if (!zone) {
    fail(
      field ? field.key : 'timezone',
      `must be an IANA zone like "Europe/Rome" or an offset like "+01:00", got ${JSON.stringify(field?.value ?? opts.timezone)}`,
    );
  }
  return zone;
}

function readChannel(p: MotionPayload, fail: (field: string, message: string) => void): Channel | undefined {
  // An Asterisk channel name in `channel` (PJSIP/1001-…) is not ours: it is left alone and kept as a variable.
  const explicit = p.take(FIELDS.channel, channelFromWord);
  if (explicit) return explicit.value;
  for (const [channel, signals] of CHANNEL_SIGNALS) if (p.has(signals)) return channel;
  fail('channel', 'could not tell the channel: add "channel" with one of voice, chat, mail, sms, whatsapp, openchannel');
  return undefined;
}

type Customer = { phone?: string; email?: string; name?: string; salesforceId?: string };

function readCustomer(p: MotionPayload, channel: Channel, direction: Direction | undefined): Customer {
  const outbound = direction === 'outbound';
  const customer: Customer = {};

  if (channel === 'voice') {
    // The customer is the caller on inbound calls and the called party on outbound ones.
    const number = outbound ? p.take(FIELDS.calledNumber) : p.take(FIELDS.callerNumber, realCallerId);
    customer.phone = number?.value;
    const callerIdName = p.take(outbound ? FIELDS.calledName : FIELDS.callerName, realCallerId)?.value;
    customer.name = contactName(p) ?? (callerIdName !== customer.phone ? callerIdName : undefined);
  } else if (channel === 'email') {
    const address = p.take(outbound ? FIELDS.to : FIELDS.from, parseMailbox)?.value;
    customer.email = address?.email;
    customer.name = contactName(p) ?? address?.name;
  } else {
    const handle = p.take(outbound ? FIELDS.to : FIELDS.from, phoneLike)?.value;
    customer.phone = handle;
    customer.name = contactName(p);
  }

  customer.phone ??= p.take(FIELDS.customerPhone)?.value ?? p.take(FIELDS.customerMobile)?.value;
  customer.email ??= p.take(FIELDS.customerEmail)?.value;
  // A malformed Salesforce id is not guessed at: it stays in variables and the lookup goes by phone/email.
  customer.salesforceId = p.take(FIELDS.salesforceId, (id) => (SALESFORCE_ID.test(id) ? id : undefined))?.value;
  return customer;
}

function contactName(p: MotionPayload): string | undefined {
  const full = p.take(FIELDS.customerName)?.value;
  if (full) return full;
  const parts = [p.take(FIELDS.firstName)?.value, p.take(FIELDS.lastName)?.value].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function readAgent(p: MotionPayload): { id?: string; name?: string; email?: string; extension?: string } {
  return {
    name: p.take(FIELDS.agentName, (name) => (ASTERISK_CHANNEL.test(name) ? undefined : name))?.value,
    extension: p.take(FIELDS.agentExtension, (value) => ASTERISK_CHANNEL.exec(value)?.[1] ?? (/^\d{1,15}$/.test(value) ? value : undefined))?.value,
    email: p.take(FIELDS.agentEmail)?.value,
    id: p.take(FIELDS.agentId)?.value,
  };
}

function readTags(p: MotionPayload): string[] | undefined {
  const field = p.takeRaw(FIELDS.tags);
  if (!field) return undefined;
  const list = Array.isArray(field.value) ? field.value.map(String) : String(field.value).split(',');
  const tags = list.map((tag) => tag.trim()).filter((tag) => tag.length > 0);
  return tags.length > 0 ? tags : undefined;
}

/** Asterisk fills caller id with placeholders when there is none. */
function realCallerId(value: string): string | undefined {
  return /^(?:<unknown>|unknown|anonymous|restricted|private)$/i.test(value) ? undefined : value;
}

function phoneLike(value: string): string | undefined {
  return /^\+?[\d\s().-]{5,}$/.test(value) && (value.match(/\d/g)?.length ?? 0) >= 5 ? value : undefined;
}

/** `Mario Rossi <mario@example.com>` or a bare address. */
function parseMailbox(value: string): { email: string; name?: string } | undefined {
  const angle = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
  if (angle) return angle[1] ? { email: angle[2], name: angle[1] } : { email: angle[2] };
  return /^[^\s@<>]+@[^\s@<>]+$/.test(value) ? { email: value } : undefined;
}

type PhaseSignals = {
  disposition?: string;
  endedAt?: string;
  answeredAt?: string;
  talkSec?: number;
  durationSec?: number;
  body?: string;
};

/** When Motion's body says nothing about the moment, what it carries does. */
function inferPhase(channel: Channel, s: PhaseSignals): string | undefined {
  if (s.disposition === 'ABANDONED') return 'abandoned';
  const finished = s.endedAt !== undefined || s.disposition !== undefined || s.durationSec !== undefined || s.talkSec !== undefined;
  if (channel === 'voice') {
    if (finished) return 'ended';
    if (s.answeredAt !== undefined) return 'answered';
    return undefined;
  }
  if (finished) return 'ended';
  if (s.body !== undefined) return 'message';
  return undefined;
}

function momentOf(phase: string, t: { startedAt?: string; answeredAt?: string; endedAt?: string }): string | undefined {
  if (END_PHASES.has(phase)) return t.endedAt;
  if (phase === 'answered') return t.answeredAt;
  if (phase === 'started' || phase === 'ringing') return t.startedAt;
  return undefined;
}

/**
 * `xcally:<channel>:<interaction id>:<phase>` so the same trigger firing twice (a retried POST) is one
 * event. Messages repeat within a conversation, so they add the message id, or else a digest of the
 * whole payload (a retry sends the same bytes, a new message does not).
 */
function eventId(a: {
  explicit?: string;
  channel: Channel;
  interactionId: string;
  phase: string;
  messageId?: string;
  payload: Record<string, unknown>;
}): string {
  if (a.explicit) return `xcally:${a.explicit}`;
  const base = `xcally:${a.channel}:${a.interactionId}:${a.phase}`;
  if (a.messageId) return `${base}:${a.messageId}`;
  if (a.phase === 'message') return `${base}:${digest(a.payload)}`;
  return base;
}

function digest(payload: Record<string, unknown>): string {
  return createHash('sha256').update(stableJson(payload)).digest('hex').slice(0, 16);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function toE164(phone: string, region: string | undefined): string | undefined {
  const parsed = parsePhoneNumberFromString(phone, region as CountryCode | undefined);
  return parsed?.isValid() ? parsed.number : undefined;
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function nonEmpty<T extends Record<string, unknown>>(value: T): T | undefined {
  return Object.keys(value).length > 0 ? value : undefined;
}
