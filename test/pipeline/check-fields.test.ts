import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRecord, type DescribeField } from '../../src/pipeline/check-fields.ts';

const task: DescribeField[] = [
  { name: 'Subject', type: 'combobox', length: 255 },
  { name: 'CallDurationInSeconds', type: 'int' },
  { name: 'ActivityDate', type: 'date' },
  { name: 'WhoId', type: 'reference', referenceTo: ['Contact', 'Lead'] },
  { name: 'CallType', type: 'picklist', picklistValues: [{ value: 'Inbound' }, { value: 'Outbound' }, { value: 'Internal' }] },
  { name: 'Description', type: 'textarea', length: 32000 },
  { name: 'IsClosed', type: 'boolean', createable: false },
  { name: 'CallObject', type: 'string', length: 255 },
];

test('template strings become the types Salesforce expects', () => {
  const { record, problems } = checkRecord('Task', { CallDurationInSeconds: '240', ActivityDate: '2026-11-28T10:15:00+01:00', CallType: 'inbound', Subject: 'Call' }, task, 'create');
  assert.deepEqual(problems, []);
  assert.deepEqual(record, { CallDurationInSeconds: 240, ActivityDate: '2026-11-28', CallType: 'Inbound', Subject: 'Call' });
});

test('empty rendered values are left out instead of sent as blanks', () => {
  const { record } = checkRecord('Task', { WhoId: '', Subject: 'x' }, task, 'create');
  assert.deepEqual(record, { Subject: 'x' });
});

test('every problem names the object, the field and what is wrong', () => {
  const { problems } = checkRecord('Task', { CallDurationInSeconds: 'four', CallType: 'Sideways', WhoId: 'not-an-id', Foo__c: 1, IsClosed: true, CallObject: 'x'.repeat(300) }, task, 'create');
  const messages = problems.map((p) => p.message).join('\n');
  assert.match(messages, /Task\.CallDurationInSeconds expects a whole number/);
  assert.match(messages, /"Sideways" is not one of its values: Inbound, Outbound, Internal/);
  assert.match(messages, /Task\.WhoId expects a Salesforce record id of Contact\/Lead/);
  assert.match(messages, /Task has no field "Foo__c"/);
  assert.match(messages, /IsClosed cannot be set on create/);
  assert.match(messages, /CallObject is 300 characters long; the field holds at most 255/);
});

test('long text is cut to the field length rather than rejected', () => {
  const { record, problems } = checkRecord('Task', { Description: 'y'.repeat(40000) }, task, 'create');
  assert.deepEqual(problems, []);
  assert.equal((record.Description as string).length, 32000);
});
