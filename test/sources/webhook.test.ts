import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_EVENTS_PER_REQUEST,
  parseIngestBody,
  signBody,
  verifyBearer,
  verifyHmacSignature,
} from '../../src/sources/webhook.ts';
import { sampleEvent } from '../../src/domain/sample.ts';

/** DESIGN.md's minimal event. */
const minimal = sampleEvent;

test('one event object is accepted as a batch of one', () => {
  const result = parseIngestBody(minimal);
  assert.deepEqual(result.rejected, []);
  assert.deepEqual(result.events, [minimal]);
});

test('an array keeps the valid events and reports each invalid one by position and id', () => {
  const bad = {
    ...minimal,
    id: 'evt-2',
    occurredAt: '2026-11-28 10:15:00',
    interaction: { ...minimal.interaction, customer: { phone: 393475550101 }, talkSec: -5 },
  };
  const result = parseIngestBody([minimal, bad, { ...minimal, id: 'evt-3' }]);
  assert.deepEqual(result.events.map((e) => e.id), ['evt-1', 'evt-3']);
  assert.equal(result.rejected.length, 1);
  const [rejected] = result.rejected;
  assert.equal(rejected.index, 1);
  assert.equal(rejected.id, 'evt-2');
  const byField = Object.fromEntries(rejected.errors.map((e) => [e.field, e.message]));
  assert.equal(
    byField.occurredAt,
    'occurredAt: must be an ISO-8601 date-time with offset, e.g. 2026-11-28T10:15:00+01:00 (got "2026-11-28 10:15:00")',
  );
  assert.match(byField['interaction.customer.phone'], /must be a string, got a number/);
  assert.match(byField['interaction.talkSec'], /seconds ≥ 0/);
});

test('missing fields are called required, with what to put there', () => {
  const [rejected] = parseIngestBody({ type: 'voice.ended' }).rejected;
  const byField = Object.fromEntries(rejected.errors.map((e) => [e.field, e.message]));
  assert.match(byField.id, /is required \(a unique id per event/);
  assert.match(byField.occurredAt, /is required .*2026-11-28T10:15:00\+01:00/);
  assert.match(byField.interaction, /is required/);
  assert.equal(rejected.id, undefined);
});

test('wrong type, channel mismatch and unknown channel are explained', () => {
  const badType = parseIngestBody({ ...minimal, type: 'phone-call' }).rejected[0].errors;
  assert.equal(badType[0].field, 'type');
  assert.match(badType[0].message, /"<channel>\.<phase>".*e\.g\. voice\.ended/);

  const mismatch = parseIngestBody({ ...minimal, type: 'chat.ended' }).rejected[0].errors;
  assert.deepEqual(mismatch.map((e) => e.field), ['type']);
  assert.match(mismatch[0].message, /must equal interaction\.channel/);

  const badChannel = parseIngestBody({ ...minimal, interaction: { ...minimal.interaction, channel: 'pigeon' } }).rejected[0].errors;
  assert.ok(badChannel.some((e) => e.field === 'interaction.channel' && /must be one of "voice", "chat"/.test(e.message)));
});

test('a body that is neither an object nor an array gets one clear error', () => {
  for (const body of ['hello', 42, null, undefined, true]) {
    const result = parseIngestBody(body);
    assert.deepEqual(result.events, []);
    assert.equal(result.rejected.length, 1);
    assert.equal(result.rejected[0].index, -1);
    assert.equal(result.rejected[0].errors[0].field, 'body');
    assert.match(result.rejected[0].errors[0].message, /must be a JSON object .* or an array of events/);
  }
  const emptyArray = parseIngestBody([]);
  assert.match(emptyArray.rejected[0].errors[0].message, /empty array/);
  const notAnEvent = parseIngestBody([minimal, 'oops']);
  assert.equal(notAnEvent.events.length, 1);
  assert.deepEqual(notAnEvent.rejected[0].errors, [{ field: 'event', message: 'event: must be an object, got a string ("oops")' }]);
});

test(`more than ${MAX_EVENTS_PER_REQUEST} events are refused as a whole, naming the limit`, () => {
  const many = Array.from({ length: MAX_EVENTS_PER_REQUEST + 1 }, (_, i) => ({ ...minimal, id: `evt-${i}` }));
  const result = parseIngestBody(many);
  assert.deepEqual(result.events, []);
  assert.match(result.rejected[0].errors[0].message, /501 events; at most 500/);
  assert.equal(parseIngestBody(many.slice(0, MAX_EVENTS_PER_REQUEST)).events.length, MAX_EVENTS_PER_REQUEST);
});

test('HMAC signatures: what signBody makes verifies; any change to body, secret or header does not', () => {
  const body = Buffer.from(JSON.stringify(minimal));
  const header = signBody(body, 'ingest-secret');
  assert.match(header, /^sha256=[0-9a-f]{64}$/);
  assert.equal(verifyHmacSignature(body, header, 'ingest-secret'), true);
  assert.equal(verifyHmacSignature(body, header.toUpperCase().replace('SHA256=', 'sha256='), 'ingest-secret'), true);
  assert.equal(verifyHmacSignature(Buffer.from(body.toString() + ' '), header, 'ingest-secret'), false);
  assert.equal(verifyHmacSignature(body, header, 'other-secret'), false);
  assert.equal(verifyHmacSignature(body, header.slice(0, -2), 'ingest-secret'), false);
  assert.equal(verifyHmacSignature(body, header.replace('sha256=', 'sha1='), 'ingest-secret'), false);
  assert.equal(verifyHmacSignature(body, undefined, 'ingest-secret'), false);
  assert.equal(verifyHmacSignature(body, header, ''), false);
});

test('bearer tokens: any configured token opens, anything else does not', () => {
  const tokens = ['tok-motion-1', 'tok-ci-2'];
  assert.equal(verifyBearer('Bearer tok-motion-1', tokens), true);
  assert.equal(verifyBearer('bearer tok-ci-2', tokens), true);
  assert.equal(verifyBearer('Bearer tok-motion', tokens), false);
  assert.equal(verifyBearer('Bearer tok-motion-1x', tokens), false);
  assert.equal(verifyBearer('Basic tok-motion-1', tokens), false);
  assert.equal(verifyBearer('tok-motion-1', tokens), false);
  assert.equal(verifyBearer(undefined, tokens), false);
  assert.equal(verifyBearer('Bearer ', ['']), false);
  assert.equal(verifyBearer('Bearer tok-motion-1', []), false);
});
