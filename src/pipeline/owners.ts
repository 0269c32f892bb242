import type { OrgApi } from './org-api.ts';
import { soqlString } from '../salesforce/soql.ts';

/**
 * Who owns the records of an interaction: the agent's Salesforce User (matched by email, as XCALLY does),
 * else the account's fallback user. Answers are cached, misses too, so a busy queue asks once per agent.
 */
export class OwnerDirectory {
  private readonly cache = new Map<string, { userId: string | null; expiresAt: number }>();
  private readonly inFlight = new Map<string, Promise<string | null>>();

  constructor(
    private readonly api: OrgApi,
    private readonly ttlMs: number,
    private readonly overrides: () => Record<string, string> = () => ({}),
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolve many agents with one query; later calls for the same emails are answered from the cache. */
  async prefetch(identities: string[]): Promise<void> {
    const wanted = [...new Set(identities.map((i) => i.trim().toLowerCase()).filter(Boolean))].filter(
      (i) => !this.fresh(i) && !this.overrides()[i],
    );
    if (wanted.length === 0 || this.ttlMs <= 0) return;
    const query = this.api
      .query<{ Id: string; Email: string | null; Username: string }>(
        `SELECT Id, Email, Username FROM User WHERE IsActive = true AND (Email IN (${wanted.map(soqlString).join(', ')}) ` +
          `OR Username IN (${wanted.map(soqlString).join(', ')}))`,
      )
      .then((rows) => {
        for (const identity of wanted) {
          const row = rows.find((r) => r.Username.toLowerCase() === identity) ?? rows.find((r) => r.Email?.toLowerCase() === identity);
          this.cache.set(identity, { userId: row?.Id ?? null, expiresAt: this.now() + this.ttlMs });
        }
        return null;
      });
    for (const identity of wanted) this.inFlight.set(identity, query);
    try {
      await query;
    } finally {
      for (const identity of wanted) this.inFlight.delete(identity);
    }
  }

  async resolve(identity: string | undefined | null): Promise<string | null> {
    if (!identity) return null;
    const key = identity.trim().toLowerCase();
    const override = this.overrides()[key];
    if (override) return override;
    if (this.ttlMs <= 0) return this.lookupUncached(key);
    const pending = this.inFlight.get(key);
    if (pending) await pending;
    if (!this.fresh(key)) await this.prefetch([key]);
    return this.cache.get(key)?.userId ?? null;
  }

  /** Without a cache (the benchmark's naive run) every record asks again, as a plain integration would. */
  private async lookupUncached(key: string): Promise<string | null> {
    const rows = await this.api.query<{ Id: string }>(
      `SELECT Id FROM User WHERE IsActive = true AND (Email = ${soqlString(key)} OR Username = ${soqlString(key)}) LIMIT 1`,
    );
    return rows[0]?.Id ?? null;
  }

  private fresh(key: string): boolean {
    const entry = this.cache.get(key);
    return entry !== undefined && entry.expiresAt > this.now();
  }
}
