import type { Row } from '../database.ts';
import type { Job, JobState } from '../types.ts';
import { isoOrNull, isoOut, jsonOrNull, num } from '../values.ts';

export function toJob(row: Row): Job {
  return {
    id: num(row.id),
    key: String(row.key),
    eventId: String(row.event_id),
    triggerId: String(row.trigger_id),
    actionName: String(row.action_name),
    actionIndex: num(row.action_index),
    kind: String(row.kind),
    account: row.account === null ? null : String(row.account),
    dependsOn: row.depends_on === null ? null : String(row.depends_on),
    state: row.state as JobState,
    attempts: num(row.attempts),
    runAt: isoOut(row.run_at),
    leaseOwner: row.lease_owner === null ? null : String(row.lease_owner),
    leaseUntil: isoOrNull(row.lease_until),
    result: jsonOrNull(row.result),
    errorCode: row.error_code === null ? null : String(row.error_code),
    errorMessage: row.error_message === null ? null : String(row.error_message),
    createdAt: isoOut(row.created_at),
    updatedAt: isoOut(row.updated_at),
    finishedAt: isoOrNull(row.finished_at),
  };
}

/** Columns a finished or returned job no longer needs. */
export const CLEAR_LEASE = 'lease_owner = NULL, lease_until = NULL';
