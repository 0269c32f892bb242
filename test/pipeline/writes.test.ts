import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectionChunks, markerFieldFor } from '../../src/pipeline/execute/writes.ts';
import type { WriteItem } from '../../src/pipeline/work-item.ts';

function item(object: string, n: number): WriteItem {
  return { kind: 'write', job: { id: n } as WriteItem['job'], account: 'acme', operation: 'create', object, record: {} };
}

test('creates of several objects share requests, grouped by type, 200 records and 10 types at most', () => {
  const mixed = [item('Task', 1), item('Case', 2), item('Task', 3), item('Lead', 4)];
  const [only] = collectionChunks(mixed);
  assert.deepEqual(only.map((i) => i.object), ['Case', 'Lead', 'Task', 'Task']);

  const many = Array.from({ length: 450 }, (_, n) => item('Task', n));
  assert.deepEqual(collectionChunks(many).map((c) => c.length), [200, 200, 50]);

  const types = Array.from({ length: 12 }, (_, n) => item(`Obj${String(n).padStart(2, '0')}__c`, n));
  assert.deepEqual(collectionChunks(types).map((c) => new Set(c.map((i) => i.object)).size), [10, 2]);
});

test('the reconciliation marker prefers the configured field, then Task.CallObject, then Subject', () => {
  assert.equal(markerFieldFor('Task', { CallObject: 'x', Subject: 's' }, null), 'CallObject');
  assert.equal(markerFieldFor('Task', { CallObject: 'x', Key__c: 'k' }, 'Key__c'), 'Key__c');
  assert.equal(markerFieldFor('Case', { Subject: 's' }, null), 'Subject');
  assert.equal(markerFieldFor('Case', {}, null), null);
});
