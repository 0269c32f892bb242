import os from 'node:os';
import type { BacklogResult } from './backlog.ts';
import type { Panel } from './chart.ts';
import type { BenchOptions } from './options.ts';
import type { PassResult } from './pass.ts';
import { movingAverage, round } from './stats.ts';

/** Pure: turns pass results into latest.json, the console summary and the chart's panels. */

export interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean | null;
}

export interface BenchSummary {
  generatedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string };
  settings: Omit<BenchOptions, 'resultsDir'>;
  interactions: number;
  rate: number;
  latencyMs: number;
  apiCalls: number | null;
  apiCallsPerInteraction: number | null;
  naiveInteractions: number | null;
  naiveApiCalls: number | null;
  naiveApiCallsPerInteraction: number | null;
  /** naive calls per interaction ÷ batched calls per interaction. */
  naiveToBatchedRatio: number | null;
  ingestEventsPerSec: number | null;
  ingestP50Ms: number | null;
  ingestP99Ms: number | null;
  e2eP50Ms: number | null;
  e2eP99Ms: number | null;
  loneEventMs: number | null;
  peakRssMb: number | null;
  backlog: { events: number; drainSec: number | null; peakRssMb: number | null; lost: number; duplicated: number } | null;
  targets: Target[];
  passes: { batched: Omit<PassResult, 'samples' | 'recordsPerSecond'> | null; naive: Omit<PassResult, 'samples' | 'recordsPerSecond'> | null };
  backlogDetail: Omit<BacklogResult, 'samples'> | null;
  /** The time series behind the chart, so it can be redrawn or compared later. */
  series: {
    batched: Pick<PassResult, 'samples' | 'recordsPerSecond'> | null;
    naive: Pick<PassResult, 'samples' | 'recordsPerSecond'> | null;
    backlog: BacklogResult['samples'] | null;
  };
}

function withoutSeries(pass: PassResult | null): Omit<PassResult, 'samples' | 'recordsPerSecond'> | null {
  if (!pass) return null;
  const { samples: _samples, recordsPerSecond: _records, ...rest } = pass;
  return rest;
}

function check(what: string, target: string, value: number | null, ok: (v: number) => boolean, unit: string): Target {
  return { what, target, measured: value === null ? 'not measured' : `${value}${unit}`, met: value === null ? null : ok(value) };
}

export function summarize(options: BenchOptions, batched: PassResult | null, naive: PassResult | null, backlog: BacklogResult | null): BenchSummary {
  const main = batched ?? naive!;
  const ratio = batched?.apiCallsPerInteraction && naive?.apiCallsPerInteraction ? round(naive.apiCallsPerInteraction / batched.apiCallsPerInteraction, 1) : null;
  const ingest = batched?.ingest ?? naive?.ingest ?? null;
  const { resultsDir: _dir, ...settings } = options;
  const targets: Target[] = [
    check('API calls per interaction at the sustained rate', '≤ 0.05', batched?.apiCallsPerInteraction ?? null, (v) => v <= 0.05, ''),
    check('fewer calls than --naive in the same run', '≥ 40×', ratio, (v) => v >= 40, '×'),
    check('p99 end to end', '≤ 5000 ms', batched?.e2e.p99Ms ?? null, (v) => v <= 5000, ' ms'),
    check('lone event on an idle system', `≤ ${3 * options.latencyMs} ms (3 × latency)`, batched?.loneEventMs ?? null, (v) => v <= 3 * options.latencyMs, ' ms'),
    check('ingest with durable commits', '≥ 3000 events/s', ingest?.eventsPerSec ?? null, (v) => v >= 3000, ' events/s'),
    check('service RSS with the backlog queued', '< 300 MB', backlog?.peakRssMb ?? null, (v) => v < 300, ' MB'),
    check('records lost or duplicated after the drain', '0', backlog ? backlog.lost + backlog.duplicated : null, (v) => v === 0, ''),
  ];
  return {
    generatedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}` },
    settings,
    interactions: main.interactions,
    rate: options.rate,
    latencyMs: options.latencyMs,
    apiCalls: batched?.apiCalls ?? null,
    apiCallsPerInteraction: batched?.apiCallsPerInteraction ?? null,
    naiveInteractions: naive?.interactions ?? null,
    naiveApiCalls: naive?.apiCalls ?? null,
    naiveApiCallsPerInteraction: naive?.apiCallsPerInteraction ?? null,
    naiveToBatchedRatio: ratio,
    ingestEventsPerSec: ingest?.eventsPerSec ?? null,
    ingestP50Ms: ingest?.p50Ms ?? null,
    ingestP99Ms: ingest?.p99Ms ?? null,
    e2eP50Ms: main.e2e.p50Ms,
    e2eP99Ms: main.e2e.p99Ms,
    loneEventMs: main.loneEventMs,
    peakRssMb: main.peakRssMb,
    backlog: backlog ? { events: backlog.events, drainSec: backlog.drainSec, peakRssMb: backlog.peakRssMb, lost: backlog.lost, duplicated: backlog.duplicated } : null,
    targets,
    passes: { batched: withoutSeries(batched), naive: withoutSeries(naive) },
    backlogDetail: backlog ? (({ samples: _s, ...rest }) => rest)(backlog) : null,
    series: {
      batched: batched ? { samples: batched.samples, recordsPerSecond: batched.recordsPerSecond } : null,
      naive: naive ? { samples: naive.samples, recordsPerSecond: naive.recordsPerSecond } : null,
      backlog: backlog?.samples ?? null,
    },
  };
}

const fmt = (value: number | null | undefined, unit = '') => (value === null || value === undefined ? '—' : `${value}${unit}`);

function passLines(pass: PassResult): string[] {
  return [
    `${pass.label} pass${pass.naive ? ' (service --naive: one request per job, no caches)' : ''}: ${pass.interactions} interactions, ${pass.events} events`,
    `  API calls             ${pass.apiCalls}  = ${fmt(pass.apiCallsPerInteraction)} per interaction   (${Object.entries(pass.callsByKind).map(([k, v]) => `${k} ${v}`).join(', ')})`,
    `  records               ${pass.created.tasks}/${pass.expected.tasks} Tasks, ${pass.created.cases}/${pass.expected.cases} Cases; lost ${pass.lost}, duplicated ${pass.duplicated}${pass.drained ? '' : '  NOT DRAINED'}`,
    `  end to end            p50 ${fmt(pass.e2e.p50Ms, ' ms')}, p90 ${fmt(pass.e2e.p90Ms, ' ms')}, p99 ${fmt(pass.e2e.p99Ms, ' ms')}, max ${fmt(pass.e2e.maxMs, ' ms')} (202 of the final event → Task.CreatedDate)`,
    `  replay                ${pass.replaySec} s of posting, drained ${pass.drainAfterLastEventSec} s after the last event; webhook POST p50 ${fmt(pass.replayPost.p50Ms, ' ms')}, p99 ${fmt(pass.replayPost.p99Ms, ' ms')} (bench event-loop delay p99 ${pass.benchLoopDelayP99Ms} ms)`,
    ...(pass.loneEventMs !== null ? [`  lone event            ${pass.loneEventMs} ms from 202 to Task on an idle system`] : []),
    ...(pass.ingest ? [`  ingest throughput     ${pass.ingest.eventsPerSec} events/s (${pass.ingest.events} events, batches of ${pass.ingest.batchSize}, ${pass.ingest.clients} clients; request p50 ${fmt(pass.ingest.p50Ms, ' ms')}, p99 ${fmt(pass.ingest.p99Ms, ' ms')})`] : []),
    `  service peak RSS      ${fmt(pass.peakRssMb, ' MB')}`,
  ];
}

export function consoleSummary(summary: BenchSummary, batched: PassResult | null, naive: PassResult | null, backlog: BacklogResult | null): string {
  const lines = ['', `ctibridge benchmark — ${summary.rate} interactions/s, ${summary.latencyMs} ms Salesforce latency, ${summary.settings.db}${summary.settings.instances > 1 ? ` × ${summary.settings.instances} instances` : ''}`, ''];
  if (batched) lines.push(...passLines(batched), '');
  if (naive) lines.push(...passLines(naive), '');
  if (batched && naive) {
    lines.push(`batched vs naive: ${fmt(summary.apiCallsPerInteraction)} vs ${fmt(summary.naiveApiCallsPerInteraction)} API calls per interaction = ${fmt(summary.naiveToBatchedRatio, '×')} fewer`);
    if (naive.interactions !== batched.interactions) lines.push(`  (the naive pass replays the first ${naive.interactions} interactions of the same day: compare per-interaction figures)`);
    lines.push('');
  }
  if (backlog) {
    lines.push(
      `outage: ${backlog.events} events queued in ${backlog.queueSec} s while Salesforce was down`,
      `  RSS ${fmt(backlog.rssBeforeMb, ' MB')} before, ${fmt(backlog.outageRssMb, ' MB')} with the backlog queued, peak ${fmt(backlog.peakRssMb, ' MB')} (VmHWM, drain included)`,
      `  drain ${backlog.drained ? `${backlog.drainSec} s` : 'NOT FINISHED'} after Salesforce returned, ${backlog.apiCalls} API calls (${fmt(backlog.apiCallsPerEvent)} per event: ${Object.entries(backlog.callsByKind).map(([k, v]) => `${k} ${v}`).join(', ')}); lost ${backlog.lost}, duplicated ${backlog.duplicated}`,
      '',
    );
  }
  lines.push('targets:');
  for (const target of summary.targets) {
    const mark = target.met === null ? '·' : target.met ? '✓' : '✗';
    lines.push(`  ${mark} ${target.what.padEnd(46)} ${target.target.padEnd(26)} measured ${target.measured}`);
  }
  return `${lines.join('\n')}\n`;
}

const COLORS = { batched: '#1f77b4', naive: '#d95f02', sent: '#7f7f7f', rss: '#2ca02c' };

export function chartPanels(batched: PassResult | null, naive: PassResult | null, backlog: BacklogResult | null, batchWindowMs: number): Panel[] {
  const smoothing = Math.max(2, 2 * Math.ceil(batchWindowMs / 1000));
  const passes = [batched, naive].filter((p): p is PassResult => p !== null);
  const panels: Panel[] = [];
  if (passes.length) {
    panels.push({
      title: `Throughput: Salesforce records created per second (Tasks + Cases), ${smoothing} s trailing average`,
      xLabel: 'seconds since the replay started',
      yLabel: 'records / s',
      series: passes.flatMap((pass) => {
        const sent = pass.samples.map((s, i): [number, number] => [s.t, i === 0 ? s.sent : s.sent - pass.samples[i - 1].sent]);
        return [
          { label: `${pass.label}: records created/s`, color: COLORS[pass.label as 'batched' | 'naive'], points: movingAverage(pass.recordsPerSecond, smoothing) },
          { label: `${pass.label}: interactions started/s`, color: COLORS[pass.label as 'batched' | 'naive'], points: movingAverage(sent, smoothing), dashed: true },
        ];
      }),
    });
    panels.push({
      title: 'Backlog: jobs waiting in the store (pending + leased)',
      xLabel: 'seconds since the replay started',
      yLabel: 'jobs',
      series: passes.map((pass) => ({
        label: `${pass.label} (${pass.interactions} interactions)`,
        color: COLORS[pass.label as 'batched' | 'naive'],
        points: pass.samples.filter((s) => s.waitingJobs >= 0).map((s): [number, number] => [s.t, s.waitingJobs]),
      })),
    });
  }
  if (backlog) {
    const markers = [{ x: backlog.outageSec, label: 'Salesforce back' }];
    panels.push({
      markers,
      title: `Outage: ${backlog.events} events queued while Salesforce is down, then drained`,
      xLabel: 'seconds since the outage began',
      yLabel: 'jobs / Tasks',
      series: [
        { label: 'jobs waiting', color: COLORS.naive, points: backlog.samples.filter((s) => s.waitingJobs >= 0).map((s): [number, number] => [s.t, s.waitingJobs]) },
        { label: 'Tasks created (cumulative)', color: COLORS.batched, points: backlog.samples.map((s): [number, number] => [s.t, s.tasks]) },
      ],
    });
    panels.push({
      title: 'Outage: service resident memory',
      xLabel: 'seconds since the outage began',
      yLabel: 'RSS (MB)',
      markers,
      series: [{ label: 'service RSS', color: COLORS.rss, points: backlog.samples.filter((s) => s.rssMb !== null).map((s): [number, number] => [s.t, s.rssMb!]) }],
    });
  }
  return panels;
}
