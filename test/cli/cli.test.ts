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
