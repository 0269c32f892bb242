import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, INGEST_TOKEN, emulatorAccount, emulatorRecords, setFaults, startEmulator, waitFor } from '../helpers/service.ts';
import { spawnService, stopChild } from '../helpers/child-service.ts';
import { createServiceDatabase, selectedBackends } from '../helpers/database.ts';

async function call(url: string, route: string, token: string, body: unknown, method = 'POST') {
  const response = await fetch(`${url}${route}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json().catch(() => null) };
}

// The restarted process finds the job's lease expired in the same database: a SQLite file or a PostgreSQL schema.
for (const kind of selectedBackends()) {
  describe(kind, () => {
    test('SIGKILL between Salesforce committing the Task and ctibridge recording it still leaves exactly one Task', async () => {
      const emulator = await startEmulator({ port: 0 });
      const database = await createServiceDatabase(kind);
      const env = { ...database.env, CTIBRIDGE_LEASE_MS: '1500', CTIBRIDGE_BATCH_WINDOW_MS: '50' };
      try {
        let service = await spawnService(env);
        assert.equal((await call(service.url, '/api/accounts', ADMIN_TOKEN, emulatorAccount(emulator))).status, 201);
        const trigger = {
          name: 'log calls', enabled: true, on: ['voice.ended'], match: 'all', conditions: [],
          actions: [{ name: 'task', type: 'salesforce.logActivity', account: 'acme', fields: { Subject: 'Call' } }],
        };
        assert.equal((await call(service.url, '/api/triggers', ADMIN_TOKEN, trigger)).status, 201);

        // Every write commits in the org, then the connection drops: ctibridge cannot know the outcome.
        await setFaults(emulator, { dropAfterCommit: 1000 });
        const event = {
          id: 'crash-evt-1', type: 'voice.ended', occurredAt: '2026-11-28T10:15:00+01:00',
          interaction: { id: 'crash-call-1', channel: 'voice', direction: 'inbound', customer: { phone: '+39 347 555 0101' }, talkSec: 30 },
        };
        assert.equal((await call(service.url, '/ingest/events', INGEST_TOKEN, event)).status, 202);
        await waitFor(async () => (await emulatorRecords(emulator, 'Task')).some((t) => t.CallObject === 'crash-call-1'), 'the committed Task');
        await stopChild(service.process, 'SIGKILL');
        await setFaults(emulator, { dropAfterCommit: 0 });

        service = await spawnService(env);
        try {
          const job = await waitFor(async () => {
            const jobs = (await fetch(`${service.url}/api/jobs?interactionId=crash-call-1`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }).then((r) => r.json())) as Array<{ state: string; result: Record<string, unknown> | null }>;
            return jobs.find((j) => j.state === 'done') ?? null;
          }, 'the job to be reconciled after the restart', 30_000);
          assert.equal(job.result?.reconciled, true);
          assert.equal((await emulatorRecords(emulator, 'Task')).filter((t) => t.CallObject === 'crash-call-1').length, 1);
          assert.equal(await stopChild(service.process, 'SIGTERM'), 0, 'SIGTERM shuts down cleanly with exit code 0');
        } finally {
          await stopChild(service.process, 'SIGKILL');
        }
      } finally {
        await emulator.close();
        await database.cleanup();
      }
    });
  });
}
