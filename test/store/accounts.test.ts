import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { AccountConfig } from '../../src/domain/account.ts';
import { forEachBackend } from './backends.ts';

const acme: AccountConfig = {
  name: 'acme',
  loginUrl: 'https://login.salesforce.com',
  apiVersion: '62.0',
  auth: {
    flow: 'password',
    clientId: '3MVG9-consumer-key',
    clientSecret: 'consumer-secret-0xDEADBEEF',
    username: 'integration@acme.example',
    password: 'hunter2-password',
    securityToken: 'TOKEN-abc123',
  },
  fallbackOwner: 'admin@acme.example',
  externalIdField: null,
  markerField: null,
  apiShare: 0.2,
};
const SECRET_VALUES = ['consumer-secret-0xDEADBEEF', 'hunter2-password', 'TOKEN-abc123'];

forEachBackend((fresh, kind) => {
  test('an account comes back whole, but its secrets are not readable in the database', async () => {
    const backend = await fresh();
    const store = await backend.open();
    const saved = await store.accounts.upsert(acme);
    assert.deepEqual(saved.config, acme);
    assert.deepEqual((await store.accounts.get('acme'))?.config, acme);

    const [row] = await backend.query('SELECT * FROM accounts');
    const atRest = JSON.stringify(row);
    for (const secret of SECRET_VALUES) assert.ok(!atRest.includes(secret), `"${secret}" is stored in clear`);
    assert.match(String(row.secrets), /^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    assert.equal(JSON.parse(String(row.config)).auth.username, 'integration@acme.example', 'non-secret fields stay readable');
  });

  test('updating an account replaces it; remove deletes it', async () => {
    const store = await (await fresh()).open();
    const created = await store.accounts.upsert(acme);
    const renewed = { ...acme, auth: { flow: 'webServer', clientId: 'cid', refreshToken: 'refresh-1' } } as AccountConfig;
    const updated = await store.accounts.upsert(renewed);
    assert.equal(updated.id, created.id);
    assert.deepEqual((await store.accounts.get('acme'))?.config, renewed);
    await store.accounts.upsert({ ...acme, name: 'globex' });
    assert.deepEqual(
      (await store.accounts.list()).map((a) => a.config.name),
      ['acme', 'globex'],
    );
    assert.equal(await store.accounts.remove('acme'), true);
    assert.equal(await store.accounts.remove('acme'), false);
    assert.equal(await store.accounts.get('acme'), null);
  });

  test('starting with another master key fails clearly, naming the variable, instead of returning garbage', async () => {
    const backend = await fresh();
    await (await backend.open()).accounts.upsert(acme);
    await assert.rejects(backend.open({ masterKey: randomBytes(32).toString('base64') }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'MASTER_KEY_MISMATCH');
      assert.match(error.message, /CTIBRIDGE_MASTER_KEY/);
      return true;
    });
  });

  test('a malformed master key is refused with the expected format', async () => {
    const backend = await fresh();
    await assert.rejects(backend.open({ masterKey: 'too-short' }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'INVALID_MASTER_KEY');
      assert.match(error.message, /CTIBRIDGE_MASTER_KEY must be 32 random bytes/);
      assert.ok(!error.message.includes('too-short'), 'the key is not echoed');
      return true;
    });
  });

  test('without CTIBRIDGE_MASTER_KEY a key file is created once, readable only by its owner, and reused', async () => {
    const backend = await fresh();
    const dataDir = backend.options.dataDir as string;
    const keyFile = path.join(dataDir, 'master.key');
    const store = await backend.open({ masterKey: undefined });
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    const key = readFileSync(keyFile, 'utf8');
    assert.equal(Buffer.from(key.trim(), 'base64').length, 32);
    await store.accounts.upsert(acme);

    const again = await backend.open({ masterKey: undefined });
    assert.equal(readFileSync(keyFile, 'utf8'), key);
    assert.deepEqual((await again.accounts.get('acme'))?.config, acme);
  });

  test(`triggers and settings are kept (${kind})`, async () => {
    const store = await (await fresh()).open();
    const definition = { on: ['voice.ended'], match: 'all', conditions: [], actions: [{ name: 'task', type: 'salesforce.logActivity', account: 'acme' }] };
    const saved = await store.triggers.save({ name: 'log calls', enabled: true, definition });
    assert.doesNotMatch(saved.id, /\//, 'trigger ids go into job keys');
    assert.deepEqual(await store.triggers.get('log calls'), saved);
    assert.deepEqual(await store.triggers.get(saved.id), saved);

    const reimported = await store.triggers.save({ name: 'log calls', enabled: false, definition });
    assert.equal(reimported.id, saved.id, 'saving by name keeps the id');
    assert.equal(reimported.enabled, false);
    const other = await store.triggers.save({ name: 'cases', enabled: true, definition: {} });
    await assert.rejects(store.triggers.save({ id: other.id, name: 'log calls', enabled: true, definition: {} }), (error: Error & { code?: string }) => error.code === 'TRIGGER_NAME_TAKEN');
    assert.deepEqual(
      (await store.triggers.list()).map((t) => t.name),
      ['cases', 'log calls'],
    );
    assert.equal(await store.triggers.remove(other.id), true);
    assert.equal(await store.triggers.get('cases'), null);

    assert.equal(await store.settings.get('cti'), null);
    await store.settings.set('cti', { popOn: 'ringing' });
    await store.settings.set('cti', { popOn: 'answered' });
    await store.settings.set('demo', true);
    assert.deepEqual(await store.settings.get('cti'), { popOn: 'answered' });
    assert.equal(await store.settings.get<boolean>('demo'), true);
  });
});
