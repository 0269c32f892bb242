import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCondition, evaluateConditions, matchesEventType } from '../../src/domain/conditions.ts';
import { MAX_MATCH_INPUT_CHARS, unsafePatternReason } from '../../src/domain/safe-regex.ts';
import type { Condition } from '../../src/domain/trigger.ts';
import { callEvent } from './fixtures.ts';

const event = callEvent();
const holds = (condition: Condition, on = event) => evaluateCondition(condition, on);

test('event type patterns: exact, channel wildcard, phase wildcard, everything', () => {
  assert.ok(matchesEventType(['voice.ended'], 'voice.ended'));
  assert.ok(!matchesEventType(['voice.ended'], 'voice.abandoned'));
  assert.ok(matchesEventType(['voice.*'], 'voice.abandoned'));
  assert.ok(!matchesEventType(['voice.*'], 'chat.ended'));
  assert.ok(matchesEventType(['*.ended'], 'chat.ended'));
  assert.ok(!matchesEventType(['*.ended'], 'chat.message'));
  assert.ok(matchesEventType(['*'], 'email.message'));
  assert.ok(matchesEventType(['chat.started', 'voice.*'], 'voice.ringing'));
  assert.ok(!matchesEventType([], 'voice.ended'));
});

test('equals / notEquals ignore case and compare numbers by value', () => {
  assert.ok(holds({ field: 'interaction.direction', op: 'equals', value: 'INBOUND' }));
  assert.ok(holds({ field: 'interaction.disposition', op: 'equals', value: 'answered' }));
  assert.ok(holds({ field: 'interaction.talkSec', op: 'equals', value: 240 }));
  assert.ok(holds({ field: 'type', op: 'equals', value: 'voice.ended' }));
  assert.ok(holds({ field: 'event.id', op: 'equals', value: 'evt-1' }));
  assert.ok(!holds({ field: 'interaction.direction', op: 'notEquals', value: 'inbound' }));
  // A field the event lacks is "not equal" to anything.
  assert.ok(holds({ field: 'interaction.subject', op: 'notEquals', value: 'x' }));
  assert.ok(!holds({ field: 'interaction.subject', op: 'equals', value: '' }));
});

test('contains / startsWith / endsWith on text and on lists', () => {
  assert.ok(holds({ field: 'interaction.queue', op: 'contains', value: 'PORT' }));
  assert.ok(holds({ field: 'interaction.customer.phone', op: 'startsWith', value: '+39' }));
  assert.ok(holds({ field: 'interaction.agent.email', op: 'endsWith', value: '@ContactCo.example' }));
  assert.ok(!holds({ field: 'interaction.queue', op: 'startsWith', value: 'sales' }));
  // On a list, contains means "has this element" (case-insensitive), not a substring.
  assert.ok(holds({ field: 'interaction.tags', op: 'contains', value: 'billing' }));
  assert.ok(!holds({ field: 'interaction.tags', op: 'contains', value: 'bill' }));
  assert.ok(holds({ field: 'interaction.tags', op: 'startsWith', value: 'bil' }));
  assert.ok(!holds({ field: 'interaction.customer.email', op: 'contains', value: 'x' }));
});

test('matches runs a bounded, case-insensitive regex', () => {
  assert.ok(holds({ field: 'interaction.customer.phone', op: 'matches', value: '^\\+39\\s?3' }));
  assert.ok(holds({ field: 'interaction.queue', op: 'matches', value: '^SUP' }));
  assert.ok(!holds({ field: 'interaction.queue', op: 'matches', value: '^sales$' }));
  assert.ok(holds({ field: 'interaction.tags', op: 'matches', value: '^v.p$' }));
  // Only the first MAX_MATCH_INPUT_CHARS characters are looked at.
  const long = callEvent({}, { transcript: `${'x'.repeat(MAX_MATCH_INPUT_CHARS)}refund` });
  assert.ok(!holds({ field: 'interaction.transcript', op: 'matches', value: 'refund' }, long));
  assert.ok(holds({ field: 'interaction.transcript', op: 'contains', value: 'refund' }, long));
  // A pattern that slipped past validation (trigger built in code) never runs: the condition is false.
  const evil = callEvent({}, { queue: `${'a'.repeat(40)}!` });
  assert.ok(!holds({ field: 'interaction.queue', op: 'matches', value: '^(a+)+$' }, evil));
});

test('catastrophic patterns are refused, ordinary ones accepted', () => {
  for (const pattern of ['(a+)+$', '(a*)*b', '(a|aa)*$', '(?:\\d+)+x', '(.*a){12}', '(\\w+\\s?)*$', '(a)\\1', '(?<q>a)\\k<q>', 'a{1,100000}', 'x'.repeat(201), '([a-z]']) {
    assert.notEqual(unsafePatternReason(pattern), null, pattern);
  }
  for (const pattern of ['^\\+39', '^(inbound|outbound)$', '^[A-Z]{2}-\\d{3,6}$', '(?:ext|x)\\s*\\d+', 'refund|cancel', '^(\\d{3})?-?\\d+$', '[(]+']) {
    assert.equal(unsafePatternReason(pattern), null, pattern);
  }
});

test('in matches any listed value, on text and on lists', () => {
  assert.ok(holds({ field: 'interaction.disposition', op: 'in', value: ['abandoned', 'Answered'] }));
  assert.ok(!holds({ field: 'interaction.disposition', op: 'in', value: ['ABANDONED', 'NOANSWER'] }));
  assert.ok(holds({ field: 'interaction.tags', op: 'in', value: ['gold', 'VIP'] }));
  assert.ok(holds({ field: 'interaction.talkSec', op: 'in', value: [240, 300] }));
});

test('gt / gte / lt / lte compare numbers, numeric text, and instants across offsets', () => {
  assert.ok(holds({ field: 'interaction.talkSec', op: 'gt', value: 60 }));
  assert.ok(holds({ field: 'interaction.talkSec', op: 'gte', value: 240 }));
  assert.ok(!holds({ field: 'interaction.talkSec', op: 'lt', value: 240 }));
  assert.ok(holds({ field: 'interaction.talkSec', op: 'lte', value: 240 }));
  assert.ok(holds({ field: 'interaction.variables.score', op: 'gt', value: 41 }));
  assert.ok(holds({ field: 'interaction.tags.size', op: 'gte', value: 2 }));
  // 10:15 at +01:00 is 09:15Z.
  assert.ok(holds({ field: 'occurredAt', op: 'gt', value: '2026-11-28T09:14:59Z' }));
  assert.ok(!holds({ field: 'occurredAt', op: 'gt', value: '2026-11-28T09:15:00Z' }));
  assert.ok(holds({ field: 'interaction.endedAt', op: 'lt', value: '2026-11-29' }));
  // Missing or non-numeric values never satisfy an ordering.
  assert.ok(!holds({ field: 'interaction.subject', op: 'lt', value: 10 }));
  assert.ok(!holds({ field: 'interaction.queue', op: 'gt', value: 1 }));
});

test('exists: true when present and not empty, false when absent', () => {
  assert.ok(holds({ field: 'interaction.recordingUrl', op: 'exists', value: false }));
  assert.ok(!holds({ field: 'interaction.recordingUrl', op: 'exists' }));
  assert.ok(holds({ field: 'interaction.customer.phone', op: 'exists' }));
  assert.ok(holds({ field: 'interaction.customer.phone', op: 'exists', value: true }));
  assert.ok(!holds({ field: 'interaction.customer.email', op: 'exists', value: true }));
  assert.ok(holds({ field: 'interaction.tags', op: 'exists', value: false }, callEvent({}, { tags: [] })));
});

test('prototype names are not fields', () => {
  assert.ok(!holds({ field: 'interaction.constructor', op: 'exists' }));
  assert.ok(!holds({ field: 'interaction.customer.__proto__', op: 'exists' }));
});

test('match all / any, and no conditions always holds', () => {
  const inbound: Condition = { field: 'interaction.direction', op: 'equals', value: 'inbound' };
  const abandoned: Condition = { field: 'interaction.disposition', op: 'equals', value: 'ABANDONED' };
  assert.ok(evaluateConditions({ match: 'all', conditions: [] }, event));
  assert.ok(evaluateConditions({ match: 'any', conditions: [] }, event));
  assert.ok(!evaluateConditions({ match: 'all', conditions: [inbound, abandoned] }, event));
  assert.ok(evaluateConditions({ match: 'any', conditions: [inbound, abandoned] }, event));
  assert.ok(!evaluateConditions({ match: 'any', conditions: [abandoned] }, event));
});
