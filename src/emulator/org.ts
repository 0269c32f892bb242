import { Counters } from './counters.ts';
import { createRecord } from './dml.ts';
import { Faults } from './faults.ts';
import { makeId, normaliseId } from './ids.ts';
import { ApiUsage } from './limits.ts';
import { Schema } from './schema/schema.ts';
import type { ObjectDef } from './schema/types.ts';
import type { Seed, SeedApp } from './seed/types.ts';
import { Sessions } from './sessions.ts';
import { RecordStore, type StoredRecord } from './store.ts';
import { formatDateTime } from './validation.ts';

/** Login secrets and permissions of a user; kept apart from the User record the API exposes. */
export interface Credentials {
  userId: string;
  username: string;
  password: string;
  securityToken: string;
  apiEnabled: boolean;
  locked: boolean;
}

export interface OrgOptions {
  dailyApiLimit: number;
  sessionTtlSec: number;
  latencyMs: number;
}

const PROFILES = ['System Administrator', 'Standard User', 'Read Only', 'Minimum Access - Salesforce'];

/** The in-memory state of one emulated org: schema, records, users, apps, sessions, limits and faults. */
export class Org {
  readonly id: string;
  readonly name: string;
  /** Set once the server listens; tokens and identity URLs point here. */
  url = '';
  readonly schema: Schema;
  readonly store = new RecordStore();
  readonly apps: SeedApp[];
  readonly credentials = new Map<string, Credentials>();
  readonly counters = new Counters();
  readonly usage: ApiUsage;
  readonly faults: Faults;
  sessions: Sessions;
  private sequence = 1;
  private caseNumber = 1000;

  constructor(readonly seed: Seed, readonly options: OrgOptions) {
    this.id = normaliseId(seed.orgId) ?? makeId('00D', 1);
    this.name = seed.orgName ?? 'Emulated Org';
    this.schema = new Schema(seed.objects ?? []);
    this.apps = seed.apps;
    this.usage = new ApiUsage(options.dailyApiLimit);
    this.faults = new Faults(options.latencyMs);
    this.sessions = new Sessions(this.id, options.sessionTtlSec * 1000);
    this.load();
  }

  nextId(def: ObjectDef): string {
    return makeId(def.keyPrefix, this.sequence++);
  }

  nextCaseNumber(): number {
    return ++this.caseNumber;
  }

  user(id: string): StoredRecord | undefined {
    return this.store.get('User', id);
  }

  credentialsFor(username: string): Credentials | undefined {
    return this.credentials.get(username.toLowerCase());
  }

  credentialsById(userId: string): Credentials | undefined {
    for (const credentials of this.credentials.values()) if (credentials.userId === userId) return credentials;
    return undefined;
  }

  app(clientId: string): SeedApp | undefined {
    return this.apps.find((a) => a.clientId === clientId);
  }

  /** Back to the seed: records, users, sessions, counters and quota. Faults keep their base latency only. */
  reset(): void {
    this.sequence = 1;
    this.caseNumber = 1000;
    this.credentials.clear();
    this.store.load({ live: {}, recycled: {} });
    this.counters.reset();
    this.usage.refill();
    this.faults.settings = { latencyMs: this.options.latencyMs, errorRate5xx: 0, lockErrorRate: 0, dropAfterCommit: 0, down: false };
    this.sessions = new Sessions(this.id, this.options.sessionTtlSec * 1000);
    this.load();
  }

  snapshot() {
    return { sequence: this.sequence, caseNumber: this.caseNumber, records: this.store.toJSON() };
  }

  restore(state: ReturnType<Org['snapshot']>): void {
    this.sequence = state.sequence;
    this.caseNumber = state.caseNumber;
    this.store.load(state.records);
  }

  private load(): void {
    const now = formatDateTime(new Date());
    const profileIds = new Map<string, string>();
    const profileDef = this.schema.get('Profile')!;
    for (const name of new Set([...PROFILES, ...this.seed.users.map((u) => u.Profile)])) {
      const id = this.nextId(profileDef);
      profileIds.set(name, id);
      this.store.put('Profile', { Id: id, Name: name, UserType: 'Standard', IsDeleted: false, CreatedDate: now, LastModifiedDate: now, SystemModstamp: now });
    }
    const userDef = this.schema.get('User')!;
    const refs = new Map<string, string>();
    for (const seedUser of this.seed.users) {
      const { password, securityToken, apiEnabled, locked, Profile, ...fields } = seedUser;
      const id = this.nextId(userDef);
      const record = Object.fromEntries(userDef.fields.map((f) => [f.name, f.type === 'boolean' ? false : null])) as StoredRecord;
      Object.assign(record, {
        Id: id, IsDeleted: false, CreatedDate: now, LastModifiedDate: now, SystemModstamp: now, IsActive: true,
        Alias: fields.LastName.slice(0, 8).toLowerCase(), UserType: 'Standard', TimeZoneSidKey: 'Europe/Rome',
        LanguageLocaleKey: 'en_US', ...fields, ProfileId: profileIds.get(Profile),
      });
      record.Name = [record.FirstName, record.LastName].filter(Boolean).join(' ');
      this.store.put('User', record);
      refs.set(`user:${seedUser.Username.toLowerCase()}`, id);
      this.credentials.set(seedUser.Username.toLowerCase(), {
        userId: id, username: seedUser.Username, password, securityToken, apiEnabled: apiEnabled !== false, locked: Boolean(locked),
      });
    }
    const admin = this.seed.users.find((u) => u.Profile === 'System Administrator') ?? this.seed.users[0];
    const adminId = admin ? refs.get(`user:${admin.Username.toLowerCase()}`)! : '';
    for (const [objectName, rows] of Object.entries(this.seed.records)) {
      for (const row of rows) {
        const { _ref, ...fields } = row;
        const resolved = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, resolveRef(v, refs)]));
        const record = createRecord({ org: this, userId: adminId }, objectName, resolved);
        if (typeof _ref === 'string') refs.set(_ref, record.Id);
      }
    }
  }
}

function resolveRef(value: unknown, refs: Map<string, string>): unknown {
  if (typeof value !== 'string' || !value.startsWith('@')) return value;
  const key = value.slice(1);
  const id = refs.get(key.startsWith('user:') ? key.toLowerCase() : key);
  if (!id) throw new Error(`Seed refers to ${value}, which no earlier record or user defines`);
  return id;
}
