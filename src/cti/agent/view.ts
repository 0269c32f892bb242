import { eventPhase, type InteractionEvent } from '../../domain/interaction.ts';
import type { Job, StoredEvent } from '../../store/types.ts';
import { objectOfId } from '../pop.ts';

/**
 * What an agent's panel shows of one interaction, built from plain values: the events received so far and
 * the jobs ctibridge ran for them (the findCustomer result is the matched record, the logActivity result is
 * the Task to wrap up on). Pure, so the softphone, the pop link and a future Service Cloud Voice connector
 * read the same truth.
 */

export interface RecordRef {
  id: string;
  object: string | null;
  name: string | null;
}

export interface InteractionSummary {
  interactionId: string;
  eventId: string;
  type: string;
  phase: string;
  channel: string;
  direction: 'inbound' | 'outbound' | 'internal' | null;
  queue: string | null;
  customer: { phone: string | null; email: string | null; name: string | null };
  agent: { id: string | null; email: string | null; extension: string | null; name: string | null };
  occurredAt: string;
  startedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  disposition: string | null;
  /** The record the contact center already knows (customer.salesforceId), if it sent one. */
  record: RecordRef | null;
}

export interface InteractionView extends Omit<InteractionSummary, 'eventId' | 'type' | 'occurredAt'> {
  lastEventAt: string;
  /** The Salesforce account the interaction's jobs ran against. */
  account: string | null;
  /** Several candidates when the lookup found more than one (the agent picks). */
  matches: RecordRef[];
  /** A findCustomer job exists but has not finished: the record may still come. */
  lookupPending: boolean;
  /** The Task the trigger logged (where the agent's note goes), once written. */
  taskId: string | null;
  taskPending: boolean;
}

const FIND_CUSTOMER = 'salesforce.findCustomer';
const LOG_ACTIVITY = 'salesforce.logActivity';

function orNull(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

export function summarize(event: InteractionEvent): InteractionSummary {
  const interaction = event.interaction;
  const salesforceId = interaction.customer?.salesforceId;
  return {
    interactionId: interaction.id,
    eventId: event.id,
    type: event.type,
    phase: eventPhase(event),
    channel: interaction.channel,
    direction: interaction.direction ?? null,
    queue: orNull(interaction.queue),
    customer: { phone: orNull(interaction.customer?.phone), email: orNull(interaction.customer?.email), name: orNull(interaction.customer?.name) },
    agent: {
      id: orNull(interaction.agent?.id),
      email: orNull(interaction.agent?.email),
      extension: orNull(interaction.agent?.extension),
      name: orNull(interaction.agent?.name),
    },
    occurredAt: event.occurredAt,
    startedAt: orNull(interaction.startedAt),
    answeredAt: orNull(interaction.answeredAt),
    endedAt: orNull(interaction.endedAt),
    disposition: orNull(interaction.disposition),
    record: salesforceId ? { id: salesforceId, object: objectOfId(salesforceId), name: orNull(interaction.customer?.name) } : null,
  };
}

/** The record a finished findCustomer job picked, and the candidates it saw. */
export function lookupResult(result: Record<string, unknown> | null): { record: RecordRef | null; matches: RecordRef[] } {
  if (!result) return { record: null, matches: [] };
  const ref = (value: Record<string, unknown>): RecordRef | null =>
    typeof value.id === 'string' && value.id ? { id: value.id, object: typeof value.object === 'string' ? value.object : objectOfId(value.id), name: typeof value.name === 'string' ? value.name : null } : null;
  const matches = Array.isArray(result.matches)
    ? (result.matches as unknown[]).flatMap((m) => (m && typeof m === 'object' ? [ref(m as Record<string, unknown>)] : [])).filter((m): m is RecordRef => m !== null)
    : [];
  return { record: ref(result), matches };
}

export function taskIdOf(job: Pick<Job, 'kind' | 'state' | 'result'>): string | null {
  if (job.kind !== LOG_ACTIVITY || job.state !== 'done' || !job.result) return null;
  const { id, object } = job.result as { id?: unknown; object?: unknown };
  return typeof id === 'string' && (object === undefined || object === 'Task') ? id : null;
}

export function isLookupJob(job: Pick<Job, 'kind'>): boolean {
  return job.kind === FIND_CUSTOMER;
}

export function isLogJob(job: Pick<Job, 'kind'>): boolean {
  return job.kind === LOG_ACTIVITY;
}

/** Later values win; fields an event leaves out keep what an earlier event said. */
function merge(previous: InteractionSummary, next: InteractionSummary): InteractionSummary {
  const pick = <T,>(a: T | null, b: T | null) => (b ?? a);
  return {
    ...next,
    direction: pick(previous.direction, next.direction),
    queue: pick(previous.queue, next.queue),
    customer: { phone: pick(previous.customer.phone, next.customer.phone), email: pick(previous.customer.email, next.customer.email), name: pick(previous.customer.name, next.customer.name) },
    agent: {
      id: pick(previous.agent.id, next.agent.id),
      email: pick(previous.agent.email, next.agent.email),
      extension: pick(previous.agent.extension, next.agent.extension),
      name: pick(previous.agent.name, next.agent.name),
    },
    startedAt: pick(previous.startedAt, next.startedAt),
    answeredAt: pick(previous.answeredAt, next.answeredAt),
    endedAt: pick(previous.endedAt, next.endedAt),
    disposition: pick(previous.disposition, next.disposition),
    record: pick(previous.record, next.record),
  };
}

export function interactionView(events: Array<Pick<StoredEvent, 'event'>>, jobs: Job[]): InteractionView | null {
  const ordered = events.map((e) => e.event).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  if (ordered.length === 0) return null;
  const summary = ordered.map(summarize).reduce(merge);
  const lookups = jobs.filter(isLookupJob);
  const doneLookup = lookups
    .filter((j) => j.state === 'done')
    .sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''))[0];
  const found = lookupResult(doneLookup?.result ?? null);
  const logs = jobs.filter(isLogJob);
  const taskId = logs.map(taskIdOf).filter((id): id is string => id !== null).at(-1) ?? null;
  const { eventId: _eventId, type: _type, occurredAt, ...rest } = summary;
  return {
    ...rest,
    lastEventAt: occurredAt,
    record: summary.record ?? found.record,
    matches: found.matches,
    lookupPending: !doneLookup && lookups.some((j) => j.state === 'pending' || j.state === 'leased'),
    account: jobs.find((j) => j.account)?.account ?? null,
    taskId,
    taskPending: taskId === null && logs.some((j) => j.state === 'pending' || j.state === 'leased'),
  };
}
