import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';

export interface CreatedRecord {
  id: string;
  /** Task.CallObject: the interaction id the Task logs. */
  callObject: string | null;
  createdMs: number;
}

/**
 * The emulated org, in the bench's own process. Records and counters are read straight from its memory, so
 * watching progress every second costs the service nothing and the emulator no API calls; faults go through
 * its `/__emulator/faults` control like any client's would.
 */
export class BenchOrg {
  private constructor(private readonly emulator: RunningEmulator) {}

  static async start(latencyMs: number): Promise<BenchOrg> {
    // A daily limit far above the run's use: the benchmark measures frugality, not the quota guard.
    return new BenchOrg(await startEmulator({ port: 0, latencyMs, dailyApiLimit: 5_000_000 }));
  }

  get url(): string {
    return this.emulator.url;
  }

  apiCalls(): number {
    return this.emulator.org.counters.apiCalls;
  }

  callsByKind(): Record<string, number> {
    return { ...this.emulator.org.counters.byKind };
  }

  count(object: string): number {
    return this.emulator.org.store.list(object).length;
  }

  records(object: string): CreatedRecord[] {
    return this.emulator.org.store.list(object).map((r) => ({
      id: r.Id,
      callObject: typeof r.CallObject === 'string' ? r.CallObject : null,
      createdMs: Date.parse(String(r.CreatedDate)),
    }));
  }

  async faults(settings: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${this.emulator.url}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(settings) });
    if (!response.ok) throw new Error(`emulator faults: HTTP ${response.status} ${await response.text()}`);
  }

  close(): Promise<void> {
    return this.emulator.close();
  }
}
