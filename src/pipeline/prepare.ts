import { createHash } from 'node:crypto';
import type { InteractionEvent } from '../domain/interaction.ts';
import type { TriggerAction } from '../domain/trigger.ts';
import { renderFieldMap, renderTemplate, type TemplateContext } from '../domain/templates.ts';
import { defaultCaseFields, defaultContactFields, defaultLeadFields, defaultTaskFields } from '../domain/activity.ts';
import { lookupKey, type CustomerObject } from '../salesforce/lookup.ts';
import type { Job } from '../store/types.ts';
import { CtiError } from '../errors.ts';
import { checkRecord } from './check-fields.ts';
import type { OrgHandle } from './orgs.ts';
import type { WorkItem } from './work-item.ts';

/**
 * Turn a leased job into a work item: render its templates with the event and the outputs of earlier
 * actions, fill defaults, pick the owner, and check every value against the org's describe. Problems found
 * here are ours to explain, so they become permanent failures with a message naming the field.
 */

export interface PrepareInput {
  job: Job;
  event: InteractionEvent;
  action: TriggerAction;
  /** Outputs of the earlier actions of the same trigger for this event, by action name. */
  outputs: Record<string, Record<string, unknown>>;
  org: OrgHandle | null;
  defaultRegion: string;
}

/** Deterministic External ID for a job's record: the same job always upserts the same record. */
export function externalKeyFor(jobKey: string): string {
  return `ctb-${createHash('sha256').update(jobKey).digest('hex').slice(0, 32)}`;
}

function contextOf(input: PrepareInput): TemplateContext {
  return { event: input.event, interaction: input.event.interaction, actions: input.outputs, now: new Date().toISOString(), defaultRegion: input.defaultRegion };
}

/** The customer found by an earlier findCustomer action, so Task.WhoId and Case.ContactId default to it. */
function foundCustomer(outputs: PrepareInput['outputs']): { id: string; object: string; accountId: string | null } | null {
  for (const output of Object.values(outputs).reverse()) {
    if (typeof output.id === 'string' && typeof output.object === 'string' && ['Contact', 'Lead', 'Account'].includes(output.object)) {
      return { id: output.id, object: output.object, accountId: typeof output.accountId === 'string' ? output.accountId : null };
    }
  }
  return null;
}

function dropEmpty(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined && v !== ''));
}

async function ownerFor(input: PrepareInput, org: OrgHandle): Promise<string | null> {
  const agent = input.event.interaction.agent;
  const byAgent = await org.owners.resolve(agent?.email ?? null);
  if (byAgent) return byAgent;
  return org.config.fallbackOwner ? org.owners.resolve(org.config.fallbackOwner) : null;
}

async function checked(
  org: OrgHandle,
  object: string,
  values: Record<string, unknown>,
  operation: 'create' | 'update',
): Promise<Record<string, unknown>> {
  const fields = await org.api.describeFields(object);
  const { record, problems } = checkRecord(object, values, fields, operation);
  if (problems.length > 0) {
    throw new CtiError('FIELD_CHECK_FAILED', problems.map((p) => p.message).join('; '), { problems });
  }
  return record;
}

async function recordWrite(
  input: PrepareInput,
  org: OrgHandle,
  object: string,
  values: Record<string, unknown>,
): Promise<WorkItem> {
  const record = await checked(org, object, dropEmpty(values), 'create');
  const externalIdField = org.config.externalIdField;
  if (externalIdField) {
    const fields = await org.api.describeFields(object);
    if (fields.some((f) => f.name === externalIdField && f.externalId)) {
      return { kind: 'write', job: input.job, account: org.config.name, operation: 'upsert', object, record, externalIdField, externalId: externalKeyFor(input.job.key) };
    }
  }
  return { kind: 'write', job: input.job, account: org.config.name, operation: 'create', object, record };
}

export async function prepareJob(input: PrepareInput): Promise<WorkItem> {
  const { action, job, event } = input;
  const context = contextOf(input);
  if (action.type === 'webhook') {
    const body = action.body === undefined ? JSON.stringify(event)
      : typeof action.body === 'string' ? renderTemplate(action.body, context)
      : JSON.stringify(renderFieldMap(action.body, context));
    return { kind: 'webhook', job, url: action.url, body, secret: action.secret };
  }

  const org = input.org;
  if (!org) throw new CtiError('ACCOUNT_NOT_FOUND', `Salesforce account "${job.account}" is not registered`);
  const customer = foundCustomer(input.outputs);

  switch (action.type) {
    case 'salesforce.findCustomer': {
      const interaction = event.interaction;
      const raw = action.by === 'email' ? interaction.customer?.email : interaction.customer?.phone;
      const onNone = action.onNone ?? 'continue';
      let createRecord: Record<string, unknown> | null = null;
      if (onNone === 'createLead' || onNone === 'createContact') {
        const object = onNone === 'createLead' ? 'Lead' : 'Contact';
        const defaults = object === 'Lead' ? defaultLeadFields(event) : defaultContactFields(event);
        const owner = await ownerFor(input, org);
        createRecord = await checked(org, object, dropEmpty({ ...(owner ? { OwnerId: owner } : {}), ...defaults, ...renderFieldMap(action.fields ?? {}, context) }), 'create');
      }
      // Prefetching the owner here means the Task that follows finds it cached: one round trip fewer.
      void org.owners.prefetch([event.interaction.agent?.email ?? '', org.config.fallbackOwner ?? '']).catch(() => undefined);
      return {
        kind: 'lookup',
        job,
        account: org.config.name,
        by: action.by,
        key: raw ? lookupKey(action.by, raw, input.defaultRegion) : null,
        objects: (action.objects ?? ['Contact', 'Lead', 'Account']) as CustomerObject[],
        onMany: action.onMany ?? 'mostRecent',
        onNone,
        createRecord,
      };
    }
    case 'salesforce.logActivity': {
      const defaults: Record<string, unknown> = { ...defaultTaskFields(event) };
      if (customer) {
        if (customer.object === 'Account') defaults.WhatId = customer.id;
        else defaults.WhoId = customer.id;
        if (customer.object === 'Contact' && customer.accountId) defaults.WhatId = customer.accountId;
      }
      const rendered = renderFieldMap(action.fields ?? {}, context);
      if (!('OwnerId' in rendered) || !rendered.OwnerId) {
        const owner = await ownerFor(input, org);
        if (owner) defaults.OwnerId = owner;
      }
      return recordWrite(input, org, 'Task', { ...defaults, ...rendered });
    }
    case 'salesforce.createCase': {
      const defaults: Record<string, unknown> = { ...defaultCaseFields(event) };
      if (customer?.object === 'Contact') {
        defaults.ContactId = customer.id;
        if (customer.accountId) defaults.AccountId = customer.accountId;
      } else if (customer?.object === 'Account') {
        defaults.AccountId = customer.id;
      }
      const rendered = renderFieldMap(action.fields ?? {}, context);
      if (!('OwnerId' in rendered) || !rendered.OwnerId) {
        const owner = await ownerFor(input, org);
        if (owner) defaults.OwnerId = owner;
      }
      return recordWrite(input, org, 'Case', { ...defaults, ...rendered });
    }
    case 'salesforce.create':
      return recordWrite(input, org, action.object, renderFieldMap(action.fields ?? {}, context));
    case 'salesforce.update': {
      const id = renderTemplate(action.id, context).trim();
      if (!id) throw new CtiError('FIELD_CHECK_FAILED', `update of ${action.object}: the id template rendered empty`);
      const record = await checked(org, action.object, renderFieldMap(action.fields ?? {}, context), 'update');
      return { kind: 'write', job, account: org.config.name, operation: 'update', object: action.object, record, recordId: id };
    }
    case 'salesforce.upsert': {
      const externalId = renderTemplate(action.externalId, context).trim();
      if (!externalId) throw new CtiError('FIELD_CHECK_FAILED', `upsert of ${action.object}: the externalId template rendered empty`);
      const record = await checked(org, action.object, dropEmpty(renderFieldMap(action.fields ?? {}, context)), 'create');
      return { kind: 'write', job, account: org.config.name, operation: 'upsert', object: action.object, record, externalIdField: action.externalIdField, externalId };
    }
  }
}
