/**
 * The org's daily API usage as ctibridge last saw it. Every REST response but `GET /services/data` carries
 * `Sforce-Limit-Info: api-usage=USED/MAX`; `/limits` gives the same as DailyApiRequests {Max, Remaining}.
 */

export interface ApiUsage {
  used: number;
  max: number;
}

export interface ApiUsageSnapshot extends ApiUsage {
  /** Milliseconds since the epoch when this reading arrived. */
  updatedAt: number;
}

/** `api-usage=25/15000` (possibly followed by `; per-app-api-usage=…`) → {used, max}; null if absent or malformed. */
export function parseLimitInfo(header: string | null | undefined): ApiUsage | null {
  if (!header) return null;
  const match = /(?:^|[;,\s])api-usage=(\d+)\/(\d+)/.exec(header);
  if (!match) return null;
  const used = Number(match[1]);
  const max = Number(match[2]);
  return max > 0 ? { used, max } : null;
}

/** `/limits` body → {used, max} from DailyApiRequests. */
export function usageFromLimits(limits: unknown): ApiUsage | null {
  const daily = (limits as { DailyApiRequests?: { Max?: unknown; Remaining?: unknown } } | null)?.DailyApiRequests;
  if (typeof daily?.Max !== 'number' || typeof daily.Remaining !== 'number' || daily.Max <= 0) return null;
  return { used: Math.max(0, daily.Max - daily.Remaining), max: daily.Max };
}

/** Latest reading of one account's org-wide usage; fed by every response. */
export class ApiUsageTracker {
  private latest: ApiUsageSnapshot | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  record(usage: ApiUsage | null): void {
    if (usage) this.latest = { ...usage, updatedAt: this.now() };
  }

  recordHeader(header: string | null | undefined): void {
    this.record(parseLimitInfo(header));
  }

  recordLimits(limits: unknown): void {
    this.record(usageFromLimits(limits));
  }

  snapshot(): ApiUsageSnapshot | null {
    return this.latest ? { ...this.latest } : null;
  }

  /** Share of the org's daily limit already used (0..1+), or null before any reading. */
  shareUsed(): number | null {
    return this.latest ? this.latest.used / this.latest.max : null;
  }

  /** True when the org has used more than `share` of its daily limit (the account's apiShare, say). */
  exceeds(share: number): boolean {
    const used = this.shareUsed();
    return used !== null && used >= share;
  }
}
