import type { Store } from '../../../store/types.ts';

/** Settings key of the admin's manual agent → Salesforce User map: `{ "<agent email, lower case>": "<User Id>" }`. */
export const OWNER_OVERRIDES_KEY = 'agents.ownerOverrides';
/** Other processes on the same database may change the map: re-read it at most this often. */
const REFRESH_MS = 30_000;

export interface OwnerOverrides {
  /** The map as last read; synchronous, for OrgRegistry's `ownerOverrides` option. Starts a re-read when stale. */
  current(): Record<string, string>;
  refresh(): Promise<Record<string, string>>;
  set(agentEmail: string, userId: string | null): Promise<Record<string, string>>;
}

const byStore = new WeakMap<Store, OwnerOverrides>();

export function normaliseAgentEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The override map of one store, shared by the worker and the admin API (one instance per store), so a change
 * saved in the UI is used by the next job of this process at once and by other processes within 30 s.
 */
export function ownerOverrides(store: Store): OwnerOverrides {
  const existing = byStore.get(store);
  if (existing) return existing;
  let map: Record<string, string> = {};
  let readAt = 0;
  let reading: Promise<Record<string, string>> | null = null;
  const refresh = () => {
    reading ??= store.settings
      .get<Record<string, string>>(OWNER_OVERRIDES_KEY)
      .then((value) => {
        map = value ?? {};
        readAt = Date.now();
        return map;
      })
      .finally(() => {
        reading = null;
      });
    return reading;
  };
  const overrides: OwnerOverrides = {
    current() {
      if (Date.now() - readAt > REFRESH_MS) refresh().catch(() => undefined);
      return map;
    },
    refresh,
    async set(agentEmail, userId) {
      const next = { ...(await refresh()) };
      const key = normaliseAgentEmail(agentEmail);
      if (userId) next[key] = userId;
      else delete next[key];
      await store.settings.set(OWNER_OVERRIDES_KEY, next);
      map = next;
      readAt = Date.now();
      return next;
    },
  };
  byStore.set(store, overrides);
  return overrides;
}
