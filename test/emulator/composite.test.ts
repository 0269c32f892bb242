import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestOrg, V } from './helpers.ts';

describe('sObject Collections', () => {
  let org: TestOrg;
  before(async () => {
    org = await TestOrg.start();
  });
  after(() => org.close());

  const task = (fields: Record<string, unknown>) => ({ attributes: { type: 'Task' }, ...fields });

  test('allOrNone=false: each record succeeds or fails on its own, in order', async () => {
    const reply = await org.api('POST', 'composite/sobjects', {
      allOrNone: false,
      records: [task({ Subject: 'ok 1' }), task({ Subject: 'bad', Status: 'Nope' }), task({ Subject: 'ok 2' })],
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.length, 3);
    assert.equal(reply.body[0].success, true);
    assert.match(reply.body[0].id, /^00T/);
    assert.deepEqual(reply.body[1], {
      id: null, success: false,
      errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'Status: bad value for restricted picklist field: Nope', fields: ['Status'] }],
    });
    assert.equal(reply.body[2].success, true);
  });

  test('allOrNone=true: one failure rolls every record back', async () => {
    const before = (await org.control('records/Contact')).body.length;
    const reply = await org.api('POST', 'composite/sobjects', {
      allOrNone: true,
      records: [{ attributes: { type: 'Contact' }, LastName: 'Kept?' }, { attributes: { type: 'Contact' }, FirstName: 'No last name' }],
    });
    assert.equal(reply.body[0].success, false);
    assert.equal(reply.body[0].errors[0].statusCode, 'ALL_OR_NONE_OPERATION_ROLLED_BACK');
    assert.deepEqual(reply.body[1].errors[0], { statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] });
    assert.equal((await org.control('records/Contact')).body.length, before);
  });

  test('more than 200 records, or an unknown field, fail the whole request', async () => {
    const tooMany = await org.api('POST', 'composite/sobjects', { records: Array.from({ length: 201 }, () => task({ Subject: 'x' })) });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body[0].errorCode, 'EXCEEDED_ID_LIMIT');
    const unknown = await org.api('POST', 'composite/sobjects', { records: [task({ Subject: 'x' }), task({ Bogus__c: 1 })] });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body[0].errorCode, 'INVALID_FIELD');
  });

  test('update, retrieve and delete by ids', async () => {
    const created = (await org.api('POST', 'composite/sobjects', { records: [task({ Subject: 'a' }), task({ Subject: 'b' })] })).body;
    const ids = created.map((r: { id: string }) => r.id);
    const updated = await org.api('PATCH', 'composite/sobjects', {
      allOrNone: false,
      records: [task({ Id: ids[0], Status: 'Completed' }), task({ Id: ids[1], Priority: 'Urgent!' })],
    });
    assert.equal(updated.body[0].success, true);
    assert.equal(updated.body[1].success, false);
    assert.equal(updated.body[1].id, ids[1]);
    const read = await org.api('GET', `composite/sobjects/Task?ids=${ids.join(',')},00T000000000000AAA&fields=Id,Status,IsClosed`);
    assert.equal(read.body[0].Status, 'Completed');
    assert.equal(read.body[0].IsClosed, true);
    assert.equal(read.body[1].Status, 'Not Started');
    assert.equal(read.body[2], null);
    const deleted = await org.api('DELETE', `composite/sobjects?ids=${ids.join(',')}&allOrNone=false`);
    assert.deepEqual(deleted.body.map((r: { success: boolean }) => r.success), [true, true]);
    const again = await org.api('DELETE', `composite/sobjects?ids=${ids[0]}`);
    assert.equal(again.body[0].success, false);
    assert.equal(again.body[0].errors[0].statusCode, 'ENTITY_IS_DELETED');
  });

  test('upsert collections report created per record', async () => {
    const log = (key: string, duration: number) => ({ attributes: { type: 'Call_Log__c' }, Interaction_Key__c: key, Duration__c: duration });
    const first = await org.api('PATCH', 'composite/sobjects/Call_Log__c/Interaction_Key__c', { allOrNone: false, records: [log('k1', 1), log('k2', 2)] });
    assert.deepEqual(first.body.map((r: { created: boolean }) => r.created), [true, true]);
    const second = await org.api('PATCH', 'composite/sobjects/Call_Log__c/Interaction_Key__c', { allOrNone: false, records: [log('k1', 10), log('k3', 3)] });
    assert.deepEqual(second.body.map((r: { created: boolean; success: boolean }) => [r.success, r.created]), [[true, false], [true, true]]);
    assert.equal(second.body[0].id, first.body[0].id);
  });
});

describe('Composite and batch', () => {
  let org: TestOrg;
  before(async () => {
    org = await TestOrg.start();
  });
  after(() => org.close());

  test('later subrequests use earlier results through @{ref.field} and @{ref.records[0].Id}', async () => {
    const reply = await org.api('POST', 'composite', {
      allOrNone: false,
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'acct', body: { Name: 'Composite Co' } },
        { method: 'POST', url: `${V}/sobjects/Contact`, referenceId: 'ct', body: { LastName: 'Ref', AccountId: '@{acct.id}' } },
        { method: 'GET', url: `${V}/query?q=SELECT+Id,AccountId+FROM+Contact+WHERE+LastName='Ref'`, referenceId: 'q' },
        { method: 'POST', url: `${V}/sobjects/Task`, referenceId: 'task', body: { Subject: 'Follow up', WhoId: '@{q.records[0].Id}', WhatId: '@{acct.id}' } },
        { method: 'GET', url: `${V}/sobjects/Contact/@{ct.id}?fields=AccountId`, referenceId: 'read' },
      ],
    });
    assert.equal(reply.status, 200);
    const responses = reply.body.compositeResponse;
    assert.deepEqual(responses.map((r: { httpStatusCode: number }) => r.httpStatusCode), [201, 201, 200, 201, 200]);
    assert.deepEqual(responses.map((r: { referenceId: string }) => r.referenceId), ['acct', 'ct', 'q', 'task', 'read']);
    assert.equal(responses[4].body.AccountId, responses[0].body.id);
    assert.ok(responses[0].httpHeaders.Location.includes('/sobjects/Account/'));
  });

  test('allOrNone composite rolls back and marks the others PROCESSING_HALTED', async () => {
    const before = (await org.control('records/Account')).body.length;
    const reply = await org.api('POST', 'composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'a', body: { Name: 'Rolled back' } },
        { method: 'POST', url: `${V}/sobjects/Contact`, referenceId: 'b', body: { FirstName: 'Missing last name', AccountId: '@{a.id}' } },
        { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'c', body: { Name: 'Never' } },
      ],
    });
    assert.equal(reply.status, 200);
    const [a, b, c] = reply.body.compositeResponse;
    assert.equal(a.httpStatusCode, 400);
    assert.equal(a.body[0].errorCode, 'PROCESSING_HALTED');
    assert.equal(b.body[0].errorCode, 'REQUIRED_FIELD_MISSING');
    assert.equal(c.body[0].errorCode, 'PROCESSING_HALTED');
    assert.equal((await org.control('records/Account')).body.length, before);
  });

  test('a reference to a failed subrequest fails only its dependants when allOrNone is false', async () => {
    const reply = await org.api('POST', 'composite', {
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Contact`, referenceId: 'bad', body: {} },
        { method: 'POST', url: `${V}/sobjects/Task`, referenceId: 'dep', body: { WhoId: '@{bad.id}' } },
        { method: 'POST', url: `${V}/sobjects/Task`, referenceId: 'free', body: { Subject: 'independent' } },
      ],
    });
    const [bad, dep, free] = reply.body.compositeResponse;
    assert.equal(bad.httpStatusCode, 400);
    assert.equal(dep.httpStatusCode, 400);
    assert.equal(dep.body[0].errorCode, 'PROCESSING_HALTED');
    assert.equal(free.httpStatusCode, 201);
  });

  test('more than 25 subrequests are refused', async () => {
    const compositeRequest = Array.from({ length: 26 }, (_, i) => ({ method: 'GET', url: `${V}/limits`, referenceId: `r${i}` }));
    const reply = await org.api('POST', 'composite', { compositeRequest });
    assert.equal(reply.status, 400);
  });

  test('composite/batch runs independent subrequests and reports hasErrors', async () => {
    const reply = await org.api('POST', 'composite/batch', {
      batchRequests: [
        { method: 'POST', url: 'v62.0/sobjects/Lead', richInput: { LastName: 'Batch', Company: 'B' } },
        { method: 'POST', url: 'v62.0/sobjects/Lead', richInput: { LastName: 'Batch' } },
        { method: 'GET', url: 'v62.0/limits' },
      ],
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.hasErrors, true);
    assert.deepEqual(reply.body.results.map((r: { statusCode: number }) => r.statusCode), [201, 400, 200]);
    assert.equal(reply.body.results[1].result[0].errorCode, 'REQUIRED_FIELD_MISSING');
  });

  test('a composite request counts as one API call', async () => {
    await org.control('reset', {});
    await org.login();
    await org.api('POST', 'composite', {
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Task`, referenceId: 't1', body: { Subject: 'a' } },
        { method: 'POST', url: `${V}/sobjects/Task`, referenceId: 't2', body: { Subject: 'b' } },
      ],
    });
    const counters = (await org.control('counters')).body;
    assert.equal(counters.apiCalls, 1);
    assert.equal(counters.byKind.composite, 1);
    assert.equal(counters.byEndpoint['POST /composite'], 1);
  });
});
