import { evaluateConditions, matchesEventType } from '../domain/conditions.ts';
import type { InteractionEvent } from '../domain/interaction.ts';
import type { Trigger } from '../domain/trigger.ts';
import type { NewJob } from '../store/types.ts';

/**
 * Events × triggers → jobs. Pure and deterministic: the key `eventId/triggerId/actionName` is the same every
 * time, so planning an event again (replay, a crash between commit and answer) creates nothing new. The
 * actions of one trigger run in order: each job waits for the previous one.
 */
export function planJobs(events: InteractionEvent[], triggers: Array<{ id: string; trigger: Trigger }>): NewJob[] {
  const jobs: NewJob[] = [];
  for (const event of events) {
    for (const { id: triggerId, trigger } of triggers) {
      if (!trigger.enabled || !matchesEventType(trigger.on, event.type) || !evaluateConditions(trigger, event)) continue;
      let previous: string | null = null;
      trigger.actions.forEach((action, actionIndex) => {
        const key = `${event.id}/${triggerId}/${action.name}`;
        jobs.push({
          key,
          eventId: event.id,
          triggerId,
          actionName: action.name,
          actionIndex,
          kind: action.type,
          account: action.type === 'webhook' ? null : action.account,
          dependsOn: previous,
        });
        previous = key;
      });
    }
  }
  return jobs;
}
