import type { InteractionEvent } from '../domain/interaction.ts';
import type { Trigger } from '../domain/trigger.ts';
import { evaluateConditions, matchesEventType } from '../domain/conditions.ts';
import type { Job } from '../store/types.ts';
import { CtiError } from '../errors.ts';
import { executeLookups } from './execute/lookups.ts';
import type { OrgRegistry } from './orgs.ts';
import { prepareJob } from './prepare.ts';

export interface DryRunStep {
  action: string;
  type: string;
  /** What would be sent: the record with its object and operation, the lookup, or the webhook body. */
  would: Record<string, unknown> | null;
  /** For lookups (which only read): what Salesforce answered now. */
  output?: Record<string, unknown>;
  error?: { code: string; message: string };
}

export interface DryRunResult {
  matched: boolean;
  reason?: string;
  steps: DryRunStep[];
}

/**
 * What a trigger would do with an event, without writing to Salesforce: lookups run for real (they only
 * read), so later actions show the WhoId and OwnerId they would get; creates stop at the checked record.
 */
export async function dryRunTrigger(options: {
  trigger: Trigger;
  triggerId: string;
  event: InteractionEvent;
  orgs: OrgRegistry;
  defaultRegion: string;
}): Promise<DryRunResult> {
  const { trigger, triggerId, event, orgs, defaultRegion } = options;
  if (!matchesEventType(trigger.on, event.type)) return { matched: false, reason: `event type ${event.type} is not in "on" (${trigger.on.join(', ')})`, steps: [] };
  if (!evaluateConditions(trigger, event)) return { matched: false, reason: 'the conditions do not hold for this event', steps: [] };

  const outputs: Record<string, Record<string, unknown>> = {};
  const steps: DryRunStep[] = [];
  const now = new Date().toISOString();
  for (const [index, action] of trigger.actions.entries()) {
    const account = 'account' in action ? (action.account as string) : null;
    const job: Job = {
      id: -(index + 1), key: `${event.id}/${triggerId}/${action.name}`, eventId: event.id, triggerId, actionName: action.name,
      actionIndex: index, kind: action.type, account, dependsOn: null, state: 'leased', attempts: 1, runAt: now,
      leaseOwner: 'dry-run', leaseUntil: now, result: null, errorCode: null, errorMessage: null, createdAt: now, updatedAt: now, finishedAt: null,
    };
    try {
      const org = account ? await orgs.get(account) : null;
      const item = await prepareJob({ job, event, action, outputs, org, defaultRegion });
      if (item.kind === 'lookup') {
        const [found] = await executeLookups([{ ...item, onNone: item.onNone === 'stop' ? 'stop' : 'continue' }], { api: org!.api, cache: null, defaultRegion });
        const output = found.ok ? found.result : { id: null };
        outputs[action.name] = output;
        steps.push({ action: action.name, type: action.type, would: { search: item.by, for: item.key?.key ?? null, objects: item.objects, onNone: item.onNone, createRecord: item.createRecord }, output });
        if (found.ok && found.result.stopped) break;
      } else if (item.kind === 'write') {
        const fakeId = `(${item.object} to be ${item.operation === 'update' ? 'updated' : 'created'})`;
        outputs[action.name] = { id: fakeId, object: item.object };
        steps.push({ action: action.name, type: action.type, would: { operation: item.operation, object: item.object, record: item.record, ...(item.recordId ? { id: item.recordId } : {}), ...(item.externalIdField ? { externalIdField: item.externalIdField, externalId: item.externalId } : {}) } });
      } else {
        steps.push({ action: action.name, type: action.type, would: { url: item.url, body: item.body, signed: Boolean(item.secret) } });
      }
    } catch (error) {
      const code = error instanceof CtiError ? error.code : 'ERROR';
      steps.push({ action: action.name, type: action.type, would: null, error: { code, message: (error as Error).message } });
      break;
    }
  }
  return { matched: true, steps };
}
