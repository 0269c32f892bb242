import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultCaseFields, defaultContactFields, defaultLeadFields, defaultTaskFields, isUnanswered, MAX_DESCRIPTION_CHARS,
} from '../../src/domain/activity.ts';
import { callEvent } from './fixtures.ts';

test('a finished inbound call becomes a completed Call task with its numbers', () => {
  const task = defaultTaskFields(callEvent());
  assert.equal(task.Subject, 'Inbound call from Giulia Bianchi');
  assert.equal(task.Status, 'Completed');
  assert.equal(task.Priority, 'Normal');
  assert.equal(task.ActivityDate, '2026-11-28');
  assert.equal(task.TaskSubtype, 'Call');
  assert.equal(task.CallType, 'Inbound');
  assert.equal(task.CallDurationInSeconds, 240);
  assert.equal(task.CallObject, '1764321300.42');
  assert.equal(task.CallDisposition, 'ANSWERED');
  const description = String(task.Description);
  for (const expected of ['Queue: support', 'Agent: Marta Rossi <marta.rossi@contactco.example> (extension 201)', 'Disposition: ANSWERED', 'wait 60 s, talk 240 s, total 300 s', 'Interaction: 1764321300.42']) {
    assert.ok(description.includes(expected), `${expected} in\n${description}`);
  }
});

test('the activity date is the local day written in the event, not the server day', () => {
  const lateNight = callEvent({ occurredAt: '2026-11-28T23:50:00-08:00' }, { endedAt: '2026-11-28T23:50:00-08:00' });
  assert.equal(defaultTaskFields(lateNight).ActivityDate, '2026-11-28');
  const noEnd = callEvent({ occurredAt: '2026-12-01T08:00:00+01:00' }, { endedAt: undefined });
  assert.equal(defaultTaskFields(noEnd).ActivityDate, '2026-12-01');
});

test('subjects and subtypes per channel and direction', () => {
  const outbound = defaultTaskFields(callEvent({}, { direction: 'outbound', customer: { phone: '+39 347 555 0101' } }));
  assert.equal(outbound.Subject, 'Outbound call to +39 347 555 0101');
  assert.equal(outbound.CallType, 'Outbound');
  const abandoned = defaultTaskFields(callEvent({ type: 'voice.abandoned' }, { talkSec: undefined, durationSec: 95.4, disposition: 'ABANDONED' }));
  assert.equal(abandoned.Subject, 'Abandoned call from Giulia Bianchi');
  assert.equal(abandoned.CallDurationInSeconds, 95);
  const chat = defaultTaskFields(callEvent({ type: 'chat.ended' }, { channel: 'chat', transcript: 'Hello\nI need help' }));
  assert.equal(chat.Subject, 'Chat with Giulia Bianchi');
  assert.equal(chat.TaskSubtype, 'Task');
  assert.ok(String(chat.Description).endsWith('Transcript:\nHello\nI need help'));
  const email = defaultTaskFields(callEvent({ type: 'email.message' }, { channel: 'email', subject: 'Invoice 42', body: 'Please resend' }));
  assert.equal(email.Subject, 'Email: Invoice 42');
  assert.equal(email.TaskSubtype, 'Email');
  assert.ok(String(email.Description).includes('Message:\nPlease resend'));
  const anonymous = defaultTaskFields(callEvent({}, { customer: undefined }));
  assert.equal(anonymous.Subject, 'Inbound call from unknown customer');
});

test('long transcripts are cut to what Description holds; long subjects to 255', () => {
  const long = callEvent({}, { transcript: 'word '.repeat(20_000), customer: { name: 'N'.repeat(400) } });
  const task = defaultTaskFields(long);
  assert.equal(String(task.Description).length, MAX_DESCRIPTION_CHARS);
  assert.equal(String(task.Subject).length, 255);
});

test('a Case for an abandoned call is High priority and carries the caller', () => {
  const abandoned = callEvent({ type: 'voice.abandoned' }, { disposition: 'ABANDONED', customer: { phone: '0039 347 5550101', name: 'Giulia Bianchi', email: 'giulia@example.com' } });
  const record = defaultCaseFields(abandoned);
  assert.deepEqual(
    { Subject: record.Subject, Origin: record.Origin, Status: record.Status, Priority: record.Priority, SuppliedPhone: record.SuppliedPhone, SuppliedEmail: record.SuppliedEmail, SuppliedName: record.SuppliedName },
    { Subject: 'Abandoned call from Giulia Bianchi', Origin: 'Phone', Status: 'New', Priority: 'High', SuppliedPhone: '0039 347 5550101', SuppliedEmail: 'giulia@example.com', SuppliedName: 'Giulia Bianchi' },
  );
  assert.equal(defaultCaseFields(callEvent()).Priority, 'Medium');
  assert.equal(defaultCaseFields(callEvent({ type: 'email.message' }, { channel: 'email' })).Origin, 'Email');
  assert.equal(defaultCaseFields(callEvent({ type: 'whatsapp.message' }, { channel: 'whatsapp' })).Origin, 'Web');
});

test('unanswered calls are recognised by phase or by disposition', () => {
  assert.ok(isUnanswered(callEvent({ type: 'voice.abandoned' })));
  assert.ok(isUnanswered(callEvent({ type: 'voice.missed' })));
  assert.ok(isUnanswered(callEvent({}, { disposition: 'NOANSWER' })));
  assert.ok(isUnanswered(callEvent({}, { disposition: 'no answer' })));
  assert.ok(!isUnanswered(callEvent()));
});

test('Lead and Contact defaults: a name split in two, else the number as LastName', () => {
  assert.deepEqual(defaultLeadFields(callEvent()), { FirstName: 'Giulia', LastName: 'Bianchi', Company: 'Unknown', Phone: '+39 347 555 0101', LeadSource: 'Phone Inquiry' });
  assert.deepEqual(defaultContactFields(callEvent({}, { customer: { phone: '+39 347 555 0101' } })), { LastName: '+39 347 555 0101', Phone: '+39 347 555 0101', LeadSource: 'Phone Inquiry' });
  const chat = callEvent({ type: 'chat.ended' }, { channel: 'chat', customer: { email: 'anna@example.com' } });
  assert.deepEqual(defaultLeadFields(chat), { LastName: 'anna@example.com', Company: 'Unknown', Email: 'anna@example.com', LeadSource: 'Web' });
  assert.equal(defaultContactFields(callEvent({}, { customer: {} })).LastName, 'Unknown caller');
});
