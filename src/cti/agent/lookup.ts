import { buildSearches, indexSearchRecords, lookupKey, pickMatch, type CustomerObject, type SearchPlanFields } from '../../salesforce/lookup.ts';
import type { OrgApi } from '../../pipeline/org-api.ts';
import type { RecordRef } from './view.ts';

/**
 * A live lookup of one number, for when no trigger has looked the caller up yet (a pop link opened at ring
 * time). One describe per object (cached by the connector) and one SOSL search.
 */

export async function lookupNumber(
  api: Pick<OrgApi, 'describeFields' | 'search'>,
  number: string,
  defaultRegion: string,
  objects: CustomerObject[] = ['Contact', 'Lead', 'Account'],
): Promise<{ record: RecordRef | null; matches: RecordRef[] }> {
  const key = lookupKey('phone', number, defaultRegion);
  if (!key) return { record: null, matches: [] };
  const fields: SearchPlanFields[] = await Promise.all(
    objects.map(async (object) => {
      const described = await api.describeFields(object);
      const names = new Set(described.map((f) => f.name));
      return {
        object,
        matchFields: described.filter((f) => f.type === 'phone').map((f) => f.name),
        extraFields: ['Name', 'LastModifiedDate', 'AccountId'].filter((n) => names.has(n)),
        where: object === 'Lead' && names.has('IsConverted') ? 'IsConverted = false' : undefined,
      };
    }),
  );
  const usable = fields.filter((f) => f.matchFields.length > 0);
  const records = (await Promise.all(buildSearches('phone', [key], usable).map((sosl) => api.search(sosl)))).flat();
  const matches = indexSearchRecords('phone', records, usable, defaultRegion).get(key.key) ?? [];
  const picked = pickMatch(matches, 'preferContact');
  const ref = (m: (typeof matches)[number]): RecordRef => ({ id: m.id, object: m.object, name: m.name });
  return { record: picked ? ref(picked) : null, matches: matches.map(ref) };
}
