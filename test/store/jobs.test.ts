import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Job, Store } from '../../src/store/types.ts';
import { forEachBackend } from './backends.ts';
import { job, sleep, twoStepPlan, voiceEvent } from './fixtures.ts';

const LEASE = { owner: 'worker-a', limit: 100, leaseMs: 60_000 };
const keys = (jobs: Job[]) => jobs.map((j) => j.key);

async function planned(store: Store, eventIds: string[], plan = twoStepPlan): Promise<void> {
  await store.events.appendAndPlan(
    eventIds.map((id) => voiceEvent(id)),
    'webhook',
    (events) => plan(events),
  );
}

async function jobByKey(store: Store, key: string): Promise<Job> {
  const [found] = await store.jobs.byKeys([key]);
  assert.ok(found, `job ${key}`);
  return found;
}

forEachBackend((fresh) => {
  test('lease hands out due jobs in order, each after the job it depends on is done', async () => {
    const store = await (await fresh()).open();
    await planned(store, ['e1', 'e2']);

    const first = await store.jobs.lease(LEASE);
    assert.deepEqual(keys(first), ['e1/trg1/customer', 'e2/trg1/customer'], 'the second steps wait');
    assert.ok(first.every((j) => j.state === 'leased' && j.attempts === 1 && j.leaseOwner === 'worker-a' && j.leaseUntil !== null));
    assert.deepEqual(await store.jobs.lease(LEASE), [], 'nothing else is ready');

    await store.jobs.complete([{ id: first[0].id, result: { id: '003000000000001', object: 'Contact' } }]);
    const second = await store.jobs.lease(LEASE);
    assert.deepEqual(keys(second), ['e1/trg1/task']);
    const done = await store.jobs.get(first[0].id);
    assert.equal(done?.state, 'done');
    assert.deepEqual(done?.result, { id: '003000000000001', object: 'Contact' });
    assert.ok(done?.finishedAt);
    assert.equal(done?.leaseOwner, null);
    assert.deepEqual(await store.jobs.counts(), { pending: 1, leased: 2, done: 1, dead: 0 });
  });

  test('lease respects its limit and skips accounts that must wait', async () => {
    const store = await (await fresh()).open();
    await planned(store, ['e1'], (events) => twoStepPlan(events, 'trg1', 'acme'));
    await planned(store, ['e2'], (events) => twoStepPlan(events, 'trg1', 'globex'));
    await planned(store, ['e3'], (events) => twoStepPlan(events, 'trg1', null));

    assert.deepEqual(keys(await store.jobs.lease({ ...LEASE, limit: 1, excludeAccounts: ['acme'] })), ['e2/trg1/customer']);
    assert.deepEqual(keys(await store.jobs.lease({ ...LEASE, excludeAccounts: ['acme', 'globex'] })), ['e3/trg1/customer'], 'webhook jobs have no account');
    assert.deepEqual(keys(await store.jobs.lease(LEASE)), ['e1/trg1/customer']);
  });

  test('a lease that ran out (its process died) is claimed again, counting a new attempt', async () => {
    const store = await (await fresh()).open();
    await planned(store, ['e1'], (events) => [job(events[0].id, 'trg1', 'customer', 0, null)]);
    const [lost] = await store.jobs.lease({ ...LEASE, leaseMs: 800 });
    assert.deepEqual(await store.jobs.lease({ ...LEASE, owner: 'worker-b' }).then(keys), [], 'not while the lease runs');
    assert.equal(await store.jobs.nextRunAt(), lost.leaseUntil, 'the worker knows when to look again');
    await sleep(850);
    const [reclaimed] = await store.jobs.lease({ ...LEASE, owner: 'worker-b' });
    assert.equal(reclaimed.id, lost.id);
    assert.equal(reclaimed.attempts, 2);
    assert.equal(reclaimed.leaseOwner, 'worker-b');

    // The first owner's late report does not undo the new owner's work.
    await store.jobs.complete([{ id: reclaimed.id, result: { by: 'worker-b' } }]);
    await store.jobs.fail([{ id: lost.id, errorCode: 'TIMEOUT', errorMessage: 'late' }]);
    assert.deepEqual((await store.jobs.get(lost.id))?.result, { by: 'worker-b' });
    assert.equal((await store.jobs.get(lost.id))?.state, 'done');
  });

  test('a failure with retryAt waits until then; a refunded one does not count as an attempt', async () => {
    const store = await (await fresh()).open();
    await planned(store, ['e1', 'e2'], (events) => events.map((e) => job(e.id, 'trg1', 'customer', 0, null)));
    const [a, b] = await store.jobs.lease(LEASE);
    const soon = new Date(Date.now() + 500).toISOString();
    await store.jobs.fail([
      { id: a.id, errorCode: 'SERVER_UNAVAILABLE', errorMessage: '503', retryAt: soon },
      { id: b.id, errorCode: 'REQUEST_LIMIT_EXCEEDED', errorMessage: 'quota', retryAt: '2999-01-01T00:00:00+02:00', refundAttempt: true },
    ]);
    const waiting = await store.jobs.get(a.id);
    assert.equal(waiting?.state, 'pending');
    assert.equal(waiting?.errorCode, 'SERVER_UNAVAILABLE');
    assert.equal(waiting?.runAt, soon);
    assert.equal((await store.jobs.get(b.id))?.attempts, 0);
    assert.equal((await store.jobs.get(b.id))?.runAt, '2998-12-31T22:00:00.000Z', 'kept in UTC');
    assert.equal(await store.jobs.nextRunAt(), soon);

    assert.deepEqual(await store.jobs.lease(LEASE), []);
    await sleep(550);
    const [again] = await store.jobs.lease(LEASE);
    assert.equal(again.id, a.id);
    assert.equal(again.attempts, 2);
  });

  test('release hands leased jobs back without using up an attempt', async () => {
    const store = await (await fresh()).open();
    await planned(store, ['e1']);
    const [leased] = await store.jobs.lease(LEASE);
    await store.jobs.release([leased.id]);
    const back = await store.jobs.get(leased.id);
    assert.equal(back?.state, 'pending');
    assert.equal(back?.attempts, 0);
    assert.equal(back?.leaseOwner, null);
    assert.deepEqual(keys(await store.jobs.lease(LEASE)), [leased.key]);
  });

  test('a dead job takes the jobs waiting on it down with it, and retry brings them all back', async () => {
    const store = await (await fresh()).open();
    await planned(store, ['e1'], (events) => [
      job(events[0].id, 'trg1', 'customer', 0, null),
      job(events[0].id, 'trg1', 'task', 1, 'e1/trg1/customer'),
      job(events[0].id, 'trg1', 'case', 2, 'e1/trg1/task'),
    ]);
    const [first] = await store.jobs.lease(LEASE);
    await store.jobs.fail([{ id: first.id, errorCode: 'INVALID_FIELD', errorMessage: "No such column 'Foo__c' on entity 'Contact'" }]);

    const dead = await store.jobs.list({ state: 'dead' });
    assert.deepEqual(keys(dead), ['e1/trg1/customer', 'e1/trg1/task', 'e1/trg1/case']);
    assert.equal(dead[0].errorCode, 'INVALID_FIELD');
    assert.equal(dead[0].errorMessage, "No such column 'Foo__c' on entity 'Contact'");
    assert.deepEqual(
      dead.slice(1).map((j) => j.errorCode),
      ['DEPENDENCY_FAILED', 'DEPENDENCY_FAILED'],
    );
    assert.match(dead[2].errorMessage ?? '', /e1\/trg1\/customer.*INVALID_FIELD/);
    assert.equal(await store.jobs.nextRunAt(), null);

    assert.equal(await store.jobs.retry(first.id), true);
    const revived = await store.jobs.list({ eventId: 'e1' });
    assert.ok(revived.every((j) => j.state === 'pending' && j.attempts === 0 && j.errorCode === null), JSON.stringify(revived));
    assert.deepEqual(keys(await store.jobs.lease(LEASE)), ['e1/trg1/customer'], 'still in order');
  });

  test('retrying a job that died only because of its dependency retries the job that failed', async () => {
    const store = await (await fresh()).open();
    await planned(store, ['e1']);
    const [first] = await store.jobs.lease(LEASE);
    await store.jobs.fail([{ id: first.id, errorCode: 'REQUIRED_FIELD_MISSING', errorMessage: 'Required fields are missing: [LastName]' }]);
    const task = await jobByKey(store, 'e1/trg1/task');
    assert.equal(task.errorCode, 'DEPENDENCY_FAILED');

    assert.equal(await store.jobs.retry(task.id), true);
    assert.deepEqual(
      (await store.jobs.list({ eventId: 'e1' })).map((j) => j.state),
      ['pending', 'pending'],
    );
    assert.deepEqual(keys(await store.jobs.lease(LEASE)), ['e1/trg1/customer']);
  });

  test('retry leaves done and leased jobs alone and says so', async () => {
    const store = await (await fresh()).open();
    await planned(store, ['e1']);
    const [leased] = await store.jobs.lease(LEASE);
    assert.equal(await store.jobs.retry(leased.id), false);
    await store.jobs.complete([{ id: leased.id, result: {} }]);
    assert.equal(await store.jobs.retry(leased.id), false);
    assert.equal(await store.jobs.retry(999_999), false);
    assert.equal((await jobByKey(store, 'e1/trg1/task')).state, 'pending');
  });

  test('jobs can be listed by state, account, trigger, event, interaction and creation time', async () => {
    const store = await (await fresh()).open();
    await store.events.appendAndPlan([voiceEvent('e1', { interactionId: 'call-1' }), voiceEvent('e2', { interactionId: 'call-2' })], 'webhook', (events) => [
      ...twoStepPlan([events[0]], 'trg1', 'acme'),
      ...twoStepPlan([events[1]], 'trg2', 'globex'),
    ]);
    assert.deepEqual(keys(await store.jobs.list({ interactionId: 'call-2' })), ['e2/trg2/customer', 'e2/trg2/task']);
    assert.deepEqual(keys(await store.jobs.list({ account: 'acme' })), ['e1/trg1/customer', 'e1/trg1/task']);
    assert.deepEqual(keys(await store.jobs.list({ triggerId: 'trg2', limit: 1 })), ['e2/trg2/customer']);
    assert.deepEqual(keys(await store.jobs.list({ eventId: 'e1', state: 'pending' })), ['e1/trg1/customer', 'e1/trg1/task']);
    assert.equal((await store.jobs.list({ since: '2000-01-01T00:00:00Z' })).length, 4);
    assert.deepEqual(await store.jobs.list({ since: '2999-01-01T00:00:00Z' }), []);
    assert.deepEqual(keys(await store.jobs.byKeys(['e2/trg2/task', 'missing', 'e1/trg1/task'])), ['e1/trg1/task', 'e2/trg2/task']);
  });

  test('two stores leasing from the same database never get the same job', async () => {
    const backend = await fresh();
    const [a, b] = await Promise.all([backend.open(), backend.open()]);
    const eventIds = Array.from({ length: 150 }, (_, i) => `e${i}`);
    await planned(a, eventIds, (events) => events.map((e) => job(e.id, 'trg1', 'customer', 0, null)));

    const seen = new Map<number, string>();
    const drain = async (store: Store, owner: string) => {
      for (;;) {
        const jobs = await store.jobs.lease({ owner, limit: 7, leaseMs: 60_000 });
        if (jobs.length === 0) return;
        for (const j of jobs) {
          assert.equal(seen.get(j.id), undefined, `job ${j.id} leased by ${seen.get(j.id)} and ${owner}`);
          seen.set(j.id, owner);
        }
        await store.jobs.complete(jobs.map((j) => ({ id: j.id, result: { owner } })));
      }
    };
    await Promise.all([drain(a, 'a1'), drain(b, 'b1'), drain(a, 'a2'), drain(b, 'b2')]);
    assert.equal(seen.size, 150);
    assert.deepEqual(await a.jobs.counts(), { pending: 0, leased: 0, done: 150, dead: 0 });
  });
});
