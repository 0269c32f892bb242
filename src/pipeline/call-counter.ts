/**
 * ctibridge's own API calls to one org over the last 24 hours (Salesforce's window is rolling), in minute
 * buckets so memory stays fixed however busy the day is.
 */
export class CallCounter {
  private readonly buckets = new Map<number, number>();

  constructor(private readonly now: () => number = Date.now) {}

  add(calls = 1): void {
    const minute = Math.floor(this.now() / 60_000);
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + calls);
    if (this.buckets.size > 1441) this.prune(minute);
  }

  last24h(): number {
    const minute = Math.floor(this.now() / 60_000);
    this.prune(minute);
    let total = 0;
    for (const count of this.buckets.values()) total += count;
    return total;
  }

  private prune(minute: number): void {
    for (const key of this.buckets.keys()) if (key <= minute - 1440) this.buckets.delete(key);
  }
}
