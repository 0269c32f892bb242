import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planJobs } from '../../src/pipeline/plan.ts';
import { parseTrigger, type Trigger } from '../../src/domain/trigger.ts';
import { sampleAbandonedEvent, sampleEvent, sampleTriggers } from '../../src/domain/sample.ts';
import type { InteractionEvent } from '../../src/domain/interaction.ts';

const inboundOnly: Trigger = parseTrigger({
  name: 'inbound to webhook', on: ['voice.*'],
  conditions: [{ field: 'interaction.direction', op: 'equals', value: 'inbound' }],
  actions: [
    { name: 'customer', type: 'salesforce.findCustomer', account: 'acme' },
    { name: 'task', type: 'salesforce.logActivity', account: 'acme' },
    { name: 'notify', type: 'webhook', url: 'https://hooks.example/calls' },
  ],
});

test('one job per action, chained in order, keyed eventId/triggerId/actionName', () => {
  const jobs = planJobs([sampleEvent], [{ id: 'trg-1', trigger: inboundOnly }]);
  assert.deepEqual(jobs, [
    { key: 'evt-1/trg-1/customer', eventId: 'evt-1', triggerId: 'trg-1', actionName: 'customer', actionIndex: 0, kind: 'salesforce.findCustomer', account: 'acme', dependsOn: null },
    { key: 'evt-1/trg-1/task', eventId: 'evt-1', triggerId: 'trg-1', actionName: 'task', actionIndex: 1, kind: 'salesforce.logActivity', account: 'acme', dependsOn: 'evt-1/trg-1/customer' },
    { key: 'evt-1/trg-1/notify', eventId: 'evt-1', triggerId: 'trg-1', actionName: 'notify', actionIndex: 2, kind: 'webhook', account: null, dependsOn: 'evt-1/trg-1/task' },
  ]);
});

test('re-planning the same events yields the same keys', () => {
  const triggers = [{ id: 'trg-1', trigger: inboundOnly }, ...sampleTriggers('demo').map((trigger, i) => ({ id: `sample-${i}`, trigger }))];
  const first = planJobs([sampleEvent, sampleAbandonedEvent], triggers);
  const again = planJobs([sampleEvent, sampleAbandonedEvent], triggers);
  assert.deepEqual(again, first);
  assert.equal(new Set(first.map((j) => j.key)).size, first.length, 'keys are unique');
  // Each event planned on its own gives the same jobs as in a batch.
  assert.deepEqual([...planJobs([sampleEvent], triggers), ...planJobs([sampleAbandonedEvent], triggers)], first);
});

test('disabled triggers, other event types and failing conditions plan nothing', () => {
  const outbound: InteractionEvent = { ...sampleEvent, id: 'evt-out', interaction: { ...sampleEvent.interaction, direction: 'outbound' } };
  const chat: InteractionEvent = { ...sampleEvent, id: 'evt-chat', type: 'chat.ended', interaction: { ...sampleEvent.interaction, channel: 'chat' } };
  assert.deepEqual(planJobs([outbound, chat], [{ id: 'trg-1', trigger: inboundOnly }]), []);
  assert.deepEqual(planJobs([sampleEvent], [{ id: 'trg-1', trigger: { ...inboundOnly, enabled: false } }]), []);
  assert.deepEqual(planJobs([], [{ id: 'trg-1', trigger: inboundOnly }]), []);
});

test('the sample triggers: every call gets a Task; an abandoned call also gets a Case', () => {
  const triggers = sampleTriggers('demo').map((trigger, i) => ({ id: `t${i}`, trigger }));
  const answered = planJobs([sampleEvent], triggers).map((j) => j.key);
  assert.deepEqual(answered, ['evt-1/t0/customer', 'evt-1/t0/task']);
  const abandoned = planJobs([sampleAbandonedEvent], triggers);
  assert.deepEqual(abandoned.map((j) => [j.key, j.dependsOn]), [
    ['evt-2/t0/customer', null],
    ['evt-2/t0/task', 'evt-2/t0/customer'],
    ['evt-2/t1/customer', null],
    ['evt-2/t1/case', 'evt-2/t1/customer'],
  ]);
  assert.ok(abandoned.every((j) => j.account === 'demo'));
});
