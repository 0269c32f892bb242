import type { AccountConfig } from '../domain/account.ts';
import type { Store } from '../store/types.ts';
import { LookupCache } from '../salesforce/lookup.ts';
import type { OrgApi } from './org-api.ts';
import { OwnerDirectory } from './owners.ts';

/** One registered Salesforce account as the worker uses it: its connection, caches and pause state. */
export interface OrgHandle {
  config: AccountConfig;
  api: OrgApi;
  owners: OwnerDirectory;
  lookups: LookupCache | null;
}

export interface OrgRegistryOptions {
  connect: (config: AccountConfig) => OrgApi;
  cacheTtlMs: number;
  /** Agent → Salesforce user overrides (admin's manual map), by lower-case agent email. */
  ownerOverrides?: () => Record<string, string>;
  /** Told the org's instance URL once a connection has logged in (for links to records). */
  onInstanceUrl?: (account: string, instanceUrl: string) => Promise<void> | void;
  now?: () => number;
}

export interface AccountPause {
  until: number;
  reason: string;
}

export class OrgRegistry {
  private readonly handles = new Map<string, Promise<OrgHandle | null>>();
  private readonly pauses = new Map<string, AccountPause>();
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private readonly options: OrgRegistryOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get(name: string): Promise<OrgHandle | null> {
    let handle = this.handles.get(name);
    if (!handle) {
      handle = this.store.accounts.get(name).then((stored) => {
        if (!stored) {
          this.handles.delete(name);
          return null;
        }
        const api = this.options.connect(stored.config);
        const onInstanceUrl = this.options.onInstanceUrl;
        if (onInstanceUrl) {
          // Logging in is the first thing the worker does with a new connection anyway; a failure shows there.
          api.instanceUrl().then((url) => onInstanceUrl(stored.config.name, url)).catch(() => undefined);
        }
        return {
          config: stored.config,
          api,
          owners: new OwnerDirectory(api, this.options.cacheTtlMs, this.options.ownerOverrides),
          lookups: this.options.cacheTtlMs > 0 ? new LookupCache(this.options.cacheTtlMs) : null,
        };
      });
      this.handles.set(name, handle);
    }
    return handle;
  }

  /** The account changed (new credentials, new fallback owner): build its connection afresh on next use. */
  forget(name: string): void {
    this.handles.delete(name);
    this.pauses.delete(name);
  }

  pause(name: string, ms: number, reason: string): void {
    const until = this.now() + ms;
    const current = this.pauses.get(name);
    if (!current || current.until < until) this.pauses.set(name, { until, reason });
  }

  resume(name: string): void {
    this.pauses.delete(name);
  }

  pausedAccounts(): string[] {
    const now = this.now();
    for (const [name, pause] of this.pauses) if (pause.until <= now) this.pauses.delete(name);
    return [...this.pauses.keys()];
  }

  pauseOf(name: string): AccountPause | null {
    const pause = this.pauses.get(name);
    return pause && pause.until > this.now() ? pause : null;
  }

  /** Earliest moment a paused account may work again (for the worker's sleep). */
  nextResume(): number | null {
    const untils = [...this.pauses.values()].map((p) => p.until);
    return untils.length ? Math.min(...untils) : null;
  }

  async loaded(): Promise<OrgHandle[]> {
    return (await Promise.all(this.handles.values())).filter((h): h is OrgHandle => h !== null);
  }
}
