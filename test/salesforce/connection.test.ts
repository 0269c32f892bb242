import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { connectAccount, TokenCache, type SalesforceConnection } from '../../src/salesforce/connection.ts';
import { classifySalesforceError, SalesforceError } from '../../src/salesforce/errors.ts';
import { AuthError } from '../../src/salesforce/auth/errors.ts';
import { buildAuthorizeUrl, exchangeAuthorizationCode } from '../../src/salesforce/auth/index.ts';
import { account, approveInBrowser, CALLBACK, CLIENT_ID, CLIENT_SECRET, counters, countingFetch, PASSWORD, passwordAuth, PRIVATE_KEY, setFaults } from './emulator-helpers.ts';

let emu: RunningEmulator;
before(async () => {
  emu = await startEmulator({ port: 0 });
});
after(() => emu.close());
beforeEach(() => setFaults(emu.url, { errorRate5xx: 0, lockErrorRate: 0, dropAfterCommit: 0, down: false, refillQuota: true }));

function connect(over: Parameters<typeof connectAccount>[1] = {}): SalesforceConnection {
  return connectAccount(account(emu.url), { tokenCache: null, idempotentRetries: 0, ...over });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => assert.fail('expected a failure'), (e: unknown) => e);
}

describe('REST calls', () => {
  test('create, update, upsert (created, then updated) and read back', async () => {
    const sf = connect();
    const { id } = await sf.create('Contact', { LastName: 'Bruno', Phone: '+39 333 000 0001' });
    await sf.update('Contact', id, { Title: 'Buyer' });
    const [row] = await sf.query<{ Title: string }>(`SELECT Title FROM Contact WHERE Id = '${id}'`);
    assert.equal(row.Title, 'Buyer');
    const first = await sf.upsert('Call_Log__c', 'Interaction_Key__c', 'call-1', { Duration__c: 30 });
    const second = await sf.upsert('Call_Log__c', 'Interaction_Key__c', 'call-1', { Duration__c: 45 });
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.id, first.id);
  });

  test('collections: one bad record does not fail its batch-mates; per-record results come in order', async () => {
    const sf = connect();
    const results = await sf.collectionsCreate([
      { attributes: { type: 'Task' }, Subject: 'Call 1', CallObject: 'c-1' },
      { attributes: { type: 'Lead' }, LastName: 'NoCompany' },
      { attributes: { type: 'Case' }, Subject: 'Help', Origin: 'Phone' },
    ]);
    assert.deepEqual(results.map((r) => r.success), [true, false, true]);
    assert.equal(results[1].errors[0].statusCode, 'REQUIRED_FIELD_MISSING');
    assert.equal(classifySalesforceError({ httpStatusCode: 400, body: results[1].errors.map((e) => ({ errorCode: e.statusCode, message: e.message })) }).kind, 'permanent');

    const updated = await sf.collectionsUpdate([
      { attributes: { type: 'Task' }, Id: results[0].id!, Status: 'Completed' },
      { attributes: { type: 'Case' }, Id: results[2].id!, Status: 'NotAStatus' },
    ]);
    assert.deepEqual(updated.map((r) => r.success), [true, false]);
    assert.equal(updated[1].errors[0].statusCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');

    const upserted = await sf.collectionsUpsert('Call_Log__c', 'Interaction_Key__c', [
      { attributes: { type: 'Call_Log__c' }, Interaction_Key__c: 'bulk-1', Duration__c: 1 },
      { attributes: { type: 'Call_Log__c' }, Interaction_Key__c: 'bulk-1b', Duration__c: 2 },
    ]);
    assert.deepEqual(upserted.map((r) => r.created), [true, true]);
    const again = await sf.collectionsUpsert('Call_Log__c', 'Interaction_Key__c', [{ attributes: { type: 'Call_Log__c' }, Interaction_Key__c: 'bulk-1', Duration__c: 3 }]);
    assert.equal(again[0].created, false);
  });

  test('collections refuse what Salesforce would: untyped records and more than 200', async () => {
    const sf = connect();
    await assert.rejects(sf.collectionsCreate([{ Subject: 'x' } as never]), /records\[0\]\.attributes\.type is required/);
    await assert.rejects(sf.collectionsCreate(Array.from({ length: 201 }, () => ({ attributes: { type: 'Task' } }))), /at most 200/);
  });

  test('composite runs dependent subrequests in one call', async () => {
    const sf = connect();
    const before = (await counters(emu.url)).apiCalls;
    const responses = await sf.composite([
      { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'acct', body: { Name: 'Composite Srl' } },
      { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'contact', body: { LastName: 'Verdi', AccountId: '@{acct.id}' } },
    ], true);
    assert.deepEqual(responses.map((r) => r.httpStatusCode), [201, 201]);
    assert.equal((await counters(emu.url)).apiCalls - before, 1);
  });

  test('query follows nextRecordsUrl; describe is asked once per connection', async () => {
    const sf = connect();
    for (let batch = 0; batch < 2; batch++) {
      await sf.collectionsCreate(Array.from({ length: 130 }, (_, i) => ({ attributes: { type: 'Task' }, Subject: `paging ${batch}-${i}` })));
    }
    const before = await counters(emu.url);
    const rows = await sf.query<{ Id: string }>("SELECT Id FROM Task WHERE Subject LIKE 'paging%'", { batchSize: 200 });
    assert.equal(rows.length, 260);
    const afterQuery = await counters(emu.url);
    assert.equal((afterQuery.byKind.query ?? 0) - (before.byKind.query ?? 0), 2, 'two pages');

    const [a, b] = await Promise.all([sf.describe('Task'), sf.describe('Task')]);
    await sf.describe('Task');
    assert.equal(a, b);
    assert.ok(a.fields.some((f) => f.name === 'CallObject' && f.createable));
    const afterDescribe = await counters(emu.url);
    assert.equal((afterDescribe.byKind.describe ?? 0) - (afterQuery.byKind.describe ?? 0), 1);
  });

  test('search, identity, limits, versions and the running user', async () => {
    const sf = connect();
    const found = await sf.search<{ attributes: { type: string }; Name: string }>('FIND {Conti} IN NAME FIELDS RETURNING Contact(Id, Name)');
    assert.deepEqual(found.map((r) => r.Name).sort(), ['Luca Conti', 'Sara Conti']);
    const identity = await sf.identity();
    assert.equal(identity.username, 'admin@example.com');
    assert.equal(await sf.userId(), identity.user_id);
    const limits = await sf.limits();
    assert.equal(limits.DailyApiRequests.Max, 100_000);
    assert.ok((await sf.versions()).some((v) => v.version === '62.0'));
  });

  test('Salesforce errors come out typed, with the code, fields and class', async () => {
    const sf = connect();
    const error = await failure(sf.create('Case', { Origin: 'Pigeon' }));
    assert.ok(error instanceof SalesforceError);
    assert.equal(error.errorCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    assert.deepEqual(error.fields, ['Origin']);
    assert.equal(classifySalesforceError(error).kind, 'permanent');
    const notFound = await failure(sf.update('Contact', '003000000000000AAA', { Title: 'x' }));
    assert.equal(classifySalesforceError(notFound).kind, 'permanent');
  });

  test('a user without API permission gets API_DISABLED_FOR_ORG, permanent', async () => {
    const sf = connectAccount(account(emu.url, passwordAuth({ username: 'noapi@example.com' })), { tokenCache: null });
    const error = await failure(sf.limits());
    assert.equal(classifySalesforceError(error).errorCode, 'API_DISABLED_FOR_ORG');
    assert.equal(classifySalesforceError(error).kind, 'permanent');
  });

  test('wrong credentials fail the first call with the AuthError', async () => {
    const sf = connectAccount(account(emu.url, passwordAuth({ securityToken: 'WRONG' })), { tokenCache: null });
    const error = await failure(sf.query('SELECT Id FROM Contact'));
    assert.ok(error instanceof AuthError);
    assert.match(error.explanation, /security token/);
    assert.equal(classifySalesforceError(error).kind, 'session');
  });
});

describe('sessions', () => {
  test('an expired session is renewed once and concurrent calls share that renewal', async () => {
    const counted = countingFetch();
    const sf = connect({ fetch: counted.fetch });
    await sf.query('SELECT Id FROM Contact LIMIT 1');
    assert.equal(counted.tokenCalls(), 1);
    await setFaults(emu.url, { expireSessions: true });
    const results = await Promise.all([
      sf.query('SELECT Id FROM Contact'),
      sf.query('SELECT Id FROM Lead'),
      sf.limits(),
      sf.create('Task', { Subject: 'after expiry' }),
      sf.collectionsCreate([{ attributes: { type: 'Task' }, Subject: 'after expiry, collection' }]),
    ]);
    assert.equal(results.length, 5);
    assert.equal(counted.tokenCalls(), 2, 'one login for the expired burst');
    const tasks = await sf.query("SELECT Id FROM Task WHERE Subject = 'after expiry'");
    assert.equal(tasks.length, 1, 'the create was sent again after the renewal exactly once');
  });

  test('concurrent first calls share one login', async () => {
    const counted = countingFetch();
    const sf = connect({ fetch: counted.fetch });
    await Promise.all([sf.limits(), sf.query('SELECT Id FROM Lead'), sf.userId()]);
    assert.equal(counted.tokenCalls(), 1);
  });

  test('JWT bearer and client credentials accounts log in again after expiry', async () => {
    for (const auth of [
      { flow: 'jwtBearer' as const, clientId: CLIENT_ID, username: 'admin@example.com', privateKey: PRIVATE_KEY },
      { flow: 'clientCredentials' as const, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    ]) {
      const counted = countingFetch();
      const sf = connectAccount(account(emu.url, auth), { tokenCache: null, fetch: counted.fetch });
      await sf.limits();
      await setFaults(emu.url, { expireSessions: true });
      await sf.limits();
      assert.equal(counted.tokenCalls(), 2, auth.flow);
    }
  });

  test('web-server accounts renew silently with the stored refresh token', async () => {
    const request = buildAuthorizeUrl({ loginUrl: emu.url, clientId: CLIENT_ID, redirectUri: CALLBACK });
    const code = (await approveInBrowser(request.url, 'admin@example.com', PASSWORD)).searchParams.get('code')!;
    const granted = await exchangeAuthorizationCode({ loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: CALLBACK, code, codeVerifier: request.codeVerifier });
    const counted = countingFetch();
    const rotated: string[] = [];
    const sf = connectAccount(account(emu.url, { flow: 'webServer', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: granted.refreshToken }), {
      tokenCache: null, fetch: counted.fetch, onTokenRefreshed: (token) => rotated.push(token),
    });
    await sf.query('SELECT Id FROM Contact LIMIT 1');
    await setFaults(emu.url, { expireSessions: true });
    const rows = await sf.query('SELECT Id FROM Contact LIMIT 1');
    assert.equal(rows.length, 1);
    assert.deepEqual(counted.grants, ['refresh_token', 'refresh_token']);
    assert.deepEqual(rotated, [], 'the emulated app does not rotate refresh tokens, so nothing new to store');
  });

  test('the identity service\'s 403 Bad_OAuth_Token also renews the session once', async () => {
    const counted = countingFetch();
    const sf = connect({ fetch: counted.fetch });
    await sf.identity();
    await setFaults(emu.url, { expireSessions: true });
    assert.equal((await sf.identity()).username, 'admin@example.com');
    assert.equal(counted.tokenCalls(), 2);
  });

  test('a session refused right after renewal fails the call instead of looping', async () => {
    // An org that issues sessions but refuses every one on the API (IP-locked sessions, say): logins go to the
    // emulator, data calls to a server that answers 401 INVALID_SESSION_ID.
    const refusing = createServer((req, res) => {
      void (async () => {
        if (req.url === '/services/oauth2/token') {
          const chunks: Buffer[] = [];
          for await (const chunk of req) chunks.push(chunk as Buffer);
          const answer = await fetch(`${emu.url}/services/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: Buffer.concat(chunks) });
          const text = (await answer.text()).split(emu.url).join(refusingUrl);
          res.writeHead(answer.status, { 'Content-Type': 'application/json' });
          res.end(text);
          return;
        }
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]));
      })();
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const refusingUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
    try {
      const counted = countingFetch();
      const sf = connectAccount(account(refusingUrl), { tokenCache: null, fetch: counted.fetch });
      const error = await failure(sf.create('Task', { Subject: 'refused' }));
      assert.equal(classifySalesforceError(error).errorCode, 'INVALID_SESSION_ID');
      assert.equal(classifySalesforceError(error).kind, 'session');
      assert.equal(counted.tokenCalls(), 2, 'the login, then one renewal');
      await failure(sf.limits());
      assert.equal(counted.tokenCalls(), 3, 'a later call may try one renewal again');
    } finally {
      refusing.closeAllConnections();
      await new Promise((resolve) => refusing.close(resolve));
    }
  });

  test('sessions are shared through the token cache by connections of the same account', async () => {
    const cache = new TokenCache();
    const counted = countingFetch();
    await connect({ tokenCache: cache, fetch: counted.fetch }).limits();
    await connect({ tokenCache: cache, fetch: counted.fetch }).limits();
    assert.equal(counted.tokenCalls(), 1);
  });
});

describe('API usage and failures on the wire', () => {
  test('usage is read from every response, and a spent quota is a quota failure', async () => {
    const sf = connect();
    await sf.query('SELECT Id FROM Contact');
    const first = sf.apiUsage()!;
    assert.equal(first.max, 100_000);
    await sf.query('SELECT Id FROM Lead');
    assert.equal(sf.apiUsage()!.used, first.used + 1);
    assert.ok(sf.usage.shareUsed()! > 0);

    await setFaults(emu.url, { exhaustQuota: true });
    const error = await failure(sf.query('SELECT Id FROM Contact'));
    const classified = classifySalesforceError(error);
    assert.equal(classified.kind, 'quota');
    assert.equal(classified.errorCode, 'REQUEST_LIMIT_EXCEEDED');
    assert.ok(classified.retryAfterMs! >= 60_000, 'the daily limit pauses long');
    assert.equal(sf.apiUsage()!.used, sf.apiUsage()!.max, 'the refusal carried the usage header too');
  });

  test('a POST answered 5xx is not repeated by the connection; a GET is, as configured', async () => {
    const sf = connect({ idempotentRetries: 1 });
    await sf.limits();
    await setFaults(emu.url, { errorRate5xx: 1 });
    const before = await counters(emu.url);
    const error = await failure(sf.create('Task', { Subject: 'never twice' }));
    assert.equal(classifySalesforceError(error).kind, 'retryable');
    const patchError = await failure(sf.collectionsUpdate([{ attributes: { type: 'Task' }, Id: '00T000000000000AAA', Status: 'Completed' }]));
    assert.equal(classifySalesforceError(patchError).kind, 'retryable');
    const getError = await failure(sf.limits());
    assert.equal(classifySalesforceError(getError).kind, 'retryable');
    const after = await counters(emu.url);
    const delta = (key: string) => (after.byEndpoint[key] ?? 0) - (before.byEndpoint[key] ?? 0);
    assert.equal(delta('POST /sobjects/{object}'), 1);
    assert.equal(delta('PATCH /composite/sobjects'), 1);
    assert.equal(delta('GET /limits'), 2, 'one try and one transport retry');
  });

  test('a response lost after commit surfaces as a retryable network failure, sent once', async () => {
    const sf = connect();
    await sf.limits();
    await setFaults(emu.url, { dropAfterCommit: 1 });
    const error = await failure(sf.collectionsCreate([{ attributes: { type: 'Task' }, Subject: 'lost answer', CallObject: 'lost-1' }]));
    assert.equal(classifySalesforceError(error).kind, 'retryable');
    const rows = await sf.query("SELECT Id FROM Task WHERE CallObject = 'lost-1'");
    assert.equal(rows.length, 1, 'committed once, not sent again');
  });

  test('an org that does not answer is a retryable network failure', async () => {
    const sf = connect();
    await sf.limits();
    await setFaults(emu.url, { down: true });
    const error = await failure(sf.create('Task', { Subject: 'down' }));
    await setFaults(emu.url, { down: false });
    const classified = classifySalesforceError(error);
    assert.equal(classified.kind, 'retryable', `${classified.errorCode}: ${classified.message}`);
  });
});
