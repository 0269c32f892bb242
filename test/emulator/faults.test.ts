import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startEmulator } from '../../src/emulator/index.ts';
import { TestOrg, V } from './helpers.ts';

describe('sessions and quota', () => {
  test('an idle token expires after sessionTtlSec with INVALID_SESSION_ID', async () => {
    const org = await TestOrg.start({ sessionTtlSec: 1 });
    try {
      assert.equal((await org.api('GET', 'limits')).status, 200);
      await sleep(1100);
      const expired = await org.api('GET', 'limits');
      assert.equal(expired.status, 401);
      assert.deepEqual(expired.body, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      await org.login();
      assert.equal((await org.api('GET', 'limits')).status, 200);
    } finally {
      await org.close();
    }
  });

  test('the daily limit is counted in Sforce-Limit-Info and enforced with REQUEST_LIMIT_EXCEEDED', async () => {
    const org = await TestOrg.start({ dailyApiLimit: 3 });
    try {
      const usage = [];
      for (let i = 0; i < 3; i++) usage.push((await org.api('GET', 'limits')).headers.get('sforce-limit-info'));
      assert.deepEqual(usage, ['api-usage=1/3', 'api-usage=2/3', 'api-usage=3/3']);
      const refused = await org.api('GET', 'limits');
      assert.equal(refused.status, 403);
      assert.deepEqual(refused.body, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
      assert.equal(refused.headers.get('sforce-limit-info'), 'api-usage=3/3');
      await org.control('faults', { refillQuota: true });
      assert.equal((await org.api('GET', 'limits')).status, 200);
    } finally {
      await org.close();
    }
  });
});

describe('fault injection', () => {
  let org: TestOrg;
  before(async () => {
    org = await TestOrg.start();
  });
  beforeEach(async () => {
    await org.control('reset', {});
    await org.login();
  });
  after(() => org.close());

  test('errorRate5xx answers 503 SERVER_UNAVAILABLE', async () => {
    await org.control('faults', { errorRate5xx: 1 });
    const reply = await org.api('GET', 'limits');
    assert.equal(reply.status, 503);
    assert.equal(reply.body[0].errorCode, 'SERVER_UNAVAILABLE');
    await org.control('faults', { errorRate5xx: 0 });
    assert.equal((await org.api('GET', 'limits')).status, 200);
  });

  test('expireSessions invalidates every current token', async () => {
    await org.control('faults', { expireSessions: true });
    assert.equal((await org.api('GET', 'limits')).body[0].errorCode, 'INVALID_SESSION_ID');
  });

  test('exhaustQuota uses up the daily limit', async () => {
    await org.control('faults', { exhaustQuota: true });
    const reply = await org.api('GET', 'limits');
    assert.equal(reply.body[0].errorCode, 'REQUEST_LIMIT_EXCEEDED');
    assert.equal(reply.headers.get('sforce-limit-info'), 'api-usage=100000/100000');
  });

  test('lockErrorRate fails writes with UNABLE_TO_LOCK_ROW, per record in collections', async () => {
    await org.control('faults', { lockErrorRate: 1 });
    const single = await org.api('POST', 'sobjects/Task', { Subject: 'x' });
    assert.equal(single.status, 400);
    assert.equal(single.body[0].errorCode, 'UNABLE_TO_LOCK_ROW');
    const many = await org.api('POST', 'composite/sobjects', { records: [{ attributes: { type: 'Task' }, Subject: 'y' }] });
    assert.equal(many.body[0].errors[0].statusCode, 'UNABLE_TO_LOCK_ROW');
    assert.equal((await org.api('GET', `query?q=${encodeURIComponent('SELECT Id FROM Task')}`)).status, 200, 'reads are not affected');
  });

  test('dropAfterCommit commits the write and then drops the connection', async () => {
    await org.control('faults', { dropAfterCommit: 1 });
    await assert.rejects(org.api('POST', 'sobjects/Task', { Subject: 'committed but unanswered', CallObject: 'drop-1' }));
    const tasks = (await org.control('records/Task')).body;
    assert.ok(tasks.some((t: { CallObject: string }) => t.CallObject === 'drop-1'));
    assert.equal((await org.api('POST', 'sobjects/Task', { Subject: 'answered' })).status, 201, 'only the next N writes are dropped');
  });

  test('down drops every Salesforce request; controls still answer', async () => {
    await org.control('faults', { down: true });
    await assert.rejects(org.api('GET', 'limits'));
    await assert.rejects(fetch(`${org.url}/services/oauth2/token`, { method: 'POST' }));
    assert.equal((await org.control('counters')).status, 200);
    await org.control('faults', { down: false });
    assert.equal((await org.api('GET', 'limits')).status, 200);
  });

  test('latencyMs delays every Salesforce answer', async () => {
    await org.control('faults', { latencyMs: 150 });
    const started = Date.now();
    await org.api('GET', 'limits');
    assert.ok(Date.now() - started >= 140);
  });

  test('bad fault requests name the problem', async () => {
    const reply = await org.control('faults', { errorRate5xx: 2 });
    assert.equal(reply.status, 400);
    assert.match(reply.body.error, /errorRate5xx/);
  });

  test('counters group calls by endpoint and kind; reset returns to the seed', async () => {
    await org.api('POST', 'sobjects/Lead', { LastName: 'Temp', Company: 'T' });
    await org.api('GET', `query?q=${encodeURIComponent('SELECT Id FROM Lead')}`);
    await org.api('GET', `search?q=${encodeURIComponent('FIND {Temp} RETURNING Lead(Id)')}`);
    const counters = (await org.control('counters')).body;
    assert.equal(counters.apiCalls, 3);
    assert.deepEqual([counters.byKind.create, counters.byKind.query, counters.byKind.search], [1, 1, 1]);
    assert.equal(counters.byEndpoint['POST /sobjects/{object}'], 1);
    const seeded = (await org.control('records/Lead')).body.length;
    await org.control('reset', {});
    assert.equal((await org.control('records/Lead')).body.length, seeded - 1);
    assert.equal((await org.control('counters')).body.apiCalls, 0);
  });
});

describe('state file', () => {
  test('records survive a restart when stateFile is set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-state-'));
    try {
      const stateFile = join(dir, 'org.json');
      const first = await TestOrg.start({ stateFile });
      const created = await first.api('POST', 'sobjects/Contact', { LastName: 'Persistent' });
      await first.close();
      const second = await startEmulator({ stateFile });
      try {
        assert.ok(second.org.store.get('Contact', created.body.id));
        const state = await (await fetch(`${second.url}/__emulator/state`)).json();
        assert.equal(state.org.id, second.org.id);
        assert.ok(state.records.live.Contact.some((c: { LastName: string }) => c.LastName === 'Persistent'));
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('unknown API versions and paths answer NOT_FOUND', async () => {
  const org = await TestOrg.start();
  try {
    assert.equal((await org.api('GET', '/services/data/v99.0/limits')).status, 404);
    const nope = await org.api('GET', `${V}/nothing-here`);
    assert.deepEqual(nope.body, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
  } finally {
    await org.close();
  }
});
