import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emulatorAccount, emulatorRecords, startEmulator, startTestService, waitFor } from '../helpers/service.ts';

test('refused credentials hold the account\'s work, say why, and deliver once the account is fixed', async () => {
  const emulator = await startEmulator({ port: 0 });
  const svc = await startTestService({ quotaPauseMs: 300 });
  try {
    const wrong = emulatorAccount(emulator);
    wrong.auth = { ...wrong.auth, securityToken: 'STALETOKEN' };
    assert.equal((await svc.api('POST', '/api/accounts', wrong)).status, 201);
    assert.equal((await svc.api('POST', '/api/triggers', {
      name: 'log calls', enabled: true, on: ['voice.ended'], match: 'all', conditions: [],
      actions: [{ name: 'task', type: 'salesforce.logActivity', account: 'acme', fields: { Subject: 'Call' } }],
    })).status, 201);
    const event = { id: 'cred-1', type: 'voice.ended', occurredAt: '2026-11-28T10:15:00+01:00', interaction: { id: 'cred-call-1', channel: 'voice', customer: { phone: '+39 347 555 0101' } } };
    assert.equal((await svc.postEvents(event)).status, 202);

    const paused = await waitFor(async () => {
      const stats = (await svc.api<{ accounts: Array<{ name: string; paused: { reason: string } | null }> }>('GET', '/api/stats')).body;
      return stats.accounts.find((a) => a.name === 'acme')?.paused ?? null;
    }, 'the account to be paused');
    assert.match(paused.reason, /AUTH_invalid_grant/);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const jobs = (await svc.api<Array<{ state: string }>>('GET', '/api/jobs?interactionId=cred-call-1')).body;
    assert.notEqual(jobs[0].state, 'dead', 'the job waits instead of dying');

    const fixed = await svc.api('PUT', '/api/accounts/acme', { ...emulatorAccount(emulator), name: 'acme' });
    assert.equal(fixed.status, 200);
    await waitFor(async () => (await emulatorRecords(emulator, 'Task')).some((t) => t.CallObject === 'cred-call-1'), 'the Task after the fix');
  } finally {
    await svc.close();
    await emulator.close();
  }
});
