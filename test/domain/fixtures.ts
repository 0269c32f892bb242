import type { InteractionEvent } from '../../src/domain/interaction.ts';

/** An answered inbound call, as DESIGN.md's minimal event plus the fields conditions and templates read. */
export function callEvent(overrides: Partial<InteractionEvent> = {}, interaction: Partial<InteractionEvent['interaction']> = {}): InteractionEvent {
  return {
    id: 'evt-1',
    type: 'voice.ended',
    occurredAt: '2026-11-28T10:15:00+01:00',
    ...overrides,
    interaction: {
      id: '1764321300.42',
      channel: 'voice',
      direction: 'inbound',
      queue: 'support',
      customer: { phone: '+39 347 555 0101', name: 'Giulia Bianchi' },
      agent: { name: 'Marta Rossi', email: 'marta.rossi@contactco.example', extension: '201' },
      startedAt: '2026-11-28T10:10:00+01:00',
      answeredAt: '2026-11-28T10:11:00+01:00',
      endedAt: '2026-11-28T10:15:00+01:00',
      waitSec: 60,
      talkSec: 240,
      durationSec: 300,
      disposition: 'ANSWERED',
      tags: ['vip', 'Billing'],
      variables: { orderId: 'A-77', score: '42' },
      ...interaction,
    },
  };
}
