/**
 * A generated day of a contact center, as the interaction events a PBX and a chat/email platform would post.
 * Pure and deterministic for a seed, so two passes (batched, naive) replay the same traffic.
 */

export type Channel = 'voice' | 'chat' | 'email';

export interface BenchEvent {
  id: string;
  type: string;
  occurredAt: string;
  interaction: Record<string, unknown> & { id: string };
}

export interface PlannedEvent {
  /** When to post it, relative to the start of the replay. */
  atMs: number;
  event: BenchEvent;
  /** The event a trigger turns into Salesforce records: end-to-end latency is timed from its 202. */
  final: boolean;
}

export interface PlannedInteraction {
  id: string;
  channel: Channel;
  kind: 'inbound answered' | 'inbound abandoned' | 'outbound answered' | 'outbound no answer' | 'chat' | 'email';
  knownCustomer: boolean;
  events: PlannedEvent[];
  /** Records the bench triggers must create for it: always one Task (CallObject = interaction id). */
  expectsCase: boolean;
}

/** Phone numbers of the emulator's default seed, written the ways a PBX sends them (default region IT). */
export const KNOWN_PHONES = [
  '+39 347 555 0101', // Contact Anna Ferrari
  '+393205550102', // Contact Chiara Romano (mobile)
  '347 555 0103', // Contact Marco Galli (national format)
  '+1 (415) 555-0123', // Contact John Smith and Lead Mark Davis: several matches
  '+1 415 555 0199', // Contact Emily Chen
  '06 5550 1234', // Contacts Luca and Sara Conti: several matches
  '+1 212-555-0147', // Lead Paul Martin
  '+39 348 555 0199', // Lead Elena Russo
  '+39 333 123 4567', // Person Account Giovanni Esposito
  '0039 02 8765 4321', // Account Acme Italia
];

export const KNOWN_EMAILS = [
  'anna.ferrari@acme.example', 'chiara.romano@acme.example', 'john.smith@globex.example',
  'emily.chen@globex.example', 'paul.martin@initech.example', 'elena.russo@stark.example',
];

/** Agents with a Salesforce User, one inactive User, and one with none (both fall back to the account's owner). */
const AGENTS: Array<{ email: string; name: string; extension: string; weight: number }> = [
  { email: 'marta.rossi@contactco.example', name: 'Marta Rossi', extension: '201', weight: 30 },
  { email: 'luca.bianchi@contactco.example', name: 'Luca Bianchi', extension: '202', weight: 25 },
  { email: 'giulia.verdi@contactco.example', name: 'Giulia Verdi', extension: '203', weight: 20 },
  { email: 'sam.taylor@contactco.example', name: 'Sam Taylor', extension: '204', weight: 17 },
  { email: 'paolo.neri@contactco.example', name: 'Paolo Neri', extension: '205', weight: 4 },
  { email: 'temp.agent@contactco.example', name: 'Temp Agent', extension: '299', weight: 4 },
];

const QUEUES = ['support', 'sales', 'billing'];

/** Small, fast, seedable PRNG (mulberry32): the same seed gives the same day. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

function weighted<T extends { weight: number }>(rand: () => number, items: readonly T[]): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let roll = rand() * total;
  for (const item of items) {
    roll -= item.weight;
    if (roll < 0) return item;
  }
  return items[items.length - 1];
}

function between(rand: () => number, min: number, max: number): number {
  return Math.round(min + rand() * (max - min));
}

function digits(rand: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i += 1) out += Math.floor(rand() * 10);
  return out;
}

/** A caller nobody in the org has: Italian mobiles with a 9xx subscriber block the seed never uses, or US 555s. */
export function unknownPhone(rand: () => number): string {
  if (rand() < 0.75) return `+39 3${between(rand, 20, 49)} 9${digits(rand, 2)} ${digits(rand, 4)}`;
  return `+1 (646) 555-${between(rand, 2000, 9999)}`;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

export interface WorkloadSpec {
  interactions: number;
  /** Interactions started per second. */
  rate: number;
  seed: number;
  /** Prefix of every id, so runs never collide. */
  tag: string;
  /** Share of callers found in Salesforce. */
  knownShare?: number;
}

/**
 * Events of one interaction are spread over a few seconds of replay (a compressed call: ring, talk, hang up),
 * while their timestamps tell the story of a full working day from 08:00.
 */
export function generateDay(spec: WorkloadSpec): PlannedInteraction[] {
  const rand = random(spec.seed);
  const knownShare = spec.knownShare ?? 0.6;
  const dayStart = Date.parse('2026-11-27T08:00:00+01:00');
  const daySpanMs = 12 * 3600_000;
  const planned: PlannedInteraction[] = [];
  for (let i = 0; i < spec.interactions; i += 1) {
    const startAtMs = Math.round((i * 1000) / spec.rate);
    const startedAt = dayStart + Math.round((i * daySpanMs) / spec.interactions);
    const interactionId = `${spec.tag}.${i}`;
    const agent = weighted(rand, AGENTS);
    const agentRef = { id: `agent-${agent.extension}`, name: agent.name, email: agent.email, extension: agent.extension };
    const known = rand() < knownShare;
    const channelRoll = rand();
    const channel: Channel = channelRoll < 0.8 ? 'voice' : channelRoll < 0.92 ? 'chat' : 'email';
    const events: PlannedEvent[] = [];
    let eventSeq = 0;
    const push = (atMs: number, type: string, occurredAtMs: number, interaction: Record<string, unknown>, final = false) => {
      eventSeq += 1;
      events.push({
        atMs: startAtMs + atMs,
        final,
        event: { id: `${interactionId}-${eventSeq}`, type, occurredAt: iso(occurredAtMs), interaction: { id: interactionId, channel, ...interaction } },
      });
    };

    if (channel === 'voice') {
      const inbound = rand() < 0.75;
      const phone = known ? pick(rand, KNOWN_PHONES) : unknownPhone(rand);
      const base = { direction: inbound ? 'inbound' : 'outbound', queue: pick(rand, QUEUES), customer: { phone }, startedAt: iso(startedAt) };
      const waitSec = between(rand, 3, 90);
      const answered = inbound ? rand() < 0.85 : rand() < 0.65;
      const kind = inbound ? (answered ? 'inbound answered' : 'inbound abandoned') : answered ? 'outbound answered' : 'outbound no answer';
      push(0, 'voice.started', startedAt, { ...base, agent: inbound ? undefined : agentRef });
      if (answered) {
        const talkSec = between(rand, 20, 900);
        const answeredAt = startedAt + waitSec * 1000;
        const endedAt = answeredAt + talkSec * 1000;
        push(between(rand, 200, 900), 'voice.answered', answeredAt, { ...base, agent: agentRef, answeredAt: iso(answeredAt), waitSec });
        push(between(rand, 1000, 3000), 'voice.ended', endedAt, {
          ...base, agent: agentRef, answeredAt: iso(answeredAt), endedAt: iso(endedAt), waitSec, talkSec,
          durationSec: waitSec + talkSec, disposition: 'ANSWERED', recordingUrl: `https://pbx.contactco.example/rec/${interactionId}.wav`,
        }, true);
      } else if (inbound) {
        const endedAt = startedAt + waitSec * 1000;
        push(between(rand, 600, 2500), 'voice.abandoned', endedAt, { ...base, endedAt: iso(endedAt), waitSec, durationSec: waitSec, disposition: 'ABANDONED' }, true);
      } else {
        const endedAt = startedAt + 30_000;
        push(between(rand, 600, 2500), 'voice.ended', endedAt, { ...base, agent: agentRef, endedAt: iso(endedAt), talkSec: 0, durationSec: 30, disposition: 'NO ANSWER' }, true);
      }
      planned.push({ id: interactionId, channel, kind, knownCustomer: known, events, expectsCase: kind === 'inbound abandoned' });
      continue;
    }

    const email = known ? pick(rand, KNOWN_EMAILS) : `visitor${digits(rand, 6)}@mail.example`;
    const customer = { email, name: known ? undefined : `Visitor ${digits(rand, 4)}` };
    if (channel === 'chat') {
      const endedAt = startedAt + between(rand, 60, 1200) * 1000;
      const base = { direction: 'inbound', queue: 'chat', customer, agent: agentRef, startedAt: iso(startedAt) };
      push(0, 'chat.started', startedAt, base);
      push(between(rand, 800, 3000), 'chat.ended', endedAt, {
        ...base, endedAt: iso(endedAt), durationSec: Math.round((endedAt - startedAt) / 1000),
        transcript: 'Customer: hello, my order has not arrived.\nAgent: let me check the tracking for you.',
      }, true);
      planned.push({ id: interactionId, channel, kind: 'chat', knownCustomer: known, events, expectsCase: false });
    } else {
      push(0, 'email.message', startedAt, {
        direction: 'inbound', queue: 'email', customer, agent: agentRef, startedAt: iso(startedAt),
        subject: `Question about invoice ${digits(rand, 5)}`, body: 'Hello, could you send me a copy of the last invoice? Thanks.',
      }, true);
      planned.push({ id: interactionId, channel, kind: 'email', knownCustomer: known, events, expectsCase: false });
    }
  }
  return planned;
}

/** Events no bench trigger listens to (a ringing phone), for timing ingest alone. */
export function ringingEvents(tag: string, count: number, seed: number): BenchEvent[] {
  const rand = random(seed);
  const at = iso(Date.parse('2026-11-27T09:00:00+01:00'));
  return Array.from({ length: count }, (_, i) => ({
    id: `${tag}-ring-${i}`,
    type: 'voice.ringing',
    occurredAt: at,
    interaction: {
      id: `${tag}-ring.${i}`, channel: 'voice', direction: 'inbound', queue: pick(rand, QUEUES),
      customer: { phone: rand() < 0.6 ? pick(rand, KNOWN_PHONES) : unknownPhone(rand) },
      agent: { extension: weighted(rand, AGENTS).extension }, startedAt: at,
    },
  }));
}

/** Finished calls (each one Task) for the outage scenario. */
export function endedCalls(tag: string, count: number, seed: number): BenchEvent[] {
  const rand = random(seed);
  const endedAt = Date.parse('2026-11-27T10:00:00+01:00');
  return Array.from({ length: count }, (_, i) => {
    const agent = weighted(rand, AGENTS);
    return {
      id: `${tag}-ended-${i}`,
      type: 'voice.ended',
      occurredAt: iso(endedAt),
      interaction: {
        id: `${tag}.${i}`, channel: 'voice', direction: 'inbound', queue: pick(rand, QUEUES),
        customer: { phone: rand() < 0.6 ? pick(rand, KNOWN_PHONES) : unknownPhone(rand) },
        agent: { email: agent.email, extension: agent.extension },
        startedAt: iso(endedAt - 300_000), endedAt: iso(endedAt), talkSec: 240, durationSec: 300, disposition: 'ANSWERED',
      },
    };
  });
}

export function describeMix(day: PlannedInteraction[]): Record<string, number> {
  const mix: Record<string, number> = {};
  for (const interaction of day) mix[interaction.kind] = (mix[interaction.kind] ?? 0) + 1;
  mix['known customer'] = day.filter((i) => i.knownCustomer).length;
  mix.events = day.reduce((sum, i) => sum + i.events.length, 0);
  return mix;
}
