import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emulatorAccount, emulatorRecords, startEmulator, startTestService, waitFor } from '../helpers/service.ts';

test('an unknown caller becomes one Lead, which later calls find instead of creating another; metrics show the work', async () => {
  const emulator = await startEmulator({ port: 0 });
  const svc = await startTestService();
  try {
    await svc.api('POST', '/api/accounts', emulatorAccount(emulator));
    assert.equal((await svc.api('POST', '/api/triggers', {
      name: 'log calls', enabled: true, on: ['voice.ended'], match: 'all', conditions: [],
      actions: [
        { name: 'customer', type: 'salesforce.findCustomer', account: 'acme', by: 'phone', objects: ['Contact', 'Lead'], onNone: 'createLead' },
        { name: 'task', type: 'salesforce.logActivity', account: 'acme', fields: { Subject: 'Call' } },
      ],
    })).status, 201);
    const call = (n: number) => ({
      id: `unknown-${n}`, type: 'voice.ended', occurredAt: '2026-11-28T10:15:00+01:00',
      interaction: { id: `unknown-call-${n}`, channel: 'voice', direction: 'inbound', customer: { phone: '+39 351 777 0042', name: 'Giulia Verdi' } },
    });
    const leadsFor = async () => (await emulatorRecords(emulator, 'Lead')).filter((l) => String(l.Phone ?? l.MobilePhone ?? '').replace(/\D/g, '').endsWith('3517770042'));

    await svc.postEvents(call(1));
    await waitFor(async () => (await emulatorRecords(emulator, 'Task')).some((t) => t.CallObject === 'unknown-call-1'), 'the first Task');
    const [lead] = await leadsFor();
    assert.ok(lead, 'a Lead was created for the unknown number');

    await svc.postEvents(call(2));
    const second = await waitFor(async () => (await emulatorRecords(emulator, 'Task')).find((t) => t.CallObject === 'unknown-call-2'), 'the second Task');
    assert.equal((await leadsFor()).length, 1, 'the second call found the Lead instead of creating another');
    assert.equal(second.WhoId, lead.Id);

    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    assert.match(metrics, /ctibridge_events_ingested_total\{source="webhook"\} 2/);
    assert.match(metrics, /ctibridge_jobs_finished_total\{outcome="done",kind="salesforce.logActivity"\} 2/);
    assert.match(metrics, /ctibridge_salesforce_api_usage_ratio\{account="acme"\} 0\.\d+/);
  } finally {
    await svc.close();
    await emulator.close();
  }
});
