import type { InteractionEvent } from '../../domain/interaction.ts';
import type { LiveBus, LiveEvents } from '../../pipeline/live.ts';
import { eventIsForAgent, type AgentProfile } from './profile.ts';
import { isLogJob, isLookupJob, lookupResult, summarize, taskIdOf, type InteractionSummary, type RecordRef } from './view.ts';

/**
 * One agent's live news: their interaction events as they are committed, then what ctibridge found or wrote
 * for those interactions (the matched record, the logged Task). Jobs name their event, not the agent, so
 * the feed remembers which recent events were this agent's.
 */

export type AgentNews =
  | { kind: 'interaction'; summary: InteractionSummary }
  | { kind: 'record'; interactionId: string; record: RecordRef | null; matches: RecordRef[] }
  | { kind: 'task'; interactionId: string; taskId: string };

const REMEMBERED_EVENTS = 500;

export function subscribeAgent(live: LiveBus, agent: AgentProfile, deliver: (news: AgentNews) => void): () => void {
  const interactionOfEvent = new Map<string, string>();

  const onEvent = (event: InteractionEvent) => {
    if (!eventIsForAgent(agent, event)) return;
    interactionOfEvent.set(event.id, event.interaction.id);
    if (interactionOfEvent.size > REMEMBERED_EVENTS) {
      const oldest = interactionOfEvent.keys().next().value;
      if (oldest !== undefined) interactionOfEvent.delete(oldest);
    }
    deliver({ kind: 'interaction', summary: summarize(event) });
  };

  const onJob = (...[job, outcome]: LiveEvents['job']) => {
    const interactionId = interactionOfEvent.get(job.eventId);
    if (!interactionId || !outcome.ok) return;
    if (isLookupJob(job)) {
      deliver({ kind: 'record', interactionId, ...lookupResult(outcome.result ?? null) });
    } else if (isLogJob(job)) {
      const taskId = taskIdOf({ kind: job.kind, state: 'done', result: outcome.result ?? null });
      if (taskId) deliver({ kind: 'task', interactionId, taskId });
    }
  };

  live.on('event', onEvent);
  live.on('job', onJob);
  return () => {
    live.off('event', onEvent);
    live.off('job', onJob);
  };
}
