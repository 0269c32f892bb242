import type { InteractionEvent } from './interaction.ts';
import { parseTrigger, type Trigger } from './trigger.ts';

/**
 * The demo's triggers (`npm start`) and the events the docs use. Every source ends a call with exactly one
 * of voice.ended, voice.abandoned or voice.missed, so "log calls" listens to all three and the Case trigger
 * to voice.abandoned alone: one Task per call, and one Case per caller who gave up waiting.
 */
export function sampleTriggers(account: string): Trigger[] {
  return [
    parseTrigger({
      name: 'log calls',
      description: 'Find the caller, then log the call as a completed Task owned by the agent (WhoId is the caller found).',
      enabled: true,
      on: ['voice.ended', 'voice.abandoned', 'voice.missed'],
      match: 'all',
      conditions: [],
      actions: [
        { name: 'customer', type: 'salesforce.findCustomer', account, by: 'phone', objects: ['Contact', 'Lead', 'Account'], onMany: 'mostRecent', onNone: 'continue' },
        { name: 'task', type: 'salesforce.logActivity', account, fields: {} },
      ],
    }),
    parseTrigger({
      name: 'case for abandoned calls',
      description: 'A caller who hung up in the queue gets a High priority Case so someone calls back.',
      enabled: true,
      on: ['voice.abandoned'],
      match: 'all',
      conditions: [],
      actions: [
        { name: 'customer', type: 'salesforce.findCustomer', account, by: 'phone', onNone: 'continue' },
        { name: 'case', type: 'salesforce.createCase', account, fields: { Subject: 'Call back {{ interaction.customer.name | default: interaction.customer.phone }} (abandoned in {{ interaction.queue | default: "the queue" }})' } },
      ],
    }),
  ];
}

/** DESIGN.md's minimal event: an answered inbound call. */
export const sampleEvent: InteractionEvent = {
  id: 'evt-1',
  type: 'voice.ended',
  occurredAt: '2026-11-28T10:15:00+01:00',
  interaction: {
    id: '1764321300.42',
    channel: 'voice',
    direction: 'inbound',
    queue: 'support',
    customer: { phone: '+39 347 555 0101' },
    agent: { email: 'marta.rossi@contactco.example' },
    startedAt: '2026-11-28T10:10:00+01:00',
    endedAt: '2026-11-28T10:15:00+01:00',
    talkSec: 240,
    durationSec: 300,
    disposition: 'ANSWERED',
  },
};

/** A caller who gave up in the queue after 95 seconds. */
export const sampleAbandonedEvent: InteractionEvent = {
  id: 'evt-2',
  type: 'voice.abandoned',
  occurredAt: '2026-11-28T10:21:35+01:00',
  interaction: {
    id: '1764321600.57',
    channel: 'voice',
    direction: 'inbound',
    queue: 'support',
    customer: { phone: '0039 347 5550101' },
    startedAt: '2026-11-28T10:20:00+01:00',
    endedAt: '2026-11-28T10:21:35+01:00',
    waitSec: 95,
    durationSec: 95,
    disposition: 'ABANDONED',
  },
};
