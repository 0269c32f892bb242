import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import jsforce from 'jsforce';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { ADMIN, CLIENT_ID, CLIENT_SECRET, PASSWORD, TOKEN } from './helpers.ts';

describe('jsforce against the emulator', () => {
  let emu: RunningEmulator;
  let conn: jsforce.Connection;
  before(async () => {
    emu = await startEmulator();
    conn = new jsforce.Connection({ oauth2: { loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, version: '62.0' });
    await conn.login(ADMIN, PASSWORD + TOKEN);
  });
  after(() => emu.close());

  test('logs in over OAuth and lands on the emulator instance', () => {
    assert.equal(conn.instanceUrl, emu.url);
    assert.equal(conn.userInfo?.organizationId, emu.org.id);
  });

  test('queries, creates collections, upserts and reads the usage header', async () => {
    const contacts = await conn.query<{ Name: string }>('SELECT Id, Name FROM Contact');
    assert.ok(contacts.totalSize > 0);
    const results = await conn.sobject('Task').create([{ Subject: 'a' }, { Subject: 'b', Status: 'Bogus' }], { allOrNone: false });
    assert.deepEqual(results.map((r) => r.success), [true, false]);
    const upserted = await conn.sobject('Call_Log__c').upsert({ Interaction_Key__c: 'jsf-1', Duration__c: 5 }, 'Interaction_Key__c');
    assert.equal((upserted as { created?: boolean }).created, true);
    assert.match(String(conn.limitInfo?.apiUsage?.used), /^\d+$/);
  });

  test('an expired session answers INVALID_SESSION_ID, which jsforce answers by logging in again', async () => {
    const before = conn.accessToken;
    emu.org.sessions.expireAll();
    const result = await conn.query('SELECT Id FROM Contact');
    assert.ok(result.totalSize > 0);
    assert.notEqual(conn.accessToken, before);
  });
});
