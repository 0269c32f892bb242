import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  emulatorAccount, emulatorRecords, setFaults, startEmulator, startTestService, waitFor, type TestService,
} from '../helpers/service.ts';
import { createServiceDatabase, selectedBackends, type ServiceDatabase } from '../helpers/database.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';

const logCalls = {
  name: 'log calls', enabled: true, on: ['voice.ended', 'voice.abandoned'], match: 'all', conditions: [],
  actions: [
    { name: 'customer', type: 'salesforce.findCustomer', account: 'acme', by: 'phone', objects: ['Contact', 'Lead'], onMany: 'preferContact', onNone: 'continue' },
    { name: 'task', type: 'salesforce.logActivity', account: 'acme', fields: { Subject: 'Call {{ interaction.direction }} {{ interaction.customer.phone }}' } },
  ],
};
const caseForAbandoned = {
  name: 'case for abandoned calls', enabled: true, on: ['voice.abandoned'], match: 'all', conditions: [],
  actions: [
    { name: 'customer', type: 'salesforce.findCustomer', account: 'acme', by: 'phone', onNone: 'continue' },
    { name: 'case', type: 'salesforce.createCase', account: 'acme', fields: { Subject: 'Abandoned call from {{ interaction.customer.phone }}' } },
  ],
};

let seq = 0;
function callEvent(overrides: { type?: string; phone?: string; agent?: string; interactionId?: string } = {}) {
  seq += 1;
  const interactionId = overrides.interactionId ?? `1764321300.${seq}`;
  return {
    id: `evt-${process.pid}-${seq}`,
    type: overrides.type ?? 'voice.ended',
    occurredAt: '2026-11-28T10:15:00+01:00',
    interaction: {
      id: interactionId, channel: 'voice', direction: 'inbound', queue: 'support',
      customer: { phone: overrides.phone ?? '+39 347 555 0101' },
      agent: { email: overrides.agent ?? 'marta.rossi@contactco.example' },
      startedAt: '2026-11-28T10:10:00+01:00', endedAt: '2026-11-28T10:15:00+01:00',
      talkSec: 240, durationSec: 300, disposition: overrides.type === 'voice.abandoned' ? 'ABANDONED' : 'ANSWERED',
    },
  };
}

// The same deliveries on each storage backend: SQLite in the data dir, PostgreSQL in a fresh schema.
for (const kind of selectedBackends()) {
  describe(kind, () => {
    let emulator: RunningEmulator;
    let database: ServiceDatabase;
    let svc: TestService;

    async function tasksFor(interactionId: string) {
      return (await emulatorRecords(emulator, 'Task')).filter((t) => t.CallObject === interactionId);
    }

    before(async () => {
      emulator = await startEmulator({ port: 0 });
      database = await createServiceDatabase(kind);
      svc = await startTestService({ quotaPauseMs: 500, databaseUrl: database.databaseUrl }, database.dataDir);
      assert.equal((await svc.api('POST', '/api/accounts', emulatorAccount(emulator))).status, 201);
      assert.equal((await svc.api('POST', '/api/triggers', logCalls)).status, 201);
      assert.equal((await svc.api('POST', '/api/triggers', caseForAbandoned)).status, 201);
    });

    after(async () => {
      await svc?.close();
      await emulator?.close();
      await database?.cleanup();
    });

    test('a call from a known caller logs one Task on the Contact, owned by the agent', async () => {
      const event = callEvent();
      const posted = await svc.postEvents(event);
      assert.equal(posted.status, 202);
      assert.deepEqual(posted.body, { accepted: 1, duplicates: 0 });

      const [task] = await waitFor(async () => { const t = await tasksFor(event.interaction.id); return t.length ? t : null; }, 'the Task');
      const contacts = await emulatorRecords(emulator, 'Contact');
      const anna = contacts.find((c) => c.Phone === '+39 347 555 0101');
      const users = await emulatorRecords(emulator, 'User');
      const marta = users.find((u) => u.Email === 'marta.rossi@contactco.example');
      assert.equal(task.WhoId, anna?.Id);
      assert.equal(task.OwnerId, marta?.Id);
      assert.equal(task.CallType, 'Inbound');
      assert.equal(task.CallDurationInSeconds, 240);
      assert.equal(task.CallObject, event.interaction.id);
      assert.equal(task.TaskSubtype, 'Call');
      assert.equal(task.Subject, 'Call inbound +39 347 555 0101');
      assert.equal(await svc.api('GET', `/api/jobs?interactionId=${event.interaction.id}`).then((r) => (r.body as unknown[]).length), 2);
    });

    test('an abandoned call also opens a Case for the caller', async () => {
      const event = callEvent({ type: 'voice.abandoned' });
      assert.equal((await svc.postEvents(event)).status, 202);
      const cases = await waitFor(async () => {
        const list = (await emulatorRecords(emulator, 'Case')).filter((c) => c.Subject === `Abandoned call from ${event.interaction.customer.phone}`);
        return list.length ? list : null;
      }, 'the Case');
      const anna = (await emulatorRecords(emulator, 'Contact')).find((c) => c.Phone === '+39 347 555 0101');
      assert.equal(cases.length, 1);
      assert.equal(cases[0].ContactId, anna?.Id);
      await waitFor(async () => (await tasksFor(event.interaction.id)).length === 1, 'the Task of the abandoned call');
    });

    test('the same event posted twice leaves one Task', async () => {
      const event = callEvent();
      assert.deepEqual((await svc.postEvents(event)).body, { accepted: 1, duplicates: 0 });
      assert.deepEqual((await svc.postEvents([event, event])).body, { accepted: 0, duplicates: 2 });
      await waitFor(async () => (await tasksFor(event.interaction.id)).length === 1, 'the Task');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await tasksFor(event.interaction.id)).length, 1);
    });

    test('a response lost after Salesforce committed does not create a second Task', async () => {
      const event = callEvent();
      await setFaults(emulator, { dropAfterCommit: 1 });
      assert.equal((await svc.postEvents(event)).status, 202);
      const job = await waitFor(async () => {
        const jobs = (await svc.api<Array<{ actionName: string; state: string; attempts: number; result: Record<string, unknown> | null }>>('GET', `/api/jobs?interactionId=${event.interaction.id}`)).body;
        const task = jobs.find((j) => j.actionName === 'task' && j.state === 'done');
        return task ?? null;
      }, 'the task job to finish', 30_000);
      await setFaults(emulator, { dropAfterCommit: 0 });
      assert.equal((await tasksFor(event.interaction.id)).length, 1);
      assert.equal(job.result?.reconciled, true, 'the lost response was settled by finding the committed Task');
    });

    test('outages, expired sessions and an exhausted quota delay records but lose none', async () => {
      await setFaults(emulator, { errorRate5xx: 1 });
      const during503 = [callEvent(), callEvent()];
      assert.equal((await svc.postEvents(during503)).status, 202);
      await new Promise((resolve) => setTimeout(resolve, 400));
      await setFaults(emulator, { errorRate5xx: 0, expireSessions: true });
      const afterExpiry = callEvent();
      assert.equal((await svc.postEvents(afterExpiry)).status, 202);
      await waitFor(async () => (await tasksFor(afterExpiry.interaction.id)).length === 1, 'the Task after session expiry', 30_000);

      await setFaults(emulator, { exhaustQuota: true });
      const duringQuota = callEvent();
      assert.equal((await svc.postEvents(duringQuota)).status, 202);
      await new Promise((resolve) => setTimeout(resolve, 700));
      assert.equal((await tasksFor(duringQuota.interaction.id)).length, 0, 'nothing gets through while the quota is spent');
      await setFaults(emulator, { refillQuota: true });

      for (const event of [...during503, duringQuota]) {
        await waitFor(async () => (await tasksFor(event.interaction.id)).length >= 1, `the Task of ${event.id}`, 40_000);
      }
      for (const event of [...during503, afterExpiry, duringQuota]) assert.equal((await tasksFor(event.interaction.id)).length, 1);
    });

    test('a permanent error dead-letters with Salesforce\'s message, and replay after the fix delivers', async () => {
      const broken = {
        name: 'broken follow-up', enabled: true, on: ['voice.missed'], match: 'all', conditions: [],
        actions: [{ name: 'task', type: 'salesforce.logActivity', account: 'acme', fields: { Subject: 'Missed call', WhoId: '003000000000000AAA' } }],
      };
      const created = await svc.api<{ id: string }>('POST', '/api/triggers', broken);
      assert.equal(created.status, 201);
      const event = callEvent({ type: 'voice.missed' });
      const since = new Date(Date.now() - 1000).toISOString();
      assert.equal((await svc.postEvents(event)).status, 202);
      const dead = await waitFor(async () => {
        const jobs = (await svc.api<Array<{ state: string; errorCode: string; errorMessage: string }>>('GET', `/api/jobs?interactionId=${event.interaction.id}&state=dead`)).body;
        return jobs[0] ?? null;
      }, 'the dead letter');
      assert.match(dead.errorCode, /INVALID_CROSS_REFERENCE_KEY|MALFORMED_ID|FIELD_INTEGRITY_EXCEPTION/);
      assert.ok(dead.errorMessage.length > 0);

      const { WhoId: _drop, ...fixedFields } = broken.actions[0].fields;
      const fixed = { ...broken, actions: [{ ...broken.actions[0], fields: fixedFields }] };
      assert.equal((await svc.api('PUT', `/api/triggers/${created.body.id}`, fixed)).status, 200);
      const replay = await svc.api<{ retried: number }>('POST', '/api/replay', { since, trigger: 'broken follow-up' });
      assert.equal(replay.status, 200);
      assert.equal(replay.body.retried, 1);
      await waitFor(async () => (await tasksFor(event.interaction.id)).length === 1, 'the replayed Task');
    });

    test('malformed, oversized and unsigned requests are refused and store nothing', async () => {
      const before = (await svc.api<{ events: number }>('GET', '/api/stats')).body.events;
      const malformed = await svc.postEvents({ id: 'bad-1', type: 'voice.ended', occurredAt: 'yesterday', interaction: { id: 'x', channel: 'voice' } });
      assert.equal(malformed.status, 400);
      assert.match(JSON.stringify(malformed.body), /occurredAt/);

      const notJson = await svc.postEvents('{"id": ');
      assert.equal(notJson.status, 400);

      const big = Array.from({ length: 400 }, () => ({ ...callEvent(), interaction: { ...callEvent().interaction, transcript: 'x'.repeat(20_000) } }));
      const oversized = await svc.postEvents(big);
      assert.equal(oversized.status, 413);

      const unsigned = await fetch(`${svc.url}/ingest/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(callEvent()) });
      assert.equal(unsigned.status, 401);
      const wrongSignature = await svc.postEvents(callEvent(), { authorization: '', 'x-ctibridge-signature': 'sha256=00' });
      assert.equal(wrongSignature.status, 401);

      assert.equal((await svc.api<{ events: number }>('GET', '/api/stats')).body.events, before);

      const body = JSON.stringify(callEvent());
      const signature = `sha256=${createHmac('sha256', 'test-ingest-token-0123456789').update(body).digest('hex')}`;
      const signed = await fetch(`${svc.url}/ingest/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ctibridge-signature': signature }, body });
      assert.equal(signed.status, 202);
    });
  });
}
