import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interactionEventSchema, type InteractionEvent } from '../../src/domain/interaction.ts';
import { AmiCallTracker, extensionOf } from '../../src/sources/ami/calls.ts';
import { AmiParser, formatAction, type AmiMessage } from '../../src/sources/ami/protocol.ts';
import type { AmiCallRulesInput } from '../../src/sources/ami/rules.ts';
import { loadTranscript } from './ami-server.ts';

const RULES: AmiCallRulesInput = { trunkChannelPrefixes: ['PJSIP/telco-'], recordingBaseUrl: 'https://pbx.example.com/recordings' };
const RECEIVED = new Date('2030-01-01T00:00:00Z');

function messagesOf(name: string, transform: (text: string) => string = (text) => text): AmiMessage[] {
  const parser = new AmiParser();
  const frames = parser.push(`Asterisk Call Manager/7.0.3\r\n${transform(loadTranscript(name).join('')).replace(/\n/g, '\r\n')}`);
  return frames.flatMap((frame) => (frame.kind === 'message' ? [frame.message] : []));
}

function replay(name: string, rules: AmiCallRulesInput = RULES, tracker = new AmiCallTracker(rules)): InteractionEvent[] {
  const events = messagesOf(name).flatMap((message) => tracker.handle(message, RECEIVED));
  for (const event of events) interactionEventSchema.parse(event);
  return events;
}

const byType = (events: InteractionEvent[]): Record<string, InteractionEvent> => Object.fromEntries(events.map((e) => [e.type, e]));

describe('AMI wire format', () => {
  it('reads messages split anywhere, with CRLF or bare LF line ends', () => {
    const wire = 'Asterisk Call Manager/7.0.3\r\nResponse: Success\r\nActionID: 1\r\nMessage: Authentication accepted\r\n\r\nEvent: FullyBooted\nPrivilege: system,all\nStatus: Fully Booted\n\n';
    const parser = new AmiParser();
    const frames = [...wire].flatMap((char) => parser.push(char));
    assert.deepEqual(frames, [
      { kind: 'banner', version: '7.0.3', text: 'Asterisk Call Manager/7.0.3' },
      { kind: 'message', message: { Response: 'Success', ActionID: '1', Message: 'Authentication accepted' } },
      { kind: 'message', message: { Event: 'FullyBooted', Privilege: 'system,all', Status: 'Fully Booted' } },
    ]);
  });

  it('keeps colons inside values and empty values', () => {
    const parser = new AmiParser();
    const frames = parser.push('Asterisk Call Manager/5.0.1\r\nEvent: VarSet\r\nValue: sip:201@192.0.2.41:5060\r\nAccountCode: \r\n\r\n');
    assert.deepEqual(frames[1], { kind: 'message', message: { Event: 'VarSet', Value: 'sip:201@192.0.2.41:5060', AccountCode: '' } });
  });

  it('refuses a server that is not Asterisk', () => {
    assert.throws(() => new AmiParser().push('SSH-2.0-OpenSSH_9.6\r\n'), { code: 'AMI_PROTOCOL' });
  });

  it('refuses action values that would inject another line', () => {
    assert.throws(() => formatAction([['Action', 'Originate'], ['Exten', '201\r\nAction: Command']]), { code: 'AMI_INVALID_ACTION' });
    assert.equal(formatAction([['Action', 'Ping'], ['ActionID', '7']]), 'Action: Ping\r\nActionID: 7\r\n\r\n');
  });

  it('finds the extension in channel names and queue interfaces', () => {
    assert.equal(extensionOf('PJSIP/201-0000000c'), '201');
    assert.equal(extensionOf('Local/201@from-queue-00000004;1'), '201');
    assert.equal(extensionOf('Local/201@from-queue/n'), '201');
    assert.equal(extensionOf('SIP/3001'), '3001');
    assert.equal(extensionOf('garbage'), undefined);
  });
});

describe('AMI calls → interaction events', () => {
  it('an answered queue call: started, ringing, answered with the member, ended with times and recording', () => {
    const events = replay('queue-answered.txt');
    assert.deepEqual(
      events.map((e) => e.id),
      ['started', 'ringing', 'answered', 'ended'].map((phase) => `ami:1764324600.11:${phase}`),
    );
    const { 'voice.started': started, 'voice.answered': answered, 'voice.ended': ended } = byType(events);
    assert.equal(started.occurredAt, '2025-11-28T10:10:00.105Z');
    assert.deepEqual(started.interaction.customer, { phone: '3475550101', name: 'Mario Bianchi' });
    assert.equal(started.interaction.direction, 'inbound');
    assert.deepEqual(answered.interaction.agent, { id: 'Local/201@from-queue/n', name: 'Marta Rossi', extension: '201' });
    assert.equal(answered.interaction.queue, '400');
    assert.equal(answered.interaction.answeredAt, '2025-11-28T10:10:08.300Z');
    assert.deepEqual(
      {
        disposition: ended.interaction.disposition,
        waitSec: ended.interaction.waitSec,
        talkSec: ended.interaction.talkSec,
        durationSec: ended.interaction.durationSec,
        endedAt: ended.interaction.endedAt,
        recordingUrl: ended.interaction.recordingUrl,
        did: ended.interaction.variables?.did,
      },
      {
        disposition: 'ANSWERED',
        waitSec: 8,
        talkSec: 120,
        durationSec: 129,
        endedAt: '2025-11-28T10:12:08.630Z',
        recordingUrl: 'https://pbx.example.com/recordings/2025/11/28/q-400-3475550101-20251128-101009-1764324600.11.wav',
        did: '0212345678',
      },
    );
  });

  it('a caller who gives up in the queue is abandoned, once, with the hold time', () => {
    const events = replay('queue-abandoned.txt');
    assert.deepEqual(events.map((e) => e.type), ['voice.started', 'voice.ringing', 'voice.abandoned']);
    const abandoned = events[2];
    assert.equal(abandoned.id, 'ami:1764325800.21:abandoned');
    assert.equal(abandoned.interaction.disposition, 'ABANDONED');
    assert.equal(abandoned.interaction.waitSec, 25);
    assert.equal(abandoned.interaction.talkSec, 0);
    assert.equal(abandoned.interaction.customer?.phone, '+390612345678');
    assert.equal(abandoned.interaction.customer?.name, undefined, '<unknown> caller names are dropped');
  });

  it('a blind transfer is reported and the call ends on the agent who took it', () => {
    const events = replay('blind-transfer.txt');
    assert.deepEqual(events.map((e) => e.type), ['voice.started', 'voice.ringing', 'voice.answered', 'voice.transferred', 'voice.ended']);
    const { 'voice.answered': answered, 'voice.transferred': transferred, 'voice.ended': ended } = byType(events);
    assert.equal(answered.interaction.agent?.extension, '201');
    assert.equal(transferred.interaction.variables?.transferTarget, '202');
    assert.equal(transferred.occurredAt, '2025-11-28T10:50:46.353Z');
    assert.equal(ended.interaction.agent?.extension, '202');
    assert.equal(ended.interaction.talkSec, 104, 'talk time spans both agents');
    assert.equal(ended.interaction.durationSec, 110);
  });

  it('an outbound call from an extension over the trunk: customer is the dialed number, agent the extension', () => {
    const events = replay('outbound.txt');
    assert.deepEqual(events.map((e) => e.type), ['voice.started', 'voice.ringing', 'voice.answered', 'voice.ended']);
    const ended = events[3];
    assert.equal(ended.interaction.direction, 'outbound');
    assert.deepEqual(ended.interaction.customer, { phone: '00393475550199' });
    assert.deepEqual(ended.interaction.agent, { id: '201', name: 'Marta Rossi', extension: '201' });
    assert.equal(ended.interaction.waitSec, 12);
    assert.equal(ended.interaction.talkSec, 95);
    // FreePBX's CALLFILENAME has no extension: the configured format is added.
    assert.equal(ended.interaction.recordingUrl, 'https://pbx.example.com/recordings/out-00393475550199-201-20251128-103000-1764328200.41.wav');
  });

  it('a queue call nobody answers is missed, naming the member who let it ring', () => {
    const events = replay('ring-no-answer.txt');
    assert.deepEqual(events.map((e) => e.type), ['voice.started', 'voice.ringing', 'voice.missed']);
    const missed = events[2];
    assert.equal(missed.interaction.disposition, 'NO ANSWER');
    assert.equal(missed.interaction.queue, '401');
    assert.equal(missed.interaction.agent?.name, 'Luca Verdi');
    assert.deepEqual(missed.interaction.variables?.ringNoAnswer, ['Luca Verdi']);
  });

  it('click-to-dial: the agent phone ringing first is not the call being answered', () => {
    const events = replay('click-to-dial.txt');
    const { 'voice.answered': answered, 'voice.ended': ended } = byType(events);
    assert.equal(answered.interaction.answeredAt, '2025-11-28T11:50:09.801Z', 'answered when the customer picks up');
    assert.equal(ended.interaction.direction, 'outbound');
    assert.equal(ended.interaction.customer?.phone, '3475550101');
    assert.deepEqual(ended.interaction.agent, { id: '201', extension: '201' }, "the caller id shown on the agent's phone is not the agent's name");
  });

  it('an attended transfer follows the consulted agent into the call; the consultation ends on its own', () => {
    const tracker = new AmiCallTracker(RULES);
    const chan = (name: string, uniqueid: string, linkedid: string, extra: AmiMessage = {}): AmiMessage => ({
      Channel: name, Uniqueid: uniqueid, Linkedid: linkedid, CallerIDNum: '3335550142', CallerIDName: 'Anna Neri', Context: 'from-pstn', Exten: '0212345679', ...extra,
    });
    const dest = (message: AmiMessage): AmiMessage => Object.fromEntries(Object.entries(message).map(([k, v]) => [`Dest${k}`, v]));
    const caller = chan('PJSIP/telco-00000050', '10.1', '10.1');
    const marta = chan('PJSIP/201-00000051', '10.2', '10.1', { CallerIDNum: '201', Context: 'from-internal', Exten: '201' });
    const consult = chan('PJSIP/201-00000052', '20.1', '20.1', { CallerIDNum: '201', Context: 'from-internal', Exten: '202' });
    const luca = chan('PJSIP/202-00000053', '20.2', '20.1', { CallerIDNum: '202', Context: 'from-internal', Exten: '202' });
    const at = (second: number): Date => new Date(Date.UTC(2026, 0, 5, 9, 0, second));
    const script: Array<[number, AmiMessage]> = [
      [0, { Event: 'Newchannel', ...caller }],
      [1, { Event: 'Newchannel', ...marta }],
      [1, { Event: 'DialBegin', ...caller, ...dest(marta) }],
      [5, { Event: 'DialEnd', ...caller, ...dest(marta), DialStatus: 'ANSWER' }],
      [20, { Event: 'Newchannel', ...consult }],
      [20, { Event: 'Newchannel', ...luca }],
      [20, { Event: 'DialBegin', ...consult, ...dest(luca) }],
      [24, { Event: 'DialEnd', ...consult, ...dest(luca), DialStatus: 'ANSWER' }],
      [30, {
        Event: 'AttendedTransfer', Result: 'Success', DestType: 'Bridge',
        OrigTransfererChannel: marta.Channel, OrigTransfererUniqueid: '10.2', OrigTransfererLinkedid: '10.1',
        SecondTransfererChannel: consult.Channel, SecondTransfererUniqueid: '20.1', SecondTransfererLinkedid: '20.1',
        TransfereeChannel: caller.Channel, TransfereeUniqueid: '10.1', TransfereeLinkedid: '10.1',
        TransferTargetChannel: luca.Channel, TransferTargetUniqueid: '20.2', TransferTargetLinkedid: '20.1', TransferTargetCallerIDNum: '202',
      }],
      // Bridged with the older call, Luca's channel takes its Linkedid.
      [30, { Event: 'BridgeEnter', ...luca, Linkedid: '10.1' }],
      [30, { Event: 'Hangup', ...marta }],
      [30, { Event: 'Hangup', ...consult }],
      [90, { Event: 'Hangup', ...caller }],
      [90, { Event: 'Hangup', ...luca, Linkedid: '10.1' }],
    ];
    const events = script.flatMap(([second, message]) => tracker.handle(message, at(second)));
    for (const event of events) interactionEventSchema.parse(event);
    const customerCall = events.filter((e) => e.interaction.id === '10.1');
    assert.deepEqual(customerCall.map((e) => e.type), ['voice.started', 'voice.ringing', 'voice.answered', 'voice.transferred', 'voice.ended']);
    assert.equal(customerCall.at(-1)?.interaction.agent?.extension, '202');
    assert.equal(customerCall.at(-1)?.interaction.endedAt, '2026-01-05T09:01:30.000Z');
    const consultation = events.filter((e) => e.interaction.id === '20.1');
    assert.deepEqual(consultation.at(-1)?.type, 'voice.ended');
    assert.equal(consultation.at(-1)?.interaction.direction, 'internal');
    assert.equal(consultation.at(-1)?.interaction.endedAt, '2026-01-05T09:00:30.000Z');
    assert.equal(tracker.size, 0);
  });

  it('context rules alone decide direction when no trunk prefix is configured', () => {
    const inbound = replay('queue-answered.txt', {});
    assert.equal(inbound[0].interaction.direction, 'inbound');
    const outbound = replay('outbound.txt', {});
    assert.equal(outbound.at(-1)?.interaction.direction, 'outbound');
    const unknown = replay('queue-answered.txt', { inboundContexts: ['from-carrier'], outboundContexts: [] });
    assert.equal(unknown[0].interaction.direction, undefined);
  });

  it('a short number dialed between extensions is an internal call', () => {
    const tracker = new AmiCallTracker(RULES);
    const events = messagesOf('outbound.txt', (text) => text.replaceAll('00393475550199', '202').replaceAll('PJSIP/telco-0000002a', 'PJSIP/202-0000002a')).flatMap((m) =>
      tracker.handle(m, RECEIVED),
    );
    assert.equal(events.at(-1)?.interaction.direction, 'internal');
  });

  it('without Timestamp: fields the receive time is used', () => {
    const tracker = new AmiCallTracker(RULES);
    let second = 0;
    const events = messagesOf('queue-abandoned.txt', (text) => text.replace(/^Timestamp: .*\n/gm, '')).flatMap((message) =>
      tracker.handle(message, new Date(Date.UTC(2030, 0, 1, 9, 0, second++))),
    );
    assert.equal(events[0].occurredAt, '2030-01-01T09:00:00.000Z');
    assert.match(events.at(-1)!.interaction.endedAt!, /^2030-01-01T09:00:\d\d\.000Z$/);
  });

  it('replaying the same transcript twice gives identical events (ids are deterministic)', () => {
    assert.deepEqual(replay('queue-answered.txt'), replay('queue-answered.txt'));
  });

  it('late events of a finished call do not reopen it', () => {
    const tracker = new AmiCallTracker(RULES);
    const messages = messagesOf('queue-answered.txt');
    const first = messages.flatMap((m) => tracker.handle(m, RECEIVED));
    const again = messages.flatMap((m) => tracker.handle(m, RECEIVED));
    assert.equal(first.filter((e) => e.type === 'voice.ended').length, 1);
    assert.deepEqual(again, []);
    assert.equal(tracker.size, 0);
  });

  it('with cdrWaitMs the final event waits for the Cdr and takes its duration', () => {
    const tracker = new AmiCallTracker({ ...RULES, cdrWaitMs: 5_000 });
    const messages = messagesOf('queue-answered.txt');
    const cdr = messages.findIndex((m) => m.Event === 'Cdr');
    const before = messages.slice(0, cdr).flatMap((m) => tracker.handle(m, RECEIVED));
    assert.equal(before.some((e) => e.type === 'voice.ended'), false, 'held until the Cdr');
    const after = messages.slice(cdr).flatMap((m) => tracker.handle(m, RECEIVED));
    assert.equal(after.length, 1);
    assert.equal(after[0].interaction.durationSec, 129);
    assert.equal(after[0].interaction.endedAt, '2025-11-28T10:12:08.630Z');
  });

  it('with cdrWaitMs and no Cdr the call still closes after the wait', () => {
    const tracker = new AmiCallTracker({ ...RULES, cdrWaitMs: 5_000 });
    const events = messagesOf('blind-transfer.txt').flatMap((m) => tracker.handle(m, RECEIVED));
    assert.equal(events.some((e) => e.type === 'voice.ended'), false);
    assert.deepEqual(tracker.tick(new Date('2025-11-28T10:51:52Z')), []);
    const flushed = tracker.tick(new Date('2025-11-28T10:51:56Z'));
    assert.deepEqual(flushed.map((e) => e.type), ['voice.ended']);
    assert.equal(tracker.size, 0);
  });

  it('forgets calls whose hangup was never seen, and caps how many it tracks', () => {
    const tracker = new AmiCallTracker({ ...RULES, maxCallIdleHours: 1, maxTrackedCalls: 3 });
    const messages = messagesOf('outbound.txt');
    const half = messages.findIndex((m) => m.Event === 'BridgeLeave');
    messages.slice(0, half).forEach((m) => tracker.handle(m, RECEIVED));
    assert.equal(tracker.size, 1);
    tracker.tick(new Date('2025-11-28T12:11:00Z'));
    assert.equal(tracker.size, 0);
    for (let call = 0; call < 10; call++) {
      tracker.handle({ Event: 'Newchannel', Channel: `PJSIP/201-0000010${call}`, Context: 'from-internal', Exten: '0612345678', Uniqueid: `9.${call}`, Linkedid: `9.${call}` }, RECEIVED);
    }
    assert.equal(tracker.size, 3);
  });

  it('rejects bad rules naming the field', () => {
    assert.throws(() => new AmiCallTracker({ internalExtensionPattern: '([' }), /rules\.internalExtensionPattern/);
    assert.throws(() => new AmiCallTracker({ recordingBaseUrl: 'not a url' }), /rules\.recordingBaseUrl/);
  });
});
