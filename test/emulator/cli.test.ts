import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { test } from 'node:test';
import { DEFAULT_SEED, startEmulator } from '../../src/emulator/index.ts';

test('runEmulatorCommand prints the URL and credentials, serves, and stops on SIGTERM', async () => {
  const script = "import { runEmulatorCommand } from './src/emulator/index.ts'; await runEmulatorCommand({ port: 0 });";
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match && output.includes('Ctrl+C')) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
  });
  for (const expected of ['emulator-client-id', 'emulator-client-secret', 'admin@example.com', 'emulator-password', 'EMULATORTOKEN']) {
    assert.ok(output.includes(expected), expected);
  }
  assert.equal((await fetch(`${url}/services/data`)).status, 200);
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
});

test('a seed file defines apps, users, custom objects and records', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-seed-'));
  try {
    const seedFile = join(dir, 'seed.json');
    writeFileSync(seedFile, JSON.stringify({
      apps: [{ ...DEFAULT_SEED.apps[1], clientId: 'file-app', clientSecret: 'file-secret' }],
      users: [{ Username: 'ops@file.example', Email: 'ops@file.example', LastName: 'Ops', Profile: 'System Administrator', password: 'pw', securityToken: 'TK' }],
      objects: [{ name: 'Ticket__c', fields: [{ name: 'Ref__c', type: 'string', externalId: true, unique: true }] }],
      records: { Account: [{ _ref: 'a', Name: 'File Co' }], Contact: [{ LastName: 'Filed', AccountId: '@a', OwnerId: '@user:ops@file.example' }], Ticket__c: [{ Ref__c: 'T-1' }] },
    }));
    const emu = await startEmulator({ seed: seedFile });
    try {
      const login = await fetch(`${emu.url}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'password', client_id: 'file-app', client_secret: 'file-secret', username: 'ops@file.example', password: 'pwTK' }),
      });
      assert.equal(login.status, 200);
      const contact = emu.org.store.list('Contact')[0];
      assert.equal(contact.AccountId, emu.org.store.list('Account')[0].Id);
      assert.equal(emu.org.store.list('Ticket__c')[0].Ref__c, 'T-1');
    } finally {
      await emu.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
