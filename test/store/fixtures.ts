import type { InteractionEvent } from '../../src/domain/interaction.ts';
import type { NewJob } from '../../src/store/types.ts';

export function voiceEvent(id: string, overrides: { interactionId?: string; phone?: string; type?: string; occurredAt?: string } = {}): InteractionEvent {
  return {
    id,
    type: overrides.type ?? 'voice.ended',
    occurredAt: overrides.occurredAt ?? '2026-11-28T10:15:00+01:00',
    interaction: {
      id: overrides.interactionId ?? `call-${id}`,
      channel: 'voice',
      direction: 'inbound',
      customer: { phone: overrides.phone ?? '+39 347 555 0101' },
      agent: { email: 'marta.rossi@contactco.example' },
      talkSec: 240,
    },
  };
}

/** What planning makes for one event and a two-action trigger: find the customer, then log the call. */
export function twoStepPlan(events: InteractionEvent[], triggerId = 'trg1', account: string | null = 'acme'): NewJob[] {
  return events.flatMap((event) => [
    job(event.id, triggerId, 'customer', 0, null, account),
    job(event.id, triggerId, 'task', 1, `${event.id}/${triggerId}/customer`, account),
  ]);
}

export function job(eventId: string, triggerId: string, actionName: string, actionIndex: number, dependsOn: string | null, account: string | null = 'acme'): NewJob {
  return {
    key: `${eventId}/${triggerId}/${actionName}`,
    eventId,
    triggerId,
    actionName,
    actionIndex,
    kind: actionIndex === 0 ? 'salesforce.findCustomer' : 'salesforce.logActivity',
    account,
    dependsOn,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
