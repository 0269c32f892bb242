import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export const ADMIN_TOKEN = 'bench-admin-token-0123456789';
export const INGEST_TOKEN = 'bench-ingest-token-0123456789';

export interface ServiceSettings {
  dataDir: string;
  databaseUrl?: string;
  naive: boolean;
  batchWindowMs: number;
}

export interface ServiceProcess {
  url: string;
  pid: number;
  /** Peak resident set (VmHWM) of the service process so far, in MB. */
  peakRssMb(): number | null;
  /** Current resident set (VmRSS), in MB. */
  rssMb(): number | null;
  output(): string;
  stop(): Promise<void>;
}

function statusField(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Math.round(Number(match[1]) / 102.4) / 10 : null;
  } catch {
    return null; // not Linux, or the process has exited
  }
}

const running = new Set<ChildProcess>();
// However the bench ends (error, broken pipe), it must not leave a service behind.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** `ctibridge serve` in its own process, so its memory is its own and measurable from /proc. */
export async function spawnService(settings: ServiceSettings): Promise<ServiceProcess> {
  // The heap cap `npm start` uses: V8 otherwise lets garbage pile up toward its multi-GB default limit.
  const args = ['--max-old-space-size=256', '--import', 'tsx', path.join(ROOT, 'src/cli.ts'), 'serve', '--port', '0', ...(settings.naive ? ['--naive'] : [])];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    CTIBRIDGE_DATA_DIR: settings.dataDir,
    CTIBRIDGE_ADMIN_TOKEN: ADMIN_TOKEN,
    CTIBRIDGE_INGEST_TOKEN: INGEST_TOKEN,
    CTIBRIDGE_MASTER_KEY: Buffer.alloc(32, 11).toString('base64'),
    CTIBRIDGE_DEFAULT_REGION: 'IT',
    CTIBRIDGE_BATCH_WINDOW_MS: String(settings.batchWindowMs),
  };
  if (settings.databaseUrl) env.DATABASE_URL = settings.databaseUrl;
  else delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    // Keep the tail only: a long run must not grow the bench's own memory.
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not start within 60 s:\n${output}`)), 60_000);
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(match[1]);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited with code ${code} before listening:\n${output}`));
    });
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    peakRssMb: () => statusField(pid, 'VmHWM'),
    rssMb: () => statusField(pid, 'VmRSS'),
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(forced);
    },
  };
}

export interface Stats {
  events: number;
  jobs: { pending: number; leased: number; done: number; dead: number };
}

/** The admin API as the bench uses it. */
export class AdminClient {
  constructor(readonly url: string) {}

  async call<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route}: HTTP ${response.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  stats(): Promise<Stats> {
    return this.call<Stats>('GET', '/api/stats');
  }
}

/** Jobs not finished yet: the queue between ingest and Salesforce. */
export function waitingJobs(stats: Stats): number {
  return stats.jobs.pending + stats.jobs.leased;
}
