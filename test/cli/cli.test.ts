import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startEmulator } from '../../src/emulator/index.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

async function ctibridge(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('doctor names a wrong security token as the cause, and never prints secrets', async () => {
  const emulator = await startEmulator({ port: 0 });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ctibridge-cli-'));
  const env = { CTIBRIDGE_DATA_DIR: dataDir, SF_CLIENT_SECRET: 'emulator-client-secret', SF_PASSWORD: 'emulator-password', SF_SECURITY_TOKEN: 'WRONGTOKEN' };
  try {
    const added = await ctibridge(['accounts', 'add', '--name', 'acme', '--login-url', emulator.url, '--client-id', 'emulator-client-id', '--username', 'admin@example.com'], env);
    assert.equal(added.code, 0, added.stderr);
    assert.doesNotMatch(added.stdout, /emulator-client-secret|emulator-password|WRONGTOKEN/);

    const doctor = await ctibridge(['doctor', '--account', 'acme'], env);
    assert.equal(doctor.code, 1);
    assert.match(doctor.stdout, /security token/i);
    assert.doesNotMatch(doctor.stdout + doctor.stderr, /emulator-client-secret|emulator-password|WRONGTOKEN/);

    const fixed = await ctibridge(['accounts', 'add', '--name', 'acme', '--login-url', emulator.url, '--client-id', 'emulator-client-id', '--username', 'admin@example.com'], { ...env, SF_SECURITY_TOKEN: 'EMULATORTOKEN' });
    assert.equal(fixed.code, 0);
    const healthy = await ctibridge(['accounts', 'test', 'acme'], env);
    assert.equal(healthy.code, 0, healthy.stdout);
  } finally {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('triggers import rejects an invalid file naming the trigger, action and field, and imports a valid one', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ctibridge-cli-'));
  const file = path.join(dataDir, 'triggers.json');
  try {
    writeFileSync(file, JSON.stringify([{ name: 'log calls', enabled: true, on: ['voice.ended'], match: 'all', conditions: [],
      actions: [{ name: 'task', type: 'salesforce.logActivity', account: 'acme', fields: { WhoId: '{{ actions.custmer.id }}' } }] }]));
    const bad = await ctibridge(['triggers', 'import', file], { CTIBRIDGE_DATA_DIR: dataDir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /trigger "log calls", action #1 "task".*WhoId/);

    writeFileSync(file, JSON.stringify({ name: 'log calls', enabled: true, on: ['voice.ended'], match: 'all', conditions: [],
      actions: [{ name: 'task', type: 'salesforce.logActivity', account: 'acme', fields: { Subject: 'Call' } }] }));
    assert.equal((await ctibridge(['triggers', 'import', file], { CTIBRIDGE_DATA_DIR: dataDir })).code, 0);
    const exported = JSON.parse((await ctibridge(['triggers', 'export'], { CTIBRIDGE_DATA_DIR: dataDir })).stdout);
    assert.equal(exported[0].name, 'log calls');
    assert.equal(exported[0].actions[0].fields.Subject, 'Call');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('cti callcenter-xml prints a definition file carrying the adapter URL', async () => {
  const result = await ctibridge(['cti', 'callcenter-xml', '--url', 'https://ctibridge.example.com'], {});
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /<callCenter>/);
  assert.match(result.stdout, /https:\/\/ctibridge\.example\.com\/cti\/softphone/);
});

test('events send posts a file with progress, then jobs list and triggers test show what happened', async () => {
  const { startTestService, emulatorAccount, emulatorRecords, waitFor, INGEST_TOKEN } = await import('../helpers/service.ts');
  const emulator = await startEmulator({ port: 0 });
  const svc = await startTestService();
  try {
    await svc.api('POST', '/api/accounts', emulatorAccount(emulator));
    await svc.api('POST', '/api/triggers', {
      name: 'log calls', enabled: true, on: ['voice.ended'], match: 'all', conditions: [],
      actions: [
        { name: 'customer', type: 'salesforce.findCustomer', account: 'acme', by: 'phone', onNone: 'continue' },
        { name: 'task', type: 'salesforce.logActivity', account: 'acme', fields: { Subject: 'Call from {{ interaction.customer.phone }}' } },
      ],
    });
    const file = path.join(svc.dataDir, 'events.ndjson');
    const lines = [1, 2, 3].map((n) => JSON.stringify({ id: `cli-${n}`, type: 'voice.ended', occurredAt: '2026-11-28T10:15:00+01:00', interaction: { id: `cli-call-${n}`, channel: 'voice', customer: { phone: '+39 347 555 0101' } } }));
    writeFileSync(file, `${lines.join('\n')}\n{"id": "cli-bad", "type": "voice.ended"}\n`);
    const sent = await ctibridge(['events', 'send', file, '--url', svc.url, '--token', INGEST_TOKEN], {});
    assert.equal(sent.code, 1, 'one event was rejected');
    const summary = JSON.parse(sent.stdout);
    assert.equal(summary.accepted, 3);
    assert.equal(summary.rejected, 1);
    assert.match(summary.errors[0].message, /occurredAt/);
    assert.match(sent.stderr, /\[#+\] 4\/4/);

    await waitFor(async () => (await emulatorRecords(emulator, 'Task')).filter((t) => String(t.CallObject).startsWith('cli-call-')).length === 3, 'three Tasks');
    const listed = await ctibridge(['jobs', 'list', '--state', 'done'], { CTIBRIDGE_DATA_DIR: svc.dataDir, CTIBRIDGE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') });
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal((listed.stdout.match(/salesforce\.logActivity/g) ?? []).length, 3);

    const eventFile = path.join(svc.dataDir, 'sample.json');
    writeFileSync(eventFile, lines[0]);
    const dry = await ctibridge(['triggers', 'test', 'log calls', '--event', eventFile], { CTIBRIDGE_DATA_DIR: svc.dataDir, CTIBRIDGE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') });
    assert.equal(dry.code, 0, dry.stderr);
    const result = JSON.parse(dry.stdout);
    assert.equal(result.matched, true);
    const task = result.steps.find((s: { action: string }) => s.action === 'task');
    assert.equal(task.would.object, 'Task');
    assert.equal(task.would.record.Subject, 'Call from +39 347 555 0101');
    assert.match(task.would.record.WhoId, /^003/);
  } finally {
    await svc.close();
    await emulator.close();
  }
});
