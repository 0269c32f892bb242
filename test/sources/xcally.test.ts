import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { interactionEventSchema } from '../../src/domain/interaction.ts';
import { mapXcallyPayload, type XcallyMapOptions } from '../../src/sources/xcally.ts';

const fixture = (name: string): Record<string, unknown> => {
  const raw = readFileSync(new URL(`../fixtures/xcally/${name}`, import.meta.url), 'utf8');
  // Motion's form-encoded bodies arrive parsed by @fastify/formbody, i.e. URLSearchParams semantics.
  return name.endsWith('.txt') ? Object.fromEntries(new URLSearchParams(raw)) : JSON.parse(raw);
};
const opts: XcallyMapOptions = { receivedAt: new Date('2026-11-28T12:00:00Z'), defaultRegion: 'IT' };

function mapOk(payload: Record<string, unknown>, options: XcallyMapOptions = opts) {
  const result = mapXcallyPayload(payload, options);
  if (!result.ok) assert.fail(`expected a mapped event, got errors: ${JSON.stringify(result.errors)}`);
  assert.ok(interactionEventSchema.safeParse(result.event).success);
  return result.event;
}

function mapErrors(payload: Record<string, unknown>, options: XcallyMapOptions = opts) {
  const result = mapXcallyPayload(payload, options);
  if (result.ok) assert.fail(`expected errors, got ${JSON.stringify(result.event)}`);
  return result.errors;
}

test('an answered inbound queue call ends as voice.ended with caller, contact, agent, times in the server zone', () => {
  const event = mapOk(fixture('voice-inbound-answered.json'));
  assert.equal(event.id, 'xcally:voice:1764321300.42:ended');
  assert.equal(event.type, 'voice.ended');
  assert.equal(event.occurredAt, '2026-11-28T10:15:00+01:00');
  const i = event.interaction;
  assert.equal(i.id, '1764321300.42');
  assert.equal(i.direction, 'inbound');
  assert.equal(i.queue, 'support');
  assert.deepEqual(i.customer, { phone: '3475550101', email: 'mario.rossi@example.it', name: 'Mario Rossi' });
  assert.deepEqual(i.agent, { name: 'Marta Rossi', email: 'marta.rossi@contactco.example', extension: '1001' });
  assert.equal(i.startedAt, '2026-11-28T10:10:00+01:00');
  assert.equal(i.answeredAt, '2026-11-28T10:10:18+01:00');
  assert.equal(i.endedAt, '2026-11-28T10:15:00+01:00');
  assert.deepEqual([i.waitSec, i.talkSec, i.durationSec], [18, 242, 300]);
  assert.equal(i.disposition, 'ANSWERED');
  assert.equal(i.recordingUrl, 'https://motion.contactco.example/recordings/1764321300.42.wav');
});

test('every Motion variable that is not mapped is kept in variables, nested ones in their original shape', () => {
  const event = mapOk(fixture('voice-inbound-answered.json'));
  assert.deepEqual(event.interaction.variables, {
    linkedid: '1764321300.41',
    destination: '0287654321',
    contact: { id: '5812', city: 'Milano', ListId: '3' },
    accountcode: 'IT-SUPPORT',
    survey_score: '5',
    dispositionRaw: 'ANSWERED',
    customerPhoneE164: '+393475550101',
  });
});

test('a form-encoded abandoned call: phase, normalised disposition with the original kept, Asterisk channel kept', () => {
  const event = mapOk(fixture('voice-abandoned.form.txt'));
  assert.equal(event.id, 'xcally:voice:1764322500.77:abandoned');
  assert.equal(event.type, 'voice.abandoned');
  assert.equal(event.occurredAt, '2026-11-28T10:36:35+01:00', 'Europe/Zurich from the timezone field');
  assert.equal(event.interaction.disposition, 'ABANDONED');
  assert.equal(event.interaction.variables?.dispositionRaw, 'ABANDON');
  assert.equal(event.interaction.waitSec, 95);
  assert.deepEqual(event.interaction.customer, { phone: '+41445550123' });
  assert.equal(event.interaction.agent, undefined);
  // `channel` held an Asterisk channel, not a ctibridge channel: it is kept, and voice is inferred.
  assert.equal(event.interaction.channel, 'voice');
  assert.equal(event.interaction.variables?.channel, 'PJSIP/messagenet-00000031');
  assert.equal(event.interaction.variables?.position, '4');
});

test('an outbound call: the customer is the called party, the agent is not mistaken for the customer', () => {
  const event = mapOk(fixture('voice-outbound.json'));
  const i = event.interaction;
  assert.equal(i.direction, 'outbound');
  assert.deepEqual(i.customer, { phone: '+39 06 5550 1234', name: 'Acme Srl', salesforceId: '003AB00000K9xYzQAJ' });
  assert.deepEqual(i.agent, { name: 'Luca Verdi', email: 'luca.verdi@contactco.example', extension: '1002' });
  assert.equal(i.talkSec, 75);
  assert.equal(i.variables?.calleridnum, '1002');
  assert.equal(i.variables?.outboundRoute, 'IT-mobile');
  assert.equal(i.variables?.customerPhoneE164, '+390655501234');
  assert.equal(event.occurredAt, '2026-11-28T13:01:30+00:00', 'no timezone anywhere: UTC');
});

test('the timezone option applies when the payload has none', () => {
  const event = mapOk(fixture('voice-outbound.json'), { ...opts, timezone: 'Europe/Rome' });
  assert.equal(event.occurredAt, '2026-11-28T13:01:30+01:00');
  const summer = mapOk({ ...fixture('voice-outbound.json'), endtime: '2026-07-01 13:01:30' }, { ...opts, timezone: 'Europe/Rome' });
  assert.equal(summer.interaction.endedAt, '2026-07-01T13:01:30+02:00');
});

test('a chat closed: channel inferred from ChatWebsiteId, visitor as customer, transcript and agent disposition', () => {
  const event = mapOk(fixture('chat-closed.json'));
  assert.equal(event.id, 'xcally:chat:9931:ended');
  assert.equal(event.type, 'chat.ended');
  assert.deepEqual(event.interaction.customer, { email: 'anna.neri@example.org', name: 'Anna Neri' });
  assert.equal(event.interaction.disposition, 'Solved', 'an agent-chosen disposition is kept as is');
  assert.match(event.interaction.transcript ?? '', /invoice is wrong/);
  assert.equal(event.interaction.endedAt, '2026-11-28T11:14:55+00:00');
  assert.deepEqual(event.interaction.variables, {
    ChatWebsiteId: '2',
    browser: 'Firefox 133',
    referer: 'https://shop.example.org/account/invoices',
    dispositionRaw: 'Solved',
  });
});

test('a mail received: sender parsed into name and address, message id in the event id', () => {
  const event = mapOk(fixture('mail-received.json'));
  assert.equal(event.type, 'email.message');
  assert.equal(event.id, 'xcally:email:4410:message:<CAF=abc123@mail.example.com>');
  assert.deepEqual(event.interaction.customer, { email: 'giulia.bianchi@example.com', name: 'Giulia Bianchi' });
  assert.equal(event.interaction.subject, 'Order 55021 arrived damaged');
  assert.match(event.interaction.body ?? '', /broken corner/);
  assert.equal(event.interaction.startedAt, '2026-11-28T09:41:07+01:00', 'an ISO date with offset is kept');
  assert.equal(event.interaction.variables?.to, 'support@contactco.example');
});

test('a WhatsApp message without a message id: same payload → same id, another message → another id', () => {
  const payload = fixture('whatsapp-message.json');
  const first = mapOk(payload);
  assert.equal(first.type, 'whatsapp.message');
  assert.equal(first.interaction.direction, 'inbound');
  assert.deepEqual(first.interaction.customer, { phone: '+39 347 555 0199', name: 'Paolo Gialli' });
  assert.match(first.id, /^xcally:whatsapp:7702:message:[0-9a-f]{16}$/);

  const retried = mapOk(JSON.parse(JSON.stringify(payload)), { ...opts, receivedAt: new Date('2026-11-28T12:00:09Z') });
  assert.equal(retried.id, first.id, 'a retried POST is the same event');
  const next = mapOk({ ...payload, body: 'Any news?' });
  assert.notEqual(next.id, first.id);
});

test('a retried call end is the same event; the answer of the same call is a different one', () => {
  const ended = mapOk(fixture('voice-inbound-answered.json'));
  const again = mapOk(fixture('voice-inbound-answered.json'), { ...opts, receivedAt: new Date('2026-11-28T18:00:00Z') });
  assert.deepEqual(again, ended);
  const answered = mapOk({ ...fixture('voice-inbound-answered.json'), event: 'Answer' });
  assert.equal(answered.id, 'xcally:voice:1764321300.42:answered');
  assert.equal(answered.occurredAt, '2026-11-28T10:10:18+01:00');
});

test('spelling of Motion variable names does not matter: flat, nested, form-bracket and snake_case agree', () => {
  const nested = mapOk({ channel: 'voice', event: 'hangup', uniqueid: '1.1', contact: { firstName: 'Ada', phone: '021234567' } });
  const bracket = mapOk({ channel: 'voice', event: 'hangup', uniqueid: '1.1', 'contact[firstName]': 'Ada', contact_phone: '021234567' });
  const flat = mapOk({ channel: 'voice', event: 'hangup', uniqueid: '1.1', contactFirstName: 'Ada', contactPhone: '021234567' });
  assert.deepEqual(nested.interaction.customer, { name: 'Ada', phone: '021234567' });
  assert.deepEqual(bracket.interaction.customer, nested.interaction.customer);
  assert.deepEqual(flat.interaction.customer, nested.interaction.customer);
});

test('unfilled Motion placeholders and empty values are not mapped but kept', () => {
  const event = mapOk({ channel: 'voice', event: 'hangup', uniqueid: '2.2', calleridnum: '{{calleridnum}}', queue: '' });
  assert.equal(event.interaction.customer, undefined);
  assert.equal(event.interaction.queue, undefined);
  assert.equal(event.interaction.variables?.calleridnum, '{{calleridnum}}');
});

test('an agent given as an Asterisk channel becomes the extension; a malformed Salesforce id stays a variable', () => {
  const event = mapOk({ channel: 'voice', event: 'answer', uniqueid: '3.3', agent: 'PJSIP/1007-00000012', salesforceId: 'not-an-id' });
  assert.deepEqual(event.interaction.agent, { extension: '1007' });
  assert.equal(event.interaction.customer, undefined);
  assert.equal(event.interaction.variables?.salesforceId, 'not-an-id');
});

test('the phase is inferred from what the call carries when no event is sent', () => {
  assert.equal(mapOk({ uniqueid: '4.4', disposition: 'NO ANSWER', endtime: '2026-11-28 10:00:00' }).type, 'voice.ended');
  assert.equal(mapOk({ uniqueid: '4.4', answertime: '2026-11-28 10:00:00' }).type, 'voice.answered');
  assert.equal(mapOk({ uniqueid: '4.4', disposition: 'abandon' }).type, 'voice.abandoned');
  assert.equal(mapOk({ uniqueid: '4.4', event: 'Reject' }).type, 'voice.missed');
  assert.equal(mapOk({ uniqueid: '4.4', callStatus: 'Ring' }).type, 'voice.ringing');
});

test('errors name the Motion field and say how to fix it', () => {
  const noId = mapErrors({ channel: 'voice', event: 'hangup', calleridnum: '123' });
  assert.equal(noId[0].field, 'uniqueid');
  assert.match(noId[0].message, /\{\{uniqueid\}\}/);

  const noChannel = mapErrors({ foo: 'bar' });
  assert.equal(noChannel[0].field, 'channel');
  assert.match(noChannel[0].message, /voice, chat, mail, sms, whatsapp, openchannel/);

  const badDate = mapErrors({ uniqueid: '5.5', event: 'hangup', starttime: '28/11/2026 10:00', billsec: 'abc' });
  assert.deepEqual(badDate.map((e) => e.field), ['starttime', 'billsec']);
  assert.match(badDate[0].message, /YYYY-MM-DD HH:mm:ss/);
  assert.match(badDate[1].message, /number of seconds/);

  const noPhase = mapErrors({ uniqueid: '6.6', calleridnum: '123' });
  assert.equal(noPhase[0].field, 'event');

  const badZone = mapErrors({ uniqueid: '7.7', event: 'hangup', timezone: 'Mars/Olympus' });
  assert.equal(badZone[0].field, 'timezone');
  assert.match(badZone[0].message, /Europe\/Rome/);

  const tooLong = mapErrors({ uniqueid: '8.8', event: 'hangup', queue: 'q'.repeat(300) });
  assert.equal(tooLong[0].field, 'queue');
  assert.match(tooLong[0].message, /at most 255 characters.*from Motion variable "queue"/);
});
