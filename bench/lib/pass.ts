import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster } from './cluster.ts';
import { postEvents, postInBulk, type PostOutcome } from './ingest.ts';
import { percentile, perSecond, round } from './stats.ts';
import { describeMix, endedCalls, generateDay, ringingEvents, type PlannedEvent } from './workload.ts';

export interface PassSettings {
  label: 'batched' | 'naive';
  naive: boolean;
  interactions: number;
  rate: number;
  latencyMs: number;
  batchWindowMs: number;
  seed: number;
  db: 'sqlite' | 'postgres';
  instances: number;
  /** Events for the ingest throughput phase; 0 skips it. */
  ingestEvents: number;
  ingestClients: number;
  measureLoneEvent: boolean;
}

export interface Sample {
  t: number;
  sent: number;
  records: number;
  waitingJobs: number;
  rssMb: number | null;
}

export interface IngestResult {
  events: number;
  batchSize: number;
  clients: number;
  eventsPerSec: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface PassResult {
  label: string;
  naive: boolean;
  interactions: number;
  events: number;
  mix: Record<string, number>;
  apiCalls: number;
  apiCallsPerInteraction: number | null;
  callsByKind: Record<string, number>;
  expected: { tasks: number; cases: number };
  created: { tasks: number; cases: number };
  lost: number;
  duplicated: number;
  drained: boolean;
  replaySec: number;
  /** From the last event posted until every expected record existed and no job waited. */
  drainAfterLastEventSec: number;
  e2e: { p50Ms: number | null; p90Ms: number | null; p99Ms: number | null; maxMs: number | null };
  /** Single-event webhook posts during the replay, as a PBX sends them. */
  replayPost: { p50Ms: number | null; p99Ms: number | null };
  /** Event-loop delay of the bench process itself (it also hosts the emulator): a high value inflates client-side timings. */
  benchLoopDelayP99Ms: number;
  loneEventMs: number | null;
  ingest: IngestResult | null;
  peakRssMb: number | null;
  serviceLogLines: number;
  samples: Sample[];
  recordsPerSecond: Array<[number, number]>;
}

const TAG = `b${Date.now().toString(36)}`;

function progressLine(label: string, s: Sample, total: number): string {
  return `[${label}] ${String(s.t).padStart(4)}s  sent ${s.sent}/${total} interactions  records ${s.records}  waiting ${s.waitingJobs} jobs  rss ${s.rssMb ?? '?'} MB`;
}

/** One sample a second until stopped: what was sent, what exists in Salesforce, what waits in the store. */
function startSampler(cluster: Cluster, label: string, total: number, startMs: number, sent: () => number, records: () => number): { samples: Sample[]; stop: () => Promise<void> } {
  const samples: Sample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const waiting = await cluster.waitingJobs().catch(() => -1);
      const sample = { t: Math.round((Date.now() - startMs) / 1000), sent: sent(), records: records(), waitingJobs: waiting, rssMb: cluster.rssMb() };
      samples.push(sample);
      process.stdout.write(`${progressLine(label, sample, total)}\n`);
      await sleep(1000 - ((Date.now() - startMs) % 1000));
    }
  })();
  return { samples, stop: async () => { running = false; await loop; } };
}

async function waitUntil(probe: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(everyMs);
  }
  return false;
}

/** The interactions of a generated day posted at their scheduled times, each event as its own webhook call. */
async function replay(cluster: Cluster, schedule: PlannedEvent[], onPosted: (planned: PlannedEvent, outcome: PostOutcome) => void): Promise<void> {
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  let next = 0;
  let failure: unknown = null;
  while (next < schedule.length && !failure) {
    const elapsed = performance.now() - started;
    while (next < schedule.length && schedule[next].atMs <= elapsed) {
      const planned = schedule[next];
      const url = cluster.urls[next % cluster.urls.length];
      next += 1;
      const request = postEvents(url, JSON.stringify(planned.event))
        .then((outcome) => onPosted(planned, outcome))
        .catch((error) => { failure = error; })
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    if (next < schedule.length) await sleep(Math.min(20, Math.max(1, schedule[next].atMs - (performance.now() - started))));
  }
  await Promise.all(inFlight);
  if (failure) throw failure;
}

export async function runPass(settings: PassSettings): Promise<PassResult> {
  const { label } = settings;
  const cluster = await Cluster.start({ label, naive: settings.naive, latencyMs: settings.latencyMs, batchWindowMs: settings.batchWindowMs, db: settings.db, instances: settings.instances });
  try {
    process.stdout.write(`[${label}] service pid ${cluster.services.map((s) => s.pid).join(', ')} on ${cluster.store.describe}; emulator ${cluster.org.url} with ${settings.latencyMs} ms latency\n`);
    const day = generateDay({ interactions: settings.interactions, rate: settings.rate, seed: settings.seed, tag: `${TAG}-${label}` });
    const schedule = day.flatMap((i) => i.events).sort((a, b) => a.atMs - b.atMs);
    const expected = { tasks: day.length, cases: day.filter((i) => i.expectsCase).length };
    const callsBefore = cluster.org.apiCalls();
    const kindsBefore = cluster.org.callsByKind();

    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const startMs = Date.now();
    const startedInteractions = new Set<string>();
    const finalAck = new Map<string, number>();
    const postMs: number[] = [];
    const sampler = startSampler(cluster, label, day.length, startMs, () => startedInteractions.size, () => cluster.org.count('Task') + cluster.org.count('Case'));

    await replay(cluster, schedule, (planned, outcome) => {
      startedInteractions.add(planned.event.interaction.id);
      postMs.push(outcome.ms);
      if (planned.final) finalAck.set(planned.event.interaction.id, outcome.ackAt);
    });
    const lastPostMs = Date.now();
    const drainTimeoutMs = 120_000 + settings.interactions * (settings.naive ? 200 : 20);
    const drained = await waitUntil(
      async () => cluster.org.count('Task') >= expected.tasks && cluster.org.count('Case') >= expected.cases && (await cluster.waitingJobs()) === 0,
      drainTimeoutMs,
    );
    const drainedAt = Date.now();
    loopDelay.disable();
    await sampler.stop();
    if (!drained) process.stdout.write(`[${label}] not drained after ${drainTimeoutMs / 1000} s: reporting what arrived\n`);

    const log = cluster.saveLog(label);
    if (log.lines > 0) process.stdout.write(`[${label}] the service logged ${log.lines} warnings/errors: ${log.path}\n`);
    const apiCalls = cluster.org.apiCalls() - callsBefore;
    const kindsAfter = cluster.org.callsByKind();
    const callsByKind = Object.fromEntries(Object.entries(kindsAfter).map(([k, v]) => [k, v - (kindsBefore[k] ?? 0)]).filter(([, v]) => Number(v) > 0));
    const tasks = cluster.org.records('Task');
    const cases = cluster.org.records('Case');
    const tasksByInteraction = new Map<string, number[]>();
    for (const task of tasks) {
      if (!task.callObject) continue;
      const list = tasksByInteraction.get(task.callObject) ?? [];
      list.push(task.createdMs);
      tasksByInteraction.set(task.callObject, list);
    }
    const e2eMs: number[] = [];
    let lost = 0;
    let duplicated = 0;
    for (const interaction of day) {
      const created = tasksByInteraction.get(interaction.id);
      if (!created) {
        lost += 1;
        continue;
      }
      duplicated += created.length - 1;
      const ack = finalAck.get(interaction.id);
      if (ack !== undefined) e2eMs.push(Math.min(...created) - ack);
    }
    const recordsPerSecond = perSecond([...tasks, ...cases].map((r) => r.createdMs), startMs);

    let loneEventMs: number | null = null;
    if (settings.measureLoneEvent && drained) loneEventMs = await measureLoneEvent(cluster, settings.batchWindowMs, label);

    let ingest: IngestResult | null = null;
    if (settings.ingestEvents > 0) ingest = await measureIngest(cluster, settings, label);

    return {
      label,
      naive: settings.naive,
      interactions: day.length,
      events: schedule.length,
      mix: describeMix(day),
      apiCalls,
      apiCallsPerInteraction: round(apiCalls / day.length, 4),
      callsByKind,
      expected,
      created: { tasks: tasks.length, cases: cases.length },
      lost,
      duplicated,
      drained,
      replaySec: round((lastPostMs - startMs) / 1000, 1)!,
      drainAfterLastEventSec: round((drainedAt - lastPostMs) / 1000, 1)!,
      e2e: { p50Ms: percentile(e2eMs, 50), p90Ms: percentile(e2eMs, 90), p99Ms: percentile(e2eMs, 99), maxMs: percentile(e2eMs, 100) },
      replayPost: { p50Ms: round(percentile(postMs, 50), 1), p99Ms: round(percentile(postMs, 99), 1) },
      benchLoopDelayP99Ms: round(loopDelay.percentile(99) / 1e6, 1)!,
      loneEventMs,
      ingest,
      peakRssMb: cluster.peakRssMb(),
      serviceLogLines: log.lines,
      samples: sampler.samples,
      recordsPerSecond,
    };
  } finally {
    await cluster.stop();
  }
}

/** On an idle system (load drained, longer than a batch window since): one call, timed until its Task exists. */
async function measureLoneEvent(cluster: Cluster, batchWindowMs: number, label: string): Promise<number | null> {
  await sleep(batchWindowMs + 1000);
  const [event] = endedCalls(`${TAG}-${label}-lone`, 1, 7);
  const outcome = await postEvents(cluster.urls[0], JSON.stringify(event));
  let createdMs: number | null = null;
  await waitUntil(() => {
    createdMs = cluster.org.records('Task').find((t) => t.callObject === event.interaction.id)?.createdMs ?? null;
    return createdMs !== null;
  }, 30_000, 5);
  const ms = createdMs === null ? null : createdMs - outcome.ackAt;
  process.stdout.write(`[${label}] lone event on an idle system: Task created ${ms ?? 'never (30 s)'} ms after the 202\n`);
  return ms;
}

/** Ingest alone: events no trigger matches (voice.ringing), in batches of 500 from several clients. */
async function measureIngest(cluster: Cluster, settings: PassSettings, label: string): Promise<IngestResult> {
  const batchSize = 500;
  const events = ringingEvents(`${TAG}-${label}`, settings.ingestEvents, settings.seed + 1);
  process.stdout.write(`[${label}] ingest throughput: ${events.length} voice.ringing events (no trigger matches them), batches of ${batchSize}, ${settings.ingestClients} clients\n`);
  const result = await postInBulk(cluster.urls, events, batchSize, settings.ingestClients);
  const eventsPerSec = Math.round(result.accepted / (result.wallMs / 1000));
  process.stdout.write(`[${label}] ingest throughput: ${result.accepted} events in ${(result.wallMs / 1000).toFixed(2)} s = ${eventsPerSec} events/s\n`);
  return {
    events: result.accepted,
    batchSize,
    clients: settings.ingestClients,
    eventsPerSec,
    p50Ms: round(percentile(result.requestMs, 50), 1),
    p99Ms: round(percentile(result.requestMs, 99), 1),
  };
}
