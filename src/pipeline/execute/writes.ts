import type { OrgApi, RecordResult, SObjectRecord } from '../org-api.ts';
import { mayHaveRunBefore, type JobResult, type WriteItem } from '../work-item.ts';
import { failureOf, recordFailure } from '../failures.ts';
import { soqlString } from '../../salesforce/soql.ts';

const COLLECTION_LIMIT = 200;
const MAX_TYPES_PER_REQUEST = 10;

/** Fields safe to compare in a reconciliation query: short, filterable, deterministic for a given job. */
const COMPARABLE_TYPES = new Set(['string', 'phone', 'email', 'picklist', 'reference', 'int', 'double', 'boolean', 'date', 'url']);

/** The field that narrows the search for a record this job may already have created. */
export function markerFieldFor(object: string, record: Record<string, unknown>, configured: string | null): string | null {
  const candidates = [configured, object === 'Task' ? 'CallObject' : null, 'Subject', 'LastName', 'Name'];
  for (const field of candidates) if (field && typeof record[field] === 'string' && record[field]) return field;
  return null;
}


/**
 * An attempt whose outcome is unknown (timeout, crash after send) may have created the record. Look for a
 * record this user created since the job was planned, with the same marker and the same short field values.
 */
export async function reconcileCreates(
  api: OrgApi,
  object: string,
  items: WriteItem[],
  configuredMarker: string | null,
): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  const byMarker = new Map<string, WriteItem[]>();
  for (const item of items) {
    const marker = markerFieldFor(object, item.record, configuredMarker);
    if (!marker) continue;
    byMarker.set(marker, [...(byMarker.get(marker) ?? []), item]);
  }
  if (byMarker.size === 0) return found;
  const describe = await api.describeFields(object);
  const comparable = new Set(describe.filter((f) => COMPARABLE_TYPES.has(f.type)).map((f) => f.name));
  const userId = await api.userId();
  for (const [marker, group] of byMarker) {
    const compareFields = [...new Set(group.flatMap((i) => Object.keys(i.record)))].filter((f) => comparable.has(f));
    const since = group.map((i) => i.job.createdAt).sort()[0];
    const sinceLiteral = new Date(new Date(since).getTime() - 10 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const values = [...new Set(group.map((i) => String(i.record[marker])))];
    const soql =
      `SELECT Id, ${[...new Set([marker, ...compareFields])].join(', ')} FROM ${object} ` +
      `WHERE ${marker} IN (${values.map(soqlString).join(', ')}) AND CreatedById = ${soqlString(userId)} ` +
      `AND CreatedDate >= ${sinceLiteral}`;
    const rows = await api.query<Record<string, unknown>>(soql);
    const taken = new Set<string>();
    for (const item of group) {
      const row = rows.find(
        (r) => !taken.has(String(r.Id)) && compareFields.every((f) => !(f in item.record) || sameValue(item.record[f], r[f])),
      );
      if (row) {
        taken.add(String(row.Id));
        found.set(item.job.id, String(row.Id));
      }
    }
  }
  return found;
}

function sameValue(sent: unknown, stored: unknown): boolean {
  if (sent === null || sent === undefined) return stored === null || stored === undefined;
  if (typeof sent === 'string' && typeof stored === 'string' && /^[a-zA-Z0-9]{15,18}$/.test(sent) && /^[a-zA-Z0-9]{15,18}$/.test(stored)) {
    return sent.slice(0, 15) === stored.slice(0, 15);
  }
  return String(sent) === String(stored);
}

function toRecord(item: WriteItem): SObjectRecord {
  const record: SObjectRecord = { attributes: { type: item.object }, ...item.record };
  if (item.operation === 'update') record.Id = item.recordId;
  if (item.externalIdField && item.externalId !== undefined) record[item.externalIdField] = item.externalId;
  return record;
}

function send(api: OrgApi, items: WriteItem[]): Promise<RecordResult[]> {
  const { operation, object, externalIdField } = items[0];
  const records = items.map(toRecord);
  if (operation === 'update') return api.updateRecords(records);
  if (operation === 'upsert' && externalIdField) return api.upsertRecords(object, externalIdField, records);
  return api.createRecords(records);
}

/** sObject Collections take up to 200 records of up to 10 object types per request (types kept contiguous). */
export function collectionChunks(items: WriteItem[]): WriteItem[][] {
  const sorted = [...items].sort((a, b) => a.object.localeCompare(b.object));
  const chunks: WriteItem[][] = [];
  let chunk: WriteItem[] = [];
  let types = new Set<string>();
  for (const item of sorted) {
    if (chunk.length === COLLECTION_LIMIT || (!types.has(item.object) && types.size === MAX_TYPES_PER_REQUEST)) {
      chunks.push(chunk);
      chunk = [];
      types = new Set();
    }
    chunk.push(item);
    types.add(item.object);
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

/**
 * One bucket of writes as sObject Collections requests: creates (and updates) of every object of an account
 * share requests, so a call's Task and Case cost one API call; upserts are per object and External ID field.
 */
export async function executeWrites(items: WriteItem[], api: OrgApi, markerField: string | null): Promise<JobResult[]> {
  const { operation } = items[0];
  const results: JobResult[] = [];
  let pending = items;

  const inDoubt = operation === 'create' ? items.filter((i) => mayHaveRunBefore(i.job)) : [];
  for (const object of new Set(inDoubt.map((i) => i.object))) {
    const group = inDoubt.filter((i) => i.object === object);
    try {
      const already = await reconcileCreates(api, object, group, markerField);
      for (const [jobId, id] of already) results.push({ jobId, ok: true, result: { id, object, created: true, reconciled: true } });
      pending = pending.filter((i) => !already.has(i.job.id));
    } catch (error) {
      // Until we know, sending again could duplicate: the in-doubt jobs wait for the next attempt.
      const failure = failureOf(error);
      results.push(...group.map((i) => ({ jobId: i.job.id, ok: false as const, failure })));
      pending = pending.filter((i) => !group.includes(i));
    }
  }

  for (const chunk of collectionChunks(pending)) {
    let outcomes: RecordResult[];
    try {
      outcomes = await send(api, chunk);
    } catch (error) {
      const failure = failureOf(error);
      results.push(...chunk.map((i) => ({ jobId: i.job.id, ok: false as const, failure })));
      continue;
    }
    chunk.forEach((item, index) => {
      const outcome = outcomes[index];
      if (outcome?.success) {
        const created = operation === 'create' ? true : operation === 'update' ? false : outcome.created === true;
        results.push({ jobId: item.job.id, ok: true, result: { id: outcome.id ?? item.recordId ?? null, object: item.object, created } });
      } else {
        results.push({ jobId: item.job.id, ok: false, failure: recordFailure(outcome?.errors ?? []) });
      }
    });
  }
  return results;
}
