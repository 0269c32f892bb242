import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestOrg, V } from './helpers.ts';

describe('REST API resources and describes', () => {
  let org: TestOrg;
  before(async () => {
    org = await TestOrg.start();
  });
  after(() => org.close());

  test('versions list needs no session and has no usage header; versioned calls do', async () => {
    const res = await fetch(`${org.url}/services/data`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('sforce-limit-info'), null);
    const versions = await res.json();
    assert.ok(versions.some((v: { version: string; url: string }) => v.version === '62.0' && v.url === '/services/data/v62.0'));
    const resources = await org.api('GET', `${V}/`);
    assert.equal(resources.body.sobjects, `${V}/sobjects`);
    assert.match(resources.headers.get('sforce-limit-info') ?? '', /^api-usage=\d+\/100000$/);
  });

  test('limits report the daily API requests left', async () => {
    const { body } = await org.api('GET', 'limits');
    assert.equal(body.DailyApiRequests.Max, 100000);
    assert.ok(body.DailyApiRequests.Remaining < 100000);
  });

  test('describes list standard and seeded custom objects with field metadata', async () => {
    const global = await org.api('GET', 'sobjects');
    const names = global.body.sobjects.map((s: { name: string }) => s.name);
    for (const name of ['Account', 'Case', 'Contact', 'Lead', 'Task', 'User', 'Call_Log__c']) assert.ok(names.includes(name), name);

    const task = (await org.api('GET', 'sobjects/Task/describe')).body;
    const field = (name: string) => task.fields.find((f: { name: string }) => f.name === name);
    assert.deepEqual(field('WhoId').referenceTo, ['Contact', 'Lead']);
    assert.equal(field('WhoId').relationshipName, 'Who');
    assert.deepEqual(field('CallType').picklistValues.map((p: { value: string }) => p.value), ['Inbound', 'Outbound', 'Internal']);
    assert.equal(field('Status').defaultedOnCreate, true);
    assert.equal(field('IsClosed').createable, false);
    assert.equal(field('CallDurationInSeconds').type, 'int');

    const log = (await org.api('GET', 'sobjects/Call_Log__c/describe')).body;
    const key = log.fields.find((f: { name: string }) => f.name === 'Interaction_Key__c');
    assert.equal(key.externalId, true);
    assert.equal(key.idLookup, true);
    assert.equal(log.custom, true);

    const missing = await org.api('GET', 'sobjects/Nope__c/describe');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
  });
});

describe('single-record REST', () => {
  let org: TestOrg;
  before(async () => {
    org = await TestOrg.start();
  });
  after(() => org.close());

  test('create, read, update, delete a Contact', async () => {
    const created = await org.api('POST', 'sobjects/Contact', { FirstName: 'Ada', LastName: 'Lovelace', Phone: '+44 20 7946 0000' });
    assert.equal(created.status, 201);
    assert.equal(created.body.success, true);
    assert.deepEqual(created.body.errors, []);
    assert.match(created.body.id, /^003\w{15}$/);
    const id = created.body.id;

    const read = await org.api('GET', `sobjects/Contact/${id}`);
    assert.equal(read.body.Name, 'Ada Lovelace');
    assert.deepEqual(read.body.attributes, { type: 'Contact', url: `${V}/sobjects/Contact/${id}` });
    assert.match(read.body.CreatedDate, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    const admin = [...org.emulator.org.credentials.values()].find((c) => c.username === 'admin@example.com')!;
    assert.equal(read.body.OwnerId, admin.userId);

    const some = await org.api('GET', `sobjects/Contact/${id}?fields=Name,Phone`);
    assert.deepEqual(Object.keys(some.body), ['attributes', 'Name', 'Phone']);

    const updated = await org.api('PATCH', `sobjects/Contact/${id}`, { Email: 'ada@example.com' });
    assert.equal(updated.status, 204);
    assert.equal((await org.api('GET', `sobjects/Contact/${id}`)).body.Email, 'ada@example.com');

    assert.equal((await org.api('DELETE', `sobjects/Contact/${id}`)).status, 204);
    const gone = await org.api('GET', `sobjects/Contact/${id}`);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }].map(({ errorCode, message }) => ({ message, errorCode })));
  });

  test('a Task gets defaults, computed fields and a 15-character id is accepted', async () => {
    const who = (await org.api('GET', `query?q=${encodeURIComponent("SELECT Id, AccountId FROM Contact WHERE LastName = 'Ferrari'")}`)).body.records[0];
    const created = await org.api('POST', 'sobjects/Task', { Subject: 'Call', TaskSubtype: 'Call', CallType: 'Inbound', WhoId: who.Id.slice(0, 15), CallDurationInSeconds: 240 });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const task = (await org.api('GET', `sobjects/Task/${created.body.id}`)).body;
    assert.equal(task.Status, 'Not Started');
    assert.equal(task.Priority, 'Normal');
    assert.equal(task.IsClosed, false);
    assert.equal(task.WhoId, who.Id);
    assert.equal(task.AccountId, who.AccountId);
    await org.api('PATCH', `sobjects/Task/${created.body.id}`, { Status: 'Completed' });
    assert.equal((await org.api('GET', `sobjects/Task/${created.body.id}`)).body.IsClosed, true);
  });

  test('Case numbers are assigned automatically', async () => {
    const a = await org.api('POST', 'sobjects/Case', { Subject: 'Broken', Origin: 'Phone' });
    const b = await org.api('POST', 'sobjects/Case', { Subject: 'Still broken', Origin: 'Phone' });
    const first = (await org.api('GET', `sobjects/Case/${a.body.id}`)).body;
    const second = (await org.api('GET', `sobjects/Case/${b.body.id}`)).body;
    assert.match(first.CaseNumber, /^\d{8}$/);
    assert.equal(Number(second.CaseNumber), Number(first.CaseNumber) + 1);
    assert.equal(first.Status, 'New');
  });

  test('validation errors carry Salesforce codes, messages and fields', async () => {
    const cases: Array<[string, unknown, number, string, string[] | undefined, RegExp]> = [
      ['sobjects/Contact', { FirstName: 'No' }, 400, 'REQUIRED_FIELD_MISSING', ['LastName'], /^Required fields are missing: \[LastName\]$/],
      ['sobjects/Lead', { FirstName: 'No' }, 400, 'REQUIRED_FIELD_MISSING', ['LastName', 'Company'], /LastName, Company/],
      ['sobjects/Account', { Phone: '1' }, 400, 'REQUIRED_FIELD_MISSING', ['Name'], /Name/],
      ['sobjects/Contact', { LastName: 'X', Foo: 1 }, 400, 'INVALID_FIELD', undefined, /^No such column 'Foo' on sobject of type Contact$/],
      ['sobjects/Task', { Status: 'Done-ish' }, 400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', ['Status'], /bad value for restricted picklist field: Done-ish/],
      ['sobjects/Task', { CallType: 'Sideways' }, 400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', ['CallType'], /Sideways/],
      ['sobjects/Case', { Origin: 'Pigeon' }, 400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', ['Origin'], /Pigeon/],
      ['sobjects/Lead', { LastName: 'X', Company: 'Y', Status: 'Nope' }, 400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', ['Status'], /Nope/],
      ['sobjects/Contact', { LastName: 'x'.repeat(81) }, 400, 'STRING_TOO_LONG', ['LastName'], /max length=80/],
      ['sobjects/Task', { CallDurationInSeconds: 'long' }, 400, 'JSON_PARSER_ERROR', undefined, /Cannot deserialize instance of int/],
      ['sobjects/Task', { WhoId: 'not-an-id' }, 400, 'MALFORMED_ID', ['WhoId'], /id value of incorrect type/],
      ['sobjects/Task', { WhoId: '001000000000000AAA' }, 400, 'FIELD_INTEGRITY_EXCEPTION', ['WhoId'], /id value of incorrect type/],
      ['sobjects/Task', { WhoId: '0035g00000ZZZZZ' }, 400, 'INVALID_CROSS_REFERENCE_KEY', ['WhoId'], /invalid cross reference id/],
      ['sobjects/Contact', { LastName: 'X', Name: 'Y' }, 400, 'INVALID_FIELD_FOR_INSERT_UPDATE', ['Name'], /Unable to create\/update fields: Name/],
      ['sobjects/Contact', { LastName: 'X', Email: 'not an email' }, 400, 'INVALID_EMAIL_ADDRESS', ['Email'], /invalid email address/],
      ['sobjects/Nope', { LastName: 'X' }, 404, 'NOT_FOUND', undefined, /^The requested resource does not exist$/],
    ];
    for (const [path, body, status, code, fields, message] of cases) {
      const reply = await org.api('POST', path, body);
      assert.equal(reply.status, status, `${path} ${JSON.stringify(body)}: ${JSON.stringify(reply.body)}`);
      assert.equal(reply.body.length, 1);
      assert.equal(reply.body[0].errorCode, code, JSON.stringify(reply.body));
      assert.match(reply.body[0].message, message);
      if (fields) assert.deepEqual(reply.body[0].fields, fields);
    }
    const inactive = [...org.emulator.org.credentials.values()].find((c) => c.username.startsWith('paolo.neri'))!;
    const owner = await org.api('POST', 'sobjects/Task', { Subject: 'x', OwnerId: inactive.userId });
    assert.equal(owner.body[0].errorCode, 'INACTIVE_OWNER_OR_USER');
    const badJson = await org.api('POST', 'sobjects/Contact', '{"LastName":');
    assert.equal(badJson.body[0].errorCode, 'JSON_PARSER_ERROR');
  });

  test('upsert by External ID: 201 created, 200 updated, 300 on several matches, DUPLICATE_VALUE on create clash', async () => {
    const first = await org.api('PATCH', 'sobjects/Call_Log__c/Interaction_Key__c/call-1', { Phone__c: '+39 347 555 0101', Duration__c: 10 });
    assert.equal(first.status, 201);
    assert.deepEqual({ ...first.body, id: 'x' }, { id: 'x', success: true, errors: [], created: true });
    const second = await org.api('PATCH', 'sobjects/Call_Log__c/Interaction_Key__c/call-1', { Duration__c: 20 });
    assert.equal(second.status, 200);
    assert.equal(second.body.created, false);
    assert.equal(second.body.id, first.body.id);
    const record = (await org.api('GET', 'sobjects/Call_Log__c/Interaction_Key__c/call-1')).body;
    assert.equal(record.Duration__c, 20);
    assert.equal(record.Name, first.body.id, 'a custom record without Name is named after its Id');

    const clash = await org.api('POST', 'sobjects/Call_Log__c', { Interaction_Key__c: 'CALL-1' });
    assert.equal(clash.body[0].errorCode, 'DUPLICATE_VALUE');

    await org.api('POST', 'sobjects/Contact', { LastName: 'Twin', Email: 'twin@example.com' });
    await org.api('POST', 'sobjects/Contact', { LastName: 'Twin', Email: 'twin@example.com' });
    const multiple = await org.api('PATCH', 'sobjects/Contact/Email/twin@example.com', { Phone: '1' });
    assert.equal(multiple.status, 300);
    assert.equal(multiple.body.length, 2);
    assert.match(multiple.body[0], new RegExp(`^${V}/sobjects/Contact/003`));

    const notKey = await org.api('PATCH', 'sobjects/Contact/Phone/123', { LastName: 'x' });
    assert.equal(notKey.status, 400);
    assert.equal(notKey.body[0].errorCode, 'INVALID_FIELD');
  });

  test('person accounts get a name and a person contact', async () => {
    const created = await org.api('POST', 'sobjects/Account', { FirstName: 'Mario', LastName: 'Bianchi', PersonMobilePhone: '+39 333 000 1111' });
    const account = (await org.api('GET', `sobjects/Account/${created.body.id}`)).body;
    assert.equal(account.IsPersonAccount, true);
    assert.equal(account.Name, 'Mario Bianchi');
    const contact = (await org.api('GET', `sobjects/Contact/${account.PersonContactId}`)).body;
    assert.equal(contact.MobilePhone, '+39 333 000 1111');
    assert.equal(contact.AccountId, account.Id);
  });
});

describe('query and search', () => {
  let org: TestOrg;
  before(async () => {
    org = await TestOrg.start();
    const records = Array.from({ length: 450 }, (_, i) => ({ attributes: { type: 'Lead' }, LastName: `Bulk ${i}`, Company: 'Bulk Co' }));
    for (let i = 0; i < records.length; i += 200) {
      await org.api('POST', 'composite/sobjects', { allOrNone: true, records: records.slice(i, i + 200) });
    }
  });
  after(() => org.close());

  test('query pages with nextRecordsUrl honouring Sforce-Query-Options batchSize', async () => {
    const q = encodeURIComponent("SELECT Id, Name FROM Lead WHERE Company = 'Bulk Co'");
    const first = await org.api('GET', `query?q=${q}`, undefined, { 'Sforce-Query-Options': 'batchSize=200' });
    assert.equal(first.body.totalSize, 450);
    assert.equal(first.body.done, false);
    assert.equal(first.body.records.length, 200);
    assert.match(first.body.nextRecordsUrl, new RegExp(`^${V}/query/01g\\w+-200$`));
    const second = await org.api('GET', first.body.nextRecordsUrl);
    assert.equal(second.body.records.length, 200);
    const third = await org.api('GET', second.body.nextRecordsUrl);
    assert.equal(third.body.records.length, 50);
    assert.equal(third.body.done, true);
    assert.equal(third.body.nextRecordsUrl, undefined);
    const all = await org.api('GET', `query?q=${q}`);
    assert.equal(all.body.records.length, 450, 'default page size is 2000');
    const stale = await org.api('GET', `${V}/query/01gdeadbeef-200`);
    assert.equal(stale.body[0].errorCode, 'INVALID_QUERY_LOCATOR');
  });

  test('queryAll also returns deleted records; query does not', async () => {
    const created = await org.api('POST', 'sobjects/Lead', { LastName: 'Gone', Company: 'Deleted Inc' });
    await org.api('DELETE', `sobjects/Lead/${created.body.id}`);
    const q = encodeURIComponent("SELECT Id, IsDeleted FROM Lead WHERE Company = 'Deleted Inc'");
    assert.equal((await org.api('GET', `query?q=${q}`)).body.totalSize, 0);
    const all = await org.api('GET', `queryAll?q=${q}`);
    assert.equal(all.body.totalSize, 1);
    assert.equal(all.body.records[0].IsDeleted, true);
  });

  test('malformed queries answer 400 with the query error code', async () => {
    const bad = await org.api('GET', `query?q=${encodeURIComponent('SELECT Nope FROM Contact')}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body[0].errorCode, 'INVALID_FIELD');
  });

  test('search returns searchRecords', async () => {
    const found = await org.api('GET', `search?q=${encodeURIComponent('FIND {Ferrari} IN ALL FIELDS RETURNING Contact(Id, Name)')}`);
    assert.equal(found.status, 200);
    assert.ok(Array.isArray(found.body.searchRecords));
    assert.ok(found.body.searchRecords.some((r: { Name: string }) => r.Name === 'Anna Ferrari'));
  });
});
