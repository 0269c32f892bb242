import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from './backends.ts';
import { twoStepPlan, voiceEvent } from './fixtures.ts';

const LEASE = { owner: 'worker-a', limit: 100, leaseMs: 60_000 };

forEachBackend((fresh) => {
  test('retention forgets finished history but keeps dead letters and anything still in flight', async () => {
    const store = await (await fresh()).open();
    await store.events.appendAndPlan(['done', 'dead', 'half'].map((id) => voiceEvent(id)), 'webhook', (events) => twoStepPlan(events));
    await store.events.appendAndPlan([voiceEvent('no-trigger')], 'webhook', () => []);

    const lookups = await store.jobs.lease(LEASE);
    const byEvent = (id: string) => lookups.find((j) => j.eventId === id)!;
    await store.jobs.complete(['done', 'half'].map((id) => ({ id: byEvent(id).id, result: { id: null } })));
    await store.jobs.fail([{ id: byEvent('dead').id, errorCode: 'INVALID_FIELD', errorMessage: 'no such field' }]);
    const [task] = (await store.jobs.lease(LEASE)).filter((j) => j.eventId === 'done');
    await store.jobs.complete([{ id: task.id, result: { id: '00T000000000001' } }]);

    assert.deepEqual(await store.retention.purge(new Date(Date.now() - 3_600_000).toISOString()), { events: 0, jobs: 0 }, 'nothing is old yet');
    const purged = await store.retention.purge(new Date(Date.now() + 60_000).toISOString());
    assert.deepEqual(purged, { events: 2, jobs: 2 });

    assert.equal(await store.events.get('done'), null, 'a fully delivered event is forgotten');
    assert.equal(await store.events.get('no-trigger'), null, 'an event no trigger matched is forgotten');
    assert.ok(await store.events.get('dead'), 'a dead letter keeps its event for replay');
    assert.ok(await store.events.get('half'), 'an event with work still pending stays');
    const remaining = await store.jobs.list({ limit: 100 });
    assert.deepEqual(remaining.map((j) => `${j.eventId}:${j.actionName}:${j.state}`).sort(), [
      'dead:customer:dead', 'dead:task:dead', 'half:customer:done', 'half:task:leased',
    ]);
    await assert.rejects(store.retention.purge('last week'), /before must be an ISO-8601 date-time/);
  });
});
