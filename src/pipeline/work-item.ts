import type { Job } from '../store/types.ts';
import type { LookupBy, LookupKey, OnMany, CustomerObject } from '../salesforce/lookup.ts';
import type { FailureInfo } from './retry.ts';

/** A leased job, prepared: templates rendered, values checked, ready to be batched with its like. */
export type WorkItem = LookupItem | WriteItem | WebhookItem;

export interface LookupItem {
  kind: 'lookup';
  job: Job;
  account: string;
  by: LookupBy;
  key: LookupKey | null;
  objects: CustomerObject[];
  onMany: OnMany;
  onNone: 'continue' | 'stop' | 'createLead' | 'createContact';
  /** Fields for the Lead or Contact created when nobody matches (already checked against the describe). */
  createRecord: Record<string, unknown> | null;
}

export interface WriteItem {
  kind: 'write';
  job: Job;
  account: string;
  operation: 'create' | 'update' | 'upsert';
  object: string;
  record: Record<string, unknown>;
  /** update: the record id. */
  recordId?: string;
  /** upsert (also creates when the account names an External ID field): field and value. */
  externalIdField?: string;
  externalId?: string;
}

export interface WebhookItem {
  kind: 'webhook';
  job: Job;
  url: string;
  body: string;
  secret?: string;
}

export type JobResult =
  | { jobId: number; ok: true; result: Record<string, unknown> }
  | { jobId: number; ok: false; failure: FailureInfo };

/** The batch a work item joins: same account, same kind of request. */
export function bucketKey(item: WorkItem): string {
  switch (item.kind) {
    case 'lookup':
      return `${item.account}|lookup|${item.by}|${[...item.objects].sort().join(',')}`;
    case 'write':
      // Creates and updates of any object share a request; an upsert names its object and key field in the URL.
      return item.operation === 'upsert'
        ? `${item.account}|upsert|${item.object}|${item.externalIdField ?? ''}`
        : `${item.account}|${item.operation}`;
    case 'webhook':
      return `webhook|${item.job.id}`;
  }
}

export function accountOf(item: WorkItem): string | null {
  return item.kind === 'webhook' ? null : item.account;
}

/**
 * Whether an earlier attempt of this job may have reached Salesforce: it was leased before (a crash leaves no
 * other trace) or an attempt failed (a lost response; attempts refunded during an outage still leave the error).
 */
export function mayHaveRunBefore(job: Job): boolean {
  return job.attempts > 1 || job.errorCode !== null;
}
