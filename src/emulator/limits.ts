const MINUTE = 60_000;
const WINDOW_MINUTES = 24 * 60;

/** API requests in a rolling 24-hour window, kept as per-minute counts. */
export class ApiUsage {
  private readonly buckets = new Map<number, number>();

  constructor(readonly max: number) {}

  private prune(now: number): void {
    const oldest = Math.floor(now / MINUTE) - WINDOW_MINUTES + 1;
    for (const minute of this.buckets.keys()) if (minute < oldest) this.buckets.delete(minute);
  }

  used(now = Date.now()): number {
    this.prune(now);
    let total = 0;
    for (const count of this.buckets.values()) total += count;
    return total;
  }

  record(now = Date.now(), calls = 1): void {
    const minute = Math.floor(now / MINUTE);
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + calls);
  }

  exhausted(now = Date.now()): boolean {
    return this.used(now) >= this.max;
  }

  /** Uses up what is left, as a burst of calls now (so it rolls off like real usage would). */
  exhaust(now = Date.now()): void {
    const left = this.max - this.used(now);
    if (left > 0) this.record(now, left);
  }

  refill(): void {
    this.buckets.clear();
  }
}
