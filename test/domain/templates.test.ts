import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CtiError } from '../../src/errors.ts';
import { MAX_OUTPUT_CHARS, parseTemplate, renderFieldMap, renderTemplate, type TemplateContext } from '../../src/domain/templates.ts';
import { callEvent } from './fixtures.ts';

const event = callEvent();
const context: TemplateContext = {
  event,
  interaction: event.interaction,
  actions: { customer: { id: '003000000000001AAA', object: 'Contact' } },
  now: '2026-11-28T09:16:30.000Z',
};
const render = (template: string, ctx = context) => renderTemplate(template, ctx);

test('variables from the interaction, the event, earlier actions and now', () => {
  assert.equal(render('Call from {{ interaction.customer.phone }}'), 'Call from +39 347 555 0101');
  assert.equal(render('{{ event.type }} {{ event.id }}'), 'voice.ended evt-1');
  assert.equal(render('{{ actions.customer.id }}'), '003000000000001AAA');
  assert.equal(render('{{ interaction.variables.orderId }}'), 'A-77');
  assert.equal(render('{{ interaction.tags.first }}/{{ interaction.tags.size }}'), 'vip/2');
  assert.equal(render('{% if interaction.direction == "inbound" %}in{% else %}out{% endif %}'), 'in');
  assert.equal(render('{% for tag in interaction.tags %}[{{ tag }}]{% endfor %}'), '[vip][Billing]');
});

test('filters: default, date, truncate, upcase, downcase, strip, e164', () => {
  assert.equal(render('{{ interaction.subject | default: "no subject" }}'), 'no subject');
  // Dates keep the offset they were written with: the contact center's local time.
  assert.equal(render('{{ interaction.endedAt | date: "%Y-%m-%d %H:%M" }}'), '2026-11-28 10:15');
  assert.equal(render('{{ now | date: "%d/%m/%Y" }}'), '28/11/2026');
  assert.equal(render('{{ interaction.customer.name | truncate: 8 }}'), 'Giuli...');
  assert.equal(render('{{ interaction.queue | upcase }}'), 'SUPPORT');
  assert.equal(render('{{ interaction.disposition | downcase }}'), 'answered');
  assert.equal(render('[{{ "  padded  " | strip }}]'), '[padded]');
  assert.equal(render('{{ interaction.customer.phone | e164 }}'), '+393475550101');
  const us = callEvent({}, { customer: { phone: '(415) 555-0123' } });
  assert.equal(render('{{ interaction.customer.phone | e164: "US" }}', { ...context, event: us, interaction: us.interaction }), '+14155550123');
  // Without a region argument the filter uses the context's default region; a national number needs one.
  const usContext = { ...context, event: us, interaction: us.interaction };
  assert.equal(render('{{ interaction.customer.phone | e164 }}', { ...usContext, defaultRegion: 'US' }), '+14155550123');
  assert.equal(render('{{ interaction.customer.phone | e164 }}', usContext), '(415) 555-0123');
  assert.equal(render('[{{ defaultRegion }}]', { ...usContext, defaultRegion: 'US' }), '[]');
});

test('a missing variable renders empty; in a field map an empty result becomes null', () => {
  assert.equal(render('[{{ interaction.customer.email }}]'), '[]');
  assert.equal(render('[{{ actions.nothing.id }}]'), '[]');
  const fields = renderFieldMap(
    { WhoId: '{{ actions.lead.id }}', Subject: 'Call {{ interaction.id }}', Literal: 'as is', Count: 3, Flag: true, Cleared: null, Empty: '' },
    context,
  );
  assert.deepEqual(fields, { WhoId: null, Subject: 'Call 1764321300.42', Literal: 'as is', Count: 3, Flag: true, Cleared: null, Empty: null });
  const nested = renderFieldMap({ call: { id: '{{ interaction.id }}', tags: ['{{ interaction.tags.last }}'] } }, context);
  assert.deepEqual(nested, { call: { id: '1764321300.42', tags: ['Billing'] } });
});

test('no code runs and nothing outside the context is reachable', () => {
  for (const template of ['{% include "package.json" %}', '{% render "x" %}', '{% layout "x" %}', '{{ "x" | sort }}', '{% tablerow i in (1..2) %}{% endtablerow %}']) {
    assert.throws(() => parseTemplate(template), (error: unknown) => error instanceof CtiError && error.code === 'TEMPLATE_INVALID', template);
  }
  assert.equal(render('{{ interaction.constructor }}'), '');
  assert.equal(render('{{ interaction.constructor.name }}'), '');
  assert.equal(render('{{ interaction.customer.__proto__ }}'), '');
  assert.equal(render('{{ interaction.toString }}'), '');
  assert.equal(render('{{ actions.hasOwnProperty }}'), '');
});

test('output is bounded', () => {
  assert.throws(
    () => render('{% for a in (1..500) %}{% for b in (1..500) %}xxxxxxxxxx{% endfor %}{% endfor %}'),
    (error: unknown) => error instanceof CtiError && error.code === 'TEMPLATE_FAILED',
  );
  const huge = callEvent({}, { transcript: 'y'.repeat(MAX_OUTPUT_CHARS) });
  assert.throws(() => render('{{ interaction.transcript }}!', { ...context, event: huge, interaction: huge.interaction }), /at most 131072 are allowed \(use \| truncate\)/);
  assert.equal(render('{{ interaction.transcript | truncate: 20 }}', { ...context, event: huge, interaction: huge.interaction }).length, 20);
});

test('parsing is cached per template text', () => {
  const template = 'cached {{ interaction.id }}';
  assert.equal(parseTemplate(template), parseTemplate(template));
});
