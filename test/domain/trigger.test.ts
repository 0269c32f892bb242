import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTrigger, validateTrigger, type TriggerProblem } from '../../src/domain/trigger.ts';
import { CtiError } from '../../src/errors.ts';

/** The admin API example of DESIGN.md. */
function designExample(): Record<string, unknown> {
  return {
    name: 'log inbound calls', enabled: true, on: ['voice.ended'], match: 'all',
    conditions: [{ field: 'interaction.direction', op: 'equals', value: 'inbound' }],
    actions: [
      { name: 'customer', type: 'salesforce.findCustomer', account: 'acme', by: 'phone', objects: ['Contact', 'Lead'], onMany: 'mostRecent', onNone: 'continue' },
      { name: 'task', type: 'salesforce.logActivity', account: 'acme',
        fields: { Subject: 'Call from {{ interaction.customer.phone }}', WhoId: '{{ actions.customer.id }}' } },
    ],
  };
}

function errorsOf(input: unknown): TriggerProblem[] {
  const result = validateTrigger(input);
  assert.equal(result.ok, false, 'expected the trigger to be refused');
  return result.ok ? [] : result.errors;
}

function withAction(index: number, change: Record<string, unknown>): Record<string, unknown> {
  const trigger = designExample();
  const actions = trigger.actions as Array<Record<string, unknown>>;
  actions[index] = { ...actions[index], ...change };
  return trigger;
}

test('the DESIGN.md trigger validates, with defaults filled in', () => {
  const result = validateTrigger(designExample());
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  const [find, task] = result.trigger.actions;
  assert.equal(find.type, 'salesforce.findCustomer');
  assert.deepEqual(find.type === 'salesforce.findCustomer' && find.objects, ['Contact', 'Lead']);
  assert.equal(task.type, 'salesforce.logActivity');
  const minimal = validateTrigger({ name: 'x', on: ['*'], actions: [{ name: 'find', type: 'salesforce.findCustomer', account: 'acme' }] });
  assert.ok(minimal.ok);
  assert.equal(minimal.trigger.enabled, true);
  assert.equal(minimal.trigger.match, 'all');
  assert.deepEqual(minimal.trigger.conditions, []);
  const action = minimal.trigger.actions[0];
  assert.ok(action.type === 'salesforce.findCustomer');
  assert.deepEqual([action.by, action.objects, action.onMany, action.onNone], ['phone', ['Contact', 'Lead', 'Account'], 'mostRecent', 'continue']);
});

test('a template naming a misspelt action says which earlier actions exist', () => {
  const trigger = withAction(1, { fields: { WhoId: '{{ actions.custmer.id }}' } });
  trigger.name = 'log calls';
  const [problem] = errorsOf(trigger);
  assert.equal(problem.path, 'actions.1.fields.WhoId');
  assert.equal(problem.message, 'trigger "log calls", action #2 "task" (salesforce.logActivity): fields.WhoId: template references actions.custmer, which is not an earlier action (earlier: customer)');
});

test('a template naming a later action is refused: actions run in order', () => {
  const trigger = designExample();
  (trigger.actions as unknown[]).unshift({ name: 'note', type: 'salesforce.create', account: 'acme', object: 'Note', fields: { ParentId: '{{ actions.task.id }}' } });
  const [problem] = errorsOf(trigger);
  assert.match(problem.message, /action #1 "note" \(salesforce\.create\): fields\.ParentId: template references actions\.task, which runs after this one/);
  assert.match(problem.message, /this is the first action/);
});

test('templates reading fields the interaction does not have are refused with a hint', () => {
  const [problem] = errorsOf(withAction(1, { fields: { Subject: 'Call from {{ interaction.customer.phon }}' } }));
  assert.match(problem.message, /fields\.Subject: interaction\.customer\.phon is not part of an interaction event \(did you mean interaction\.customer\.phone\?\)/);
  const [unknownRoot] = errorsOf(withAction(1, { fields: { Subject: '{{ interation.id }}' } }));
  assert.match(unknownRoot.message, /unknown variable "interation" \(did you mean interaction\?\)/);
  // Free maps and lists are readable; `event.*` mirrors the event.
  assert.ok(validateTrigger(withAction(1, { fields: { Subject: '{{ interaction.variables.orderId }} {{ interaction.tags.first }} {{ event.type }} {{ event.interaction.queue }} {{ now }}' } })).ok);
});

test('unsafe or broken templates are refused when the trigger is saved', () => {
  const cases: Array<[string, RegExp]> = [
    ['{% include "secrets.txt" %}', /the tag \{% include %\} is not allowed/],
    ['{% render "x" %}', /the tag \{% render %\} is not allowed/],
    ['{{ interaction.queue | sort }}', /the filter "sort" is not available/],
    ['{{ interaction.queue ', /cannot parse the template/],
  ];
  for (const [template, expected] of cases) {
    const [problem] = errorsOf(withAction(1, { fields: { Description: template } }));
    assert.equal(problem.path, 'actions.1.fields.Description');
    assert.match(problem.message, expected);
  }
});

test('shape errors name the action, its type and the field', () => {
  const problems = errorsOf({
    name: 'shapes', on: ['voice.ended'],
    actions: [
      { name: 'customer', type: 'salesforce.findCustomer', account: 'acme', by: 'fax' },
      { name: 'hook', type: 'webhook', url: 'ftp://example.com/x', feilds: {} },
      { name: 'up', type: 'salesforce.upsert', account: 'acme', object: 'Lead', fields: { Company: 'x' } },
      { name: '2bad', type: 'salesforce.bogus' },
    ],
  });
  const messages = problems.map((p) => p.message);
  assert.ok(messages.includes('trigger "shapes", action #1 "customer" (salesforce.findCustomer): by: must be one of "phone", "email"'), messages.join('\n'));
  assert.ok(messages.includes('trigger "shapes", action #2 "hook" (webhook): url: an http:// or https:// URL'), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('trigger "shapes", action #2 "hook" (webhook): unknown field "feilds" (allowed: type, name, url, secret, body)')), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('trigger "shapes", action #3 "up" (salesforce.upsert): externalIdField: is required')), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('trigger "shapes", action #4 "2bad" (salesforce.bogus): type: must be one of salesforce.findCustomer')), messages.join('\n'));
});

test('action names must be unique and well formed', () => {
  const duplicate = withAction(1, { name: 'customer' });
  const [problem] = errorsOf(duplicate);
  assert.equal(problem.path, 'actions.1.name');
  assert.match(problem.message, /"customer" is already the name of action #1/);
  const [badName] = errorsOf(withAction(0, { name: 'find customer' }));
  assert.match(badName.message, /action #1 "find customer" \(salesforce\.findCustomer\): name: letters, digits and "_"/);
});

test('event patterns: channels, phases and wildcards', () => {
  for (const on of [['voice.*'], ['*.ended'], ['*'], ['chat.message', 'email.*']]) {
    assert.ok(validateTrigger({ ...designExample(), on }).ok, on.join());
  }
  const [problem] = errorsOf({ ...designExample(), on: ['voice.ended', 'voice.endd'] });
  assert.equal(problem.path, 'on.1');
  assert.match(problem.message, /^trigger "log inbound calls": on\[1\]: "voice\.endd" is not an event type/);
});

test('conditions: fields must exist and values must suit the op', () => {
  const base = designExample();
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ field: 'interaction.direcion', op: 'equals', value: 'inbound' }, /condition #1 \(interaction\.direcion equals\): field: .*did you mean interaction\.direction\?/],
    [{ field: 'interaction.talkSec', op: 'gt', value: 'long' }, /value: gt needs a number or an ISO date-time/],
    [{ field: 'interaction.disposition', op: 'in', value: [] }, /value: in needs a non-empty list/],
    [{ field: 'interaction.disposition', op: 'equals' }, /value: equals needs one text, number or boolean value/],
    [{ field: 'interaction.disposition', op: 'exists', value: 'yes' }, /value: must be true/],
    [{ field: 'interaction.disposition', op: 'like', value: 'x' }, /op: must be one of "equals"/],
    [{ field: 'interaction.customer.phone', op: 'matches', value: '(\\d+)+$' }, /value: the repeated group .* contains a repetition/],
  ];
  for (const [condition, expected] of cases) {
    const [problem] = errorsOf({ ...base, conditions: [condition] });
    assert.match(problem.message, expected, JSON.stringify(condition));
  }
  const fine = [
    { field: 'type', op: 'startsWith', value: 'voice.' },
    { field: 'event.occurredAt', op: 'gte', value: '2026-01-01T00:00:00Z' },
    { field: 'interaction.variables.anything', op: 'exists' },
    { field: 'interaction.tags', op: 'contains', value: 'vip' },
    { field: 'interaction.customer.phone', op: 'matches', value: '^\\+39' },
  ];
  assert.ok(validateTrigger({ ...base, conditions: fine }).ok);
});

test('findCustomer fields only make sense when it may create a record', () => {
  const [problem] = errorsOf(withAction(0, { fields: { Company: 'ACME' } }));
  assert.match(problem.message, /action #1 "customer" \(salesforce\.findCustomer\): fields: fields are written only to a Lead or Contact created when nothing matches/);
  assert.ok(validateTrigger(withAction(0, { onNone: 'createLead', fields: { Company: '{{ interaction.variables.company | default: "Unknown" }}' } })).ok);
});

test('webhook bodies are checked as templates, in strings and inside JSON maps', () => {
  const trigger = (body: unknown) => ({ ...designExample(), actions: [{ name: 'hook', type: 'webhook', url: 'https://hooks.example/x', secret: 'a-long-shared-secret', body }] });
  assert.ok(validateTrigger(trigger({ call: '{{ interaction.id }}', nested: { who: ['{{ interaction.customer.phone | e164 }}'] } })).ok);
  assert.ok(validateTrigger(trigger('{{ event | json }}')).ok);
  const [problem] = errorsOf(trigger({ nested: { who: ['{{ interaction.custmer }}'] } }));
  assert.equal(problem.path, 'actions.0.body.nested.who.0');
});

test('the echoed id of a stored trigger is ignored; an unknown top-level field is refused', () => {
  assert.ok(validateTrigger({ id: 'trg_1', ...designExample() }).ok);
  const [problem] = errorsOf({ ...designExample(), condtions: [] });
  assert.match(problem.message, /^trigger "log inbound calls": unknown field "condtions" \(allowed: name, description, enabled, on, match, conditions, actions\)/);
  const [notObject] = errorsOf([1, 2]);
  assert.match(notObject.message, /must be a JSON object/);
});

test('parseTrigger throws a CtiError listing every problem', () => {
  assert.throws(() => parseTrigger({ name: 'x', on: [], actions: [] }), (error: unknown) => {
    assert.ok(error instanceof CtiError);
    assert.equal(error.code, 'INVALID_TRIGGER');
    assert.match(error.message, /on: list at least one event type/);
    assert.match(error.message, /actions: add at least one action/);
    return true;
  });
});

test('a validated trigger stored as JSON validates again to the same value (the catalog reloads it)', () => {
  const first = validateTrigger(designExample());
  assert.ok(first.ok);
  const { name, enabled, ...definition } = JSON.parse(JSON.stringify(first.trigger));
  const again = validateTrigger({ ...definition, name, enabled, id: 'trg_1' });
  assert.ok(again.ok);
  assert.deepEqual(again.trigger, first.trigger);
});
