/** What the emulator has been asked, for benchmarks and tests to measure API frugality. */
export class Counters {
  apiCalls = 0;
  byEndpoint: Record<string, number> = {};
  byKind: Record<string, number> = {};

  count(endpoint: string, kind: string): void {
    this.apiCalls += 1;
    this.byEndpoint[endpoint] = (this.byEndpoint[endpoint] ?? 0) + 1;
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
  }

  /** Logins and other OAuth calls: listed per endpoint but not API calls, as on a real org. */
  countOAuth(endpoint: string): void {
    this.byEndpoint[endpoint] = (this.byEndpoint[endpoint] ?? 0) + 1;
    this.byKind.oauth = (this.byKind.oauth ?? 0) + 1;
  }

  reset(): void {
    this.apiCalls = 0;
    this.byEndpoint = {};
    this.byKind = {};
  }

  toJSON() {
    return { apiCalls: this.apiCalls, byEndpoint: { ...this.byEndpoint }, byKind: { ...this.byKind } };
  }
}
