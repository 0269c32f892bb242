import { CtiError } from '../../errors.ts';
import { soqlString } from '../../salesforce/soql.ts';
import type { OrgRegistry } from '../../pipeline/orgs.ts';
import type { Store } from '../../store/types.ts';
import type { AgentProfile } from './profile.ts';
import { isLogJob, taskIdOf } from './view.ts';

/**
 * After the call the agent adds a note and a disposition. They go onto the Task the trigger already logged
 * for the same interaction (never a second Task): the logActivity job's result names it, else the Task whose
 * CallObject is the interaction id. The note lives in its own section of Description so saving again
 * replaces it instead of piling copies up, and what the trigger wrote stays.
 */

export interface WrapUpInput {
  note?: string;
  disposition?: string;
}

export interface WrapUpResult {
  account: string;
  taskId: string;
}

export interface WrapUpDeps {
  store: Pick<Store, 'jobs' | 'accounts'>;
  orgs: Pick<OrgRegistry, 'get'>;
  /** How long to wait for a Task the worker is still writing (the agent often saves right at hang-up). */
  waitForTaskMs?: number;
  pollMs?: number;
}

export const NOTE_HEADING = '--- Agent note ---';
const DESCRIPTION_MAX = 32_000;
const DISPOSITION_MAX = 255;

export function parseWrapUp(input: unknown): Required<WrapUpInput> {
  const body = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const note = body.note === undefined || body.note === null ? '' : body.note;
  const disposition = body.disposition === undefined || body.disposition === null ? '' : body.disposition;
  if (typeof note !== 'string') throw new CtiError('CTI_INVALID_WRAPUP', 'note: text', { field: 'note' });
  if (typeof disposition !== 'string') throw new CtiError('CTI_INVALID_WRAPUP', 'disposition: text', { field: 'disposition' });
  if (note.length > 20_000) throw new CtiError('CTI_INVALID_WRAPUP', 'note: at most 20000 characters', { field: 'note' });
  if (disposition.trim().length > DISPOSITION_MAX) throw new CtiError('CTI_INVALID_WRAPUP', `disposition: at most ${DISPOSITION_MAX} characters`, { field: 'disposition' });
  if (!note.trim() && !disposition.trim()) throw new CtiError('CTI_INVALID_WRAPUP', 'note: write a note or choose a disposition', { field: 'note' });
  return { note: note.trim(), disposition: disposition.trim() };
}

/** Description with the agent's note as its last section, replacing an earlier note from the panel. */
export function mergeNote(description: string | null, note: string, signature: string): string {
  const current = description ?? '';
  const at = current.indexOf(NOTE_HEADING);
  const kept = (at >= 0 ? current.slice(0, at) : current).trimEnd();
  const section = `${NOTE_HEADING}\n${signature}\n${note}`;
  const merged = kept ? `${kept}\n\n${section}` : section;
  return merged.length > DESCRIPTION_MAX ? merged.slice(0, DESCRIPTION_MAX) : merged;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function taskFromJobs(deps: WrapUpDeps, interactionId: string): Promise<{ taskId: string | null; account: string | null; logged: boolean }> {
  const deadline = Date.now() + (deps.waitForTaskMs ?? 8000);
  for (;;) {
    const jobs = (await deps.store.jobs.list({ interactionId, limit: 1000 })).filter(isLogJob);
    const done = jobs.map((job) => ({ job, taskId: taskIdOf(job) })).filter((j) => j.taskId !== null);
    const last = done.at(-1);
    if (last) return { taskId: last.taskId, account: last.job.account, logged: true };
    const inFlight = jobs.some((j) => j.state === 'pending' || j.state === 'leased');
    if (!inFlight || Date.now() >= deadline) return { taskId: null, account: jobs.find((j) => j.account)?.account ?? null, logged: jobs.length > 0 };
    await sleep(deps.pollMs ?? 200);
  }
}

async function soleAccount(deps: WrapUpDeps, agent: AgentProfile): Promise<string | null> {
  if (agent.account) return agent.account;
  const accounts = await deps.store.accounts.list();
  return accounts.length === 1 ? accounts[0].config.name : null;
}

export async function saveWrapUp(deps: WrapUpDeps, interactionId: string, agent: AgentProfile, input: unknown): Promise<WrapUpResult> {
  const wrapUp = parseWrapUp(input);
  const fromJobs = await taskFromJobs(deps, interactionId);
  const account = fromJobs.account ?? (await soleAccount(deps, agent));
  if (!account) {
    throw new CtiError('CTI_NO_ACCOUNT', 'cannot tell which Salesforce account this call belongs to: set the agent\'s account in ctibridge');
  }
  const org = await deps.orgs.get(account);
  if (!org) throw new CtiError('CTI_NO_ACCOUNT', `the Salesforce account "${account}" is not registered in ctibridge any more`);

  let taskId = fromJobs.taskId;
  let description: string | null = null;
  if (taskId) {
    const rows = await org.api.query<{ Id: string; Description?: string | null }>(`SELECT Id, Description FROM Task WHERE Id = ${soqlString(taskId)}`);
    if (rows.length === 0) throw new CtiError('CTI_NO_TASK', 'the Task logged for this call was deleted in Salesforce');
    description = rows[0].Description ?? null;
  } else {
    const rows = await org.api.query<{ Id: string; Description?: string | null }>(
      `SELECT Id, Description FROM Task WHERE CallObject = ${soqlString(interactionId)} ORDER BY CreatedDate DESC LIMIT 1`,
    );
    if (rows.length === 0) {
      throw new CtiError(
        fromJobs.logged ? 'CTI_TASK_PENDING' : 'CTI_NO_TASK',
        fromJobs.logged ? 'ctibridge is still writing this call\'s Task: save again in a few seconds' : 'no Task is logged for this call (no trigger logs it)',
      );
    }
    taskId = rows[0].Id;
    description = rows[0].Description ?? null;
  }

  const fields: Record<string, unknown> = { attributes: { type: 'Task' }, Id: taskId };
  if (wrapUp.note) {
    const who = agent.name ?? agent.email ?? agent.id ?? agent.extension ?? 'agent';
    fields.Description = mergeNote(description, wrapUp.note, `${who}, ${new Date().toISOString()}`);
  }
  if (wrapUp.disposition) fields.CallDisposition = wrapUp.disposition;
  const [result] = await org.api.updateRecords([fields as { attributes: { type: string } }]);
  if (!result?.success) {
    const error = result?.errors[0];
    throw new CtiError('CTI_LOG_FAILED', `Salesforce did not save the note: ${error?.message ?? 'unknown error'}`, { statusCode: error?.statusCode });
  }
  return { account, taskId };
}
