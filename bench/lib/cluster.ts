import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshStore, type PassStore } from './database.ts';
import { BenchOrg } from './org.ts';
import { AdminClient, spawnService, waitingJobs, type ServiceProcess } from './service.ts';
import { benchAccount, benchTriggers } from './triggers.ts';

export const ACCOUNT = 'bench';

export interface ClusterSettings {
  label: string;
  naive: boolean;
  latencyMs: number;
  batchWindowMs: number;
  db: 'sqlite' | 'postgres';
  instances: number;
}

/** One pass's world: an emulated org, a fresh store and the service process(es) wired to it. */
export class Cluster {
  private constructor(
    readonly org: BenchOrg,
    readonly store: PassStore,
    readonly services: ServiceProcess[],
    readonly admin: AdminClient,
  ) {}

  static async start(settings: ClusterSettings): Promise<Cluster> {
    const org = await BenchOrg.start(settings.latencyMs);
    const store = await freshStore(settings.db, settings.label);
    const services: ServiceProcess[] = [];
    try {
      const spawnOne = () => spawnService({ dataDir: store.dataDir, databaseUrl: store.databaseUrl, naive: settings.naive, batchWindowMs: settings.batchWindowMs });
      services.push(await spawnOne());
      const admin = new AdminClient(services[0].url);
      await admin.call('POST', '/api/accounts', benchAccount(ACCOUNT, org.url));
      for (const trigger of benchTriggers(ACCOUNT)) await admin.call('POST', '/api/triggers', trigger);
      // Further instances start after the triggers exist, so they plan with them from their first event.
      for (let i = 1; i < settings.instances; i += 1) services.push(await spawnOne());
      return new Cluster(org, store, services, admin);
    } catch (error) {
      await Promise.all(services.map((s) => s.stop()));
      await org.close();
      await store.dispose();
      throw error;
    }
  }

  get urls(): string[] {
    return this.services.map((s) => s.url);
  }

  async waitingJobs(): Promise<number> {
    return waitingJobs(await this.admin.stats());
  }

  /** Highest VmHWM among the service processes. */
  peakRssMb(): number | null {
    const peaks = this.services.map((s) => s.peakRssMb()).filter((v): v is number => v !== null);
    return peaks.length ? Math.max(...peaks) : null;
  }

  rssMb(): number | null {
    const current = this.services.map((s) => s.rssMb()).filter((v): v is number => v !== null);
    return current.length ? Math.max(...current) : null;
  }

  /** The services' warnings and errors (LOG_LEVEL=warn), kept in a temp file; returns its path and line count. */
  saveLog(label: string): { path: string; lines: number } {
    const text = this.services.map((s, i) => `--- instance ${i + 1} (pid ${s.pid})\n${s.output()}`).join('\n');
    const file = path.join(os.tmpdir(), `ctibridge-bench-${label}.log`);
    writeFileSync(file, text);
    return { path: file, lines: text.split('\n').filter((line) => line.startsWith('{')).length };
  }

  async stop(): Promise<void> {
    await Promise.all(this.services.map((s) => s.stop()));
    await this.org.close();
    await this.store.dispose();
  }
}
