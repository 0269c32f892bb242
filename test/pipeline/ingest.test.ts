import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestService } from '../helpers/service.ts';

test('an event of a phase ctibridge does not know is kept with its interaction, not dropped', async () => {
  const svc = await startTestService();
  try {
    const base = { occurredAt: '2026-11-28T10:15:00+01:00', interaction: { id: 'call-77', channel: 'voice', customer: { phone: '+39 347 555 0101' } } };
    const posted = await svc.postEvents([
      { id: 'p-1', type: 'voice.answered', ...base },
      { id: 'p-2', type: 'voice.parked', ...base },
    ]);
    assert.equal(posted.status, 202);
    assert.deepEqual(posted.body, { accepted: 2, duplicates: 0 });
    const events = (await svc.api<Array<{ id: string; type: string }>>('GET', '/api/events?interactionId=call-77')).body;
    assert.deepEqual(events.map((e) => e.type).sort(), ['voice.answered', 'voice.parked']);
  } finally {
    await svc.close();
  }
});

test('an array with some invalid events stores the valid ones and names each rejected field', async () => {
  const svc = await startTestService();
  try {
    const good = { id: 'mix-1', type: 'chat.ended', occurredAt: '2026-11-28T10:15:00+01:00', interaction: { id: 'chat-1', channel: 'chat' } };
    const bad = { id: 'mix-2', type: 'chat.ended', occurredAt: '2026-11-28T10:15:00+01:00', interaction: { id: 'chat-2', channel: 'voice' } };
    const posted = await svc.postEvents([good, bad]);
    assert.equal(posted.status, 202);
    assert.equal(posted.body.accepted, 1);
    const rejected = posted.body.rejected as Array<{ index: number; id: string; errors: Array<{ field: string; message: string }> }>;
    assert.equal(rejected[0].index, 1);
    assert.equal(rejected[0].id, 'mix-2');
    assert.equal(rejected[0].errors[0].field, 'type');
  } finally {
    await svc.close();
  }
});
