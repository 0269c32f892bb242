import { normalizePhone, phoneSearchVariants } from '../domain/phone.ts';

/**
 * Finding callers: many phone numbers (or emails) share one SOSL search, and the records that come back are
 * matched to each number on its normalised E.164 form, since Salesforce's own phone matching is looser than ours.
 */

export type LookupBy = 'phone' | 'email';
export type CustomerObject = 'Contact' | 'Lead' | 'Account';
export type OnMany = 'mostRecent' | 'preferContact' | 'none';

export interface CustomerMatch {
  id: string;
  object: CustomerObject;
  name: string | null;
  lastModified: string | null;
  /** For a Contact or Person Account, the Account it belongs to (used as a Case's AccountId). */
  accountId: string | null;
}

export interface LookupOutcome {
  /** The picked record, or null when none matched or the policy declined to pick among several. */
  match: CustomerMatch | null;
  matches: CustomerMatch[];
}

/** Fields to ask of each object, taken from its describe so that absent fields (no Person Accounts) are never named. */
export interface SearchPlanFields {
  object: CustomerObject;
  matchFields: string[]; // phone-type or email-type fields
  extraFields: string[]; // Name, LastModifiedDate, AccountId, ...
  where?: string;
}

/** SOSL reserved characters; a term is escaped and quoted so `+39…` or `a-b@x.it` search literally. */
const SOSL_RESERVED = /[?&|!{}[\]()^~*:\\"'+-]/g;

export function escapeSoslTerm(term: string): string {
  return `"${term.replace(SOSL_RESERVED, (char) => `\\${char}`)}"`;
}

/** Salesforce rejects FIND clauses past 4,000 characters; stay under with room for the quotes and ORs. */
export const MAX_FIND_CHARS = 3800;

export interface LookupKey {
  /** What the caller asked for, normalised: E.164 for phones (or digits when unparseable), lower-case email. */
  key: string;
  terms: string[];
}

export function lookupKey(by: LookupBy, raw: string, defaultRegion: string): LookupKey | null {
  const value = raw.trim();
  if (!value) return null;
  if (by === 'email') {
    const email = value.toLowerCase();
    return email.includes('@') ? { key: email, terms: [email] } : null;
  }
  const phone = normalizePhone(value, defaultRegion);
  if (phone.e164) return { key: phone.e164, terms: phoneSearchVariants(phone.e164) };
  if (phone.digits.length >= 4) return { key: phone.digits, terms: [phone.digits] };
  return null;
}

/** Split many lookups into as few SOSL FIND clauses as the length limit allows. */
export function buildSearches(by: LookupBy, keys: LookupKey[], fields: SearchPlanFields[]): string[] {
  const scope = by === 'phone' ? 'PHONE FIELDS' : 'EMAIL FIELDS';
  const returning = fields
    .map((f) => {
      const list = [...new Set(['Id', ...f.extraFields, ...f.matchFields])].join(', ');
      return `${f.object}(${list}${f.where ? ` WHERE ${f.where}` : ''})`;
    })
    .join(', ');
  const searches: string[] = [];
  let clause: string[] = [];
  let length = 0;
  for (const key of keys) {
    const terms = key.terms.map(escapeSoslTerm);
    const added = terms.join(' OR ').length + (clause.length ? 4 : 0);
    if (clause.length && length + added > MAX_FIND_CHARS) {
      searches.push(`FIND {${clause.join(' OR ')}} IN ${scope} RETURNING ${returning}`);
      clause = [];
      length = 0;
    }
    clause.push(...terms);
    length += added;
  }
  if (clause.length) searches.push(`FIND {${clause.join(' OR ')}} IN ${scope} RETURNING ${returning}`);
  return searches;
}

type SearchRecord = Record<string, unknown> & { attributes?: { type?: string } };

/** Index returned records by the normalised form of each of their phone or email fields. */
export function indexSearchRecords(
  by: LookupBy,
  records: SearchRecord[],
  fields: SearchPlanFields[],
  defaultRegion: string,
): Map<string, CustomerMatch[]> {
  const index = new Map<string, CustomerMatch[]>();
  const fieldsByObject = new Map(fields.map((f) => [f.object, f.matchFields]));
  for (const record of records) {
    const object = record.attributes?.type as CustomerObject | undefined;
    if (!object || !fieldsByObject.has(object)) continue;
    const match: CustomerMatch = {
      id: String(record.Id),
      object,
      name: typeof record.Name === 'string' ? record.Name : null,
      lastModified: typeof record.LastModifiedDate === 'string' ? record.LastModifiedDate : null,
      accountId: typeof record.AccountId === 'string' ? record.AccountId : object === 'Account' ? String(record.Id) : null,
    };
    const keys = new Set<string>();
    for (const field of fieldsByObject.get(object) ?? []) {
      const value = record[field];
      if (typeof value !== 'string' || !value) continue;
      const key = lookupKey(by, value, defaultRegion);
      if (key) keys.add(key.key);
    }
    for (const key of keys) {
      const list = index.get(key) ?? [];
      if (!list.some((m) => m.id === match.id)) list.push(match);
      index.set(key, list);
    }
  }
  return index;
}

const OBJECT_PREFERENCE: Record<CustomerObject, number> = { Contact: 0, Account: 1, Lead: 2 };

export function pickMatch(matches: CustomerMatch[], onMany: OnMany): CustomerMatch | null {
  if (matches.length === 0) return null;
  if (matches.length === 1) return matches[0];
  const byRecency = (a: CustomerMatch, b: CustomerMatch) => (b.lastModified ?? '').localeCompare(a.lastModified ?? '');
  switch (onMany) {
    case 'none':
      return null;
    case 'mostRecent':
      return [...matches].sort(byRecency)[0];
    case 'preferContact':
      return [...matches].sort((a, b) => OBJECT_PREFERENCE[a.object] - OBJECT_PREFERENCE[b.object] || byRecency(a, b))[0];
  }
}

/** Per-account cache of lookups with a TTL; ctibridge's own creates overwrite entries so they are never stale. */
export class LookupCache {
  private readonly entries = new Map<string, { matches: CustomerMatch[]; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(by: LookupBy, key: string): CustomerMatch[] | undefined {
    const entry = this.entries.get(`${by}:${key}`);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(`${by}:${key}`);
      return undefined;
    }
    return entry.matches;
  }

  set(by: LookupBy, key: string, matches: CustomerMatch[]): void {
    if (this.ttlMs <= 0) return;
    const cacheKey = `${by}:${key}`;
    this.entries.delete(cacheKey);
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: the first key is the least recently written.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(cacheKey, { matches, expiresAt: this.now() + this.ttlMs });
  }

  /** A record ctibridge just created for this key is the freshest truth about it. */
  remember(by: LookupBy, key: string, created: CustomerMatch): void {
    const known = this.get(by, key) ?? [];
    this.set(by, key, [created, ...known.filter((m) => m.id !== created.id)]);
  }

  forget(by: LookupBy, key: string): void {
    this.entries.delete(`${by}:${key}`);
  }

  clear(): void {
    this.entries.clear();
  }
}
