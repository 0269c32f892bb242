import { z } from 'zod';

/** Channels and phases of DESIGN.md. A phase outside this list is still accepted (kept, not dropped). */
export const CHANNELS = ['voice', 'chat', 'email', 'sms', 'whatsapp', 'openchannel', 'fax', 'video'] as const;
export const KNOWN_PHASES = ['started', 'ringing', 'answered', 'transferred', 'ended', 'abandoned', 'missed', 'message'] as const;
export type Channel = (typeof CHANNELS)[number];

const isoWithOffset = z.iso.datetime({ offset: true });
const seconds = z.number().finite().nonnegative();
const text = (max: number) => z.string().max(max);

export const customerSchema = z.object({
  phone: text(64).optional(),
  email: text(254).optional(),
  name: text(255).optional(),
  salesforceId: z.string().regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'a 15 or 18 character Salesforce id').optional(),
});

export const agentSchema = z.object({
  id: text(128).optional(),
  name: text(255).optional(),
  email: text(254).optional(),
  extension: text(64).optional(),
});

export const interactionSchema = z.object({
  id: text(255).min(1),
  channel: z.enum(CHANNELS),
  direction: z.enum(['inbound', 'outbound', 'internal']).optional(),
  queue: text(255).optional(),
  customer: customerSchema.optional(),
  agent: agentSchema.optional(),
  startedAt: isoWithOffset.optional(),
  answeredAt: isoWithOffset.optional(),
  endedAt: isoWithOffset.optional(),
  waitSec: seconds.optional(),
  talkSec: seconds.optional(),
  durationSec: seconds.optional(),
  disposition: text(255).optional(),
  recordingUrl: text(2048).optional(),
  transcript: text(131072).optional(),
  subject: text(1024).optional(),
  body: text(131072).optional(),
  tags: z.array(text(255)).max(100).optional(),
  variables: z.record(z.string(), z.unknown()).optional(),
});

export const EVENT_TYPE_PATTERN = new RegExp(`^(${CHANNELS.join('|')})\\.[a-z][a-z_]{0,31}$`);

export const interactionEventSchema = z
  .object({
    id: text(255).min(1),
    type: z.string().regex(EVENT_TYPE_PATTERN, `"<channel>.<phase>" with channel one of ${CHANNELS.join(', ')} (e.g. voice.ended)`),
    occurredAt: isoWithOffset,
    interaction: interactionSchema,
  })
  .refine((event) => event.type.split('.')[0] === event.interaction.channel, {
    message: 'the channel in "type" must equal interaction.channel',
    path: ['type'],
  });

export type InteractionEvent = z.infer<typeof interactionEventSchema>;
export type Interaction = z.infer<typeof interactionSchema>;

export function eventPhase(event: Pick<InteractionEvent, 'type'>): string {
  return event.type.slice(event.type.indexOf('.') + 1);
}
