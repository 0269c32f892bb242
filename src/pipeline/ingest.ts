import type { InteractionEvent } from '../domain/interaction.ts';
import * as metrics from '../metrics.ts';
import type { Store } from '../store/types.ts';
import type { LiveBus } from './live.ts';
import { planJobs } from './plan.ts';
import type { TriggerCatalog } from './trigger-catalog.ts';

export interface IngestDeps {
  store: Store;
  triggers: TriggerCatalog;
  live?: LiveBus;
  /** Called after the commit so the worker picks the new jobs at once. */
  onJobsPlanned?: () => void;
}

export interface IngestResult {
  accepted: string[];
  duplicates: string[];
  jobs: number;
}

/**
 * Store valid events and the jobs their triggers plan, in one transaction, before anyone is told "accepted".
 * A repeated event id is acknowledged as a duplicate and plans nothing.
 */
export async function ingestEvents(deps: IngestDeps, events: InteractionEvent[], source: string): Promise<IngestResult> {
  if (events.length === 0) return { accepted: [], duplicates: [], jobs: 0 };
  const catalog = await deps.triggers.fresh();
  const triggers = catalog.enabled();
  const outcome = await deps.store.events.appendAndPlan(events, source, (fresh) => planJobs(fresh, triggers));
  metrics.eventsIngested.inc({ source }, outcome.accepted.length);
  if (outcome.duplicates.length) metrics.eventsDuplicate.inc({ source }, outcome.duplicates.length);
  if (outcome.jobs > 0) deps.onJobsPlanned?.();
  if (deps.live) {
    const accepted = new Set(outcome.accepted);
    for (const event of events) if (accepted.has(event.id)) deps.live.emit('event', event);
  }
  return outcome;
}
