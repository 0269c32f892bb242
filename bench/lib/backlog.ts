import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster } from './cluster.ts';
import { postInBulk } from './ingest.ts';
import { round } from './stats.ts';
import { endedCalls } from './workload.ts';

export interface BacklogSettings {
  events: number;
  latencyMs: number;
  batchWindowMs: number;
  db: 'sqlite' | 'postgres';
  instances: number;
  ingestClients: number;
  seed: number;
}

export interface BacklogSample {
  t: number;
  phase: 'outage' | 'drain';
  tasks: number;
  waitingJobs: number;
  rssMb: number | null;
}

export interface BacklogResult {
  events: number;
  /** Time to post every event while Salesforce was unreachable. */
  queueSec: number;
  /** Seconds from the start of the outage until Salesforce came back. */
  outageSec: number;
  drained: boolean;
  drainSec: number | null;
  /** VmHWM of the service over the whole scenario (outage and drain). */
  peakRssMb: number | null;
  /** Highest RSS sampled while the events piled up. */
  outageRssMb: number | null;
  rssBeforeMb: number | null;
  lost: number;
  duplicated: number;
  apiCalls: number;
  apiCallsPerEvent: number | null;
  callsByKind: Record<string, number>;
  samples: BacklogSample[];
}

/** How long the outage lasts after the last event is queued, so the worker is deep in its backoff when the org returns. */
const OUTAGE_TAIL_MS = 5000;

/**
 * The outage scenario: Salesforce unreachable (connections dropped) while N finished calls arrive; then it comes
 * back and the queue drains. Every event should become exactly one Task.
 */
export async function runBacklog(settings: BacklogSettings): Promise<BacklogResult> {
  const cluster = await Cluster.start({ label: 'backlog', naive: false, latencyMs: settings.latencyMs, batchWindowMs: settings.batchWindowMs, db: settings.db, instances: settings.instances });
  try {
    const events = endedCalls(`b${Date.now().toString(36)}-outage`, settings.events, settings.seed + 2);
    const rssBeforeMb = cluster.rssMb();
    await cluster.org.faults({ down: true });
    process.stdout.write(`[backlog] Salesforce is down; queueing ${events.length} voice.ended events (each should become one Task)\n`);
    const startMs = Date.now();
    const samples: BacklogSample[] = [];
    let phase: BacklogSample['phase'] = 'outage';
    let running = true;
    let posted = 0;
    const sampler = (async () => {
      while (running) {
        const waitingJobs = await cluster.waitingJobs().catch(() => -1);
        const sample: BacklogSample = { t: round((Date.now() - startMs) / 1000, 1)!, phase, tasks: cluster.org.count('Task'), waitingJobs, rssMb: cluster.rssMb() };
        samples.push(sample);
        process.stdout.write(`[backlog] ${String(Math.round(sample.t)).padStart(4)}s  ${phase}  posted ${posted}/${events.length}  tasks ${sample.tasks}  waiting ${waitingJobs} jobs  rss ${sample.rssMb ?? '?'} MB\n`);
        await sleep(1000);
      }
    })();

    await postInBulk(cluster.urls, events, 500, settings.ingestClients, (accepted) => { posted += accepted; });
    const queueSec = round((Date.now() - startMs) / 1000, 1)!;
    await sleep(OUTAGE_TAIL_MS);
    const outageRss = samples.map((s) => s.rssMb).filter((v): v is number => v !== null);
    const callsBefore = cluster.org.apiCalls();
    const kindsBefore = cluster.org.callsByKind();

    await cluster.org.faults({ down: false });
    phase = 'drain';
    const drainStart = Date.now();
    const outageSec = round((drainStart - startMs) / 1000, 1)!;
    const timeoutMs = 10 * 60_000 + settings.events * 20;
    let drained = false;
    while (Date.now() - drainStart < timeoutMs) {
      if (cluster.org.count('Task') >= events.length && (await cluster.waitingJobs()) === 0) {
        drained = true;
        break;
      }
      await sleep(200);
    }
    const drainSec = drained ? round((Date.now() - drainStart) / 1000, 1) : null;
    running = false;
    await sampler;

    const seen = new Map<string, number>();
    for (const task of cluster.org.records('Task')) if (task.callObject) seen.set(task.callObject, (seen.get(task.callObject) ?? 0) + 1);
    let lost = 0;
    let duplicated = 0;
    for (const event of events) {
      const count = seen.get(event.interaction.id) ?? 0;
      if (count === 0) lost += 1;
      else duplicated += count - 1;
    }
    const apiCalls = cluster.org.apiCalls() - callsBefore;
    const callsByKind = Object.fromEntries(Object.entries(cluster.org.callsByKind()).map(([k, v]) => [k, v - (kindsBefore[k] ?? 0)]).filter(([, v]) => Number(v) > 0));
    const log = cluster.saveLog('backlog');
    if (log.lines > 0) process.stdout.write(`[backlog] the service logged ${log.lines} warnings/errors: ${log.path}\n`);
    return {
      events: events.length,
      queueSec,
      outageSec,
      drained,
      drainSec,
      peakRssMb: cluster.peakRssMb(),
      outageRssMb: outageRss.length ? Math.max(...outageRss) : null,
      rssBeforeMb,
      lost,
      duplicated,
      apiCalls,
      apiCallsPerEvent: round(apiCalls / events.length, 4),
      callsByKind,
      samples,
    };
  } finally {
    await cluster.stop();
  }
}
