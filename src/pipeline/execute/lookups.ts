import {
  buildSearches,
  indexSearchRecords,
  pickMatch,
  type CustomerMatch,
  type CustomerObject,
  type LookupCache,
  type SearchPlanFields,
} from '../../salesforce/lookup.ts';
import type { OrgApi, SObjectRecord } from '../org-api.ts';
import { mayHaveRunBefore, type JobResult, type LookupItem } from '../work-item.ts';
import { failureOf, recordFailure } from '../failures.ts';

export interface LookupContext {
  api: OrgApi;
  cache: LookupCache | null;
  defaultRegion: string;
}

async function searchFields(api: OrgApi, by: LookupItem['by'], objects: CustomerObject[]): Promise<SearchPlanFields[]> {
  const matchType = by === 'phone' ? 'phone' : 'email';
  return Promise.all(
    objects.map(async (object) => {
      const fields = await api.describeFields(object);
      const names = new Set(fields.map((f) => f.name));
      const extra = ['Name', 'LastModifiedDate', 'AccountId'].filter((n) => names.has(n));
      return {
        object,
        matchFields: fields.filter((f) => f.type === matchType).map((f) => f.name),
        extraFields: extra,
        where: object === 'Lead' && names.has('IsConverted') ? 'IsConverted = false' : undefined,
      };
    }),
  );
}

function resultOf(match: CustomerMatch | null, matches: CustomerMatch[], created = false): Record<string, unknown> {
  return {
    id: match?.id ?? null,
    object: match?.object ?? null,
    name: match?.name ?? null,
    accountId: match?.accountId ?? null,
    created,
    matches: matches.map((m) => ({ id: m.id, object: m.object, name: m.name })),
  };
}

/** One bucket of lookups: cached keys answer at once, the rest share as few SOSL searches as possible. */
export async function executeLookups(items: LookupItem[], ctx: LookupContext): Promise<JobResult[]> {
  const { by, objects } = items[0];
  const found = new Map<string, CustomerMatch[]>();
  const toSearch = new Map<string, LookupItem['key'] & object>();
  for (const item of items) {
    if (!item.key) continue;
    // A retried job may have created its record before the crash: only a fresh search can tell.
    const cached = mayHaveRunBefore(item.job) ? undefined : ctx.cache?.get(by, item.key.key);
    if (cached) found.set(item.key.key, cached);
    else toSearch.set(item.key.key, item.key);
  }

  if (toSearch.size > 0) {
    let fields: SearchPlanFields[];
    let searchRecords: Array<Record<string, unknown>>;
    try {
      fields = await searchFields(ctx.api, by, objects);
      const searches = buildSearches(by, [...toSearch.values()], fields);
      searchRecords = (await Promise.all(searches.map((sosl) => ctx.api.search(sosl)))).flat();
    } catch (error) {
      const failure = failureOf(error);
      return items.map((item) => ({ jobId: item.job.id, ok: false as const, failure }));
    }
    const index = indexSearchRecords(by, searchRecords, fields, ctx.defaultRegion);
    for (const key of toSearch.keys()) {
      const matches = index.get(key) ?? [];
      found.set(key, matches);
      ctx.cache?.set(by, key, matches);
    }
  }

  const results: JobResult[] = [];
  const toCreate: Array<{ item: LookupItem; record: SObjectRecord }> = [];
  for (const item of items) {
    const matches = item.key ? (found.get(item.key.key) ?? []).filter((m) => item.objects.includes(m.object)) : [];
    const match = pickMatch(matches, item.onMany);
    if (match || matches.length > 0) {
      results.push({ jobId: item.job.id, ok: true, result: resultOf(match, matches) });
    } else if ((item.onNone === 'createLead' || item.onNone === 'createContact') && item.createRecord) {
      const type = item.onNone === 'createLead' ? 'Lead' : 'Contact';
      toCreate.push({ item, record: { attributes: { type }, ...item.createRecord } });
    } else if (item.onNone === 'stop') {
      results.push({ jobId: item.job.id, ok: true, result: { ...resultOf(null, []), stopped: true } });
    } else {
      results.push({ jobId: item.job.id, ok: true, result: resultOf(null, []) });
    }
  }

  if (toCreate.length > 0) results.push(...(await createMissingCustomers(toCreate, ctx)));
  return results;
}

async function createMissingCustomers(
  toCreate: Array<{ item: LookupItem; record: SObjectRecord }>,
  ctx: LookupContext,
): Promise<JobResult[]> {
  const results: JobResult[] = [];
  for (let start = 0; start < toCreate.length; start += 200) {
    const chunk = toCreate.slice(start, start + 200);
    let outcomes;
    try {
      outcomes = await ctx.api.createRecords(chunk.map((c) => c.record));
    } catch (error) {
      const failure = failureOf(error);
      // The creates may have landed: forget the cached "nobody" so the retry searches again.
      for (const { item } of chunk) if (item.key) ctx.cache?.forget(item.by, item.key.key);
      results.push(...chunk.map(({ item }) => ({ jobId: item.job.id, ok: false as const, failure })));
      continue;
    }
    chunk.forEach(({ item, record }, i) => {
      const outcome = outcomes[i];
      if (outcome?.success && outcome.id) {
        const object = record.attributes.type as CustomerObject;
        const name = [record.FirstName, record.LastName].filter(Boolean).join(' ') || null;
        const match: CustomerMatch = { id: outcome.id, object, name, lastModified: new Date().toISOString(), accountId: null };
        if (item.key) ctx.cache?.remember(item.by, item.key.key, match);
        results.push({ jobId: item.job.id, ok: true, result: resultOf(match, [match], true) });
      } else {
        results.push({ jobId: item.job.id, ok: false, failure: recordFailure(outcome?.errors ?? []) });
      }
    });
  }
  return results;
}
