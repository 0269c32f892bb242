import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from './backends.ts';
import { twoStepPlan, voiceEvent } from './fixtures.ts';

forEachBackend((fresh) => {
  test('migrations are recorded once and can run again, from several stores at once', async () => {
    const backend = await fresh();
    const [first, second] = await Promise.all([backend.open(), backend.open()]);
    await first.migrate();
    await second.migrate();
    const versions = await backend.query('SELECT version FROM schema_migrations');
    assert.deepEqual(
      versions.map((row) => row.version),
      ['001_init'],
    );
  });

  test('a repeated event id is acknowledged as a duplicate and plans nothing, also within one batch', async () => {
    const store = await (await fresh()).open();
    const first = await store.events.appendAndPlan([voiceEvent('e1'), voiceEvent('e2'), voiceEvent('e1')], 'webhook', (fresh) => twoStepPlan(fresh));
    assert.deepEqual(first, { accepted: ['e1', 'e2'], duplicates: ['e1'], jobs: 4 });

    let plannedAgain: string[] = [];
    const second = await store.events.appendAndPlan([voiceEvent('e2'), voiceEvent('e3')], 'webhook', (fresh) => {
      plannedAgain = fresh.map((e) => e.id);
      return twoStepPlan(fresh);
    });
    assert.deepEqual(second, { accepted: ['e3'], duplicates: ['e2'], jobs: 2 });
    assert.deepEqual(plannedAgain, ['e3']);
    assert.equal(await store.events.count(), 3);
    assert.equal((await store.jobs.list({})).length, 6);
  });

  test('when planning throws, neither the events nor any job are stored', async () => {
    const store = await (await fresh()).open();
    await assert.rejects(
      store.events.appendAndPlan([voiceEvent('e1')], 'webhook', () => {
        throw new Error('trigger blew up');
      }),
      /trigger blew up/,
    );
    assert.equal(await store.events.count(), 0);
    assert.deepEqual(await store.jobs.list({}), []);
    // The same event can be accepted once the problem is gone.
    assert.deepEqual((await store.events.appendAndPlan([voiceEvent('e1')], 'webhook', twoStepPlan)).accepted, ['e1']);
  });

  test('concurrent requests commit independently: one whose planning fails does not take the others down', async () => {
    const store = await (await fresh()).open();
    const results = await Promise.allSettled(
      ['e1', 'e2', 'e3', 'e4'].map((id) =>
        store.events.appendAndPlan([voiceEvent(id)], 'webhook', (events) => {
          if (id === 'e3') throw new Error('bad trigger');
          return twoStepPlan(events);
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(
      (await store.events.list({})).map((e) => e.id).sort(),
      ['e1', 'e2', 'e4'],
    );
    assert.equal((await store.jobs.list({})).length, 6);
  });

  test('re-planning stored events creates only the jobs that are missing', async () => {
    const store = await (await fresh()).open();
    await store.events.appendAndPlan([voiceEvent('e1')], 'webhook', (events) => twoStepPlan(events));
    assert.equal(await store.jobs.insertMany([...twoStepPlan([voiceEvent('e1')]), ...twoStepPlan([voiceEvent('e1')], 'trg2')]), 2);
    assert.equal(await store.jobs.insertMany(twoStepPlan([voiceEvent('e1')], 'trg2')), 0);
  });

  test('a stored event comes back as received, with where and when it arrived', async () => {
    const store = await (await fresh()).open();
    const event = voiceEvent('e1', { interactionId: '1764321300.42' });
    await store.events.appendAndPlan([event], 'xcally', () => []);
    const stored = await store.events.get('e1');
    assert.ok(stored);
    assert.deepEqual(stored.event, event);
    assert.equal(stored.source, 'xcally');
    assert.equal(stored.interactionId, '1764321300.42');
    assert.equal(stored.type, 'voice.ended');
    assert.match(stored.receivedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(await store.events.get('nope'), null);
  });

  test('events can be filtered by interaction, type, phone digits, arrival time and paged by sequence', async () => {
    const store = await (await fresh()).open();
    await store.events.appendAndPlan(
      [
        voiceEvent('a1', { interactionId: 'call-a', type: 'voice.answered', phone: '+39 347 555 0101' }),
        voiceEvent('a2', { interactionId: 'call-a', phone: '+39 347 555 0101' }),
        voiceEvent('b1', { interactionId: 'call-b', phone: '(415) 555-0199' }),
      ],
      'webhook',
      () => [],
    );
    const ids = (events: Array<{ id: string }>) => events.map((e) => e.id);
    assert.deepEqual(ids(await store.events.list({ interactionId: 'call-a' })), ['a1', 'a2']);
    assert.deepEqual(ids(await store.events.list({ type: 'voice.ended' })), ['a2', 'b1']);
    assert.deepEqual(ids(await store.events.list({ phone: '393475550101' })), ['a1', 'a2']);
    assert.deepEqual(ids(await store.events.list({ phone: '347-555-0101' })), ['a1', 'a2'], 'national writing finds the international one');
    assert.deepEqual(ids(await store.events.list({ phone: '+1 415 555 0199' })), ['b1'], 'and the reverse');
    assert.deepEqual(ids(await store.events.list({ phone: '0101' })), [], 'a short fragment must match whole');

    const all = await store.events.list({});
    assert.deepEqual(ids(await store.events.list({ afterSeq: all[0].seq, limit: 1 })), ['a2']);
    assert.deepEqual(ids(await store.events.list({ since: all[0].receivedAt })), ['a1', 'a2', 'b1']);
    assert.deepEqual(ids(await store.events.list({ until: all[0].receivedAt })), []);
    assert.deepEqual(ids(await store.events.list({ since: '2999-01-01T00:00:00+01:00' })), []);
    await assert.rejects(store.events.list({ since: 'yesterday' }), (error: Error & { code?: string }) => error.code === 'INVALID_TIMESTAMP' && /since/.test(error.message));
  });
});
