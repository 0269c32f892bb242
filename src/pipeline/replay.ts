import type { Store } from '../store/types.ts';
import { planJobs } from './plan.ts';
import type { TriggerCatalog } from './trigger-catalog.ts';

export interface ReplayRequest {
  since: string;
  until?: string;
  /** Trigger name or id; all enabled triggers when absent. */
  trigger?: string;
}

export interface ReplayResult {
  events: number;
  planned: number;
  retried: number;
}

/**
 * Re-plan past events, typically after fixing a trigger: jobs the events should have had are created, and
 * jobs that died are given another go. Jobs already done are left alone, so nothing is created twice.
 */
export async function replayEvents(store: Store, catalog: TriggerCatalog, request: ReplayRequest): Promise<ReplayResult> {
  await catalog.reload();
  let triggers = catalog.enabled();
  if (request.trigger) {
    const stored = await store.triggers.get(request.trigger);
    triggers = triggers.filter((t) => t.id === stored?.id);
    if (triggers.length === 0) throw Object.assign(new Error(`no enabled trigger named "${request.trigger}"`), { code: 'TRIGGER_NOT_FOUND' });
  }
  let events = 0;
  let planned = 0;
  let retried = 0;
  let afterSeq: number | undefined;
  for (;;) {
    const page = await store.events.list({ since: request.since, until: request.until, afterSeq, limit: 1000 });
    if (page.length === 0) break;
    const jobs = planJobs(page.map((e) => e.event), triggers);
    planned += await store.jobs.insertMany(jobs);
    const existing = await store.jobs.byKeys(jobs.map((j) => j.key));
    for (const job of existing) {
      if (job.state === 'dead' && job.errorCode !== 'DEPENDENCY_FAILED' && (await store.jobs.retry(job.id))) retried += 1;
    }
    events += page.length;
    afterSeq = Math.max(...page.map((e) => e.seq));
    if (page.length < 1000) break;
  }
  return { events, planned, retried };
}
