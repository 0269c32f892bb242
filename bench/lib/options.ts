import { parseArgs } from 'node:util';

/** What `npm run bench -- …` was asked to do. Pure: parsed from argv, checked, with defaults filled in. */
export interface BenchOptions {
  interactions: number;
  /** Interactions started per second during the replay. */
  rate: number;
  /** Added latency of every emulated Salesforce request. */
  latencyMs: number;
  /** Interactions in the naive pass; fewer than the batched pass because one-call-per-job is slow. */
  naiveInteractions: number;
  /** Run only the naive pass (with `interactions` interactions). */
  naiveOnly: boolean;
  /** Skip the naive pass. */
  skipNaive: boolean;
  /** Events queued during the outage scenario; 0 = scenario off. */
  backlog: number;
  /** Events posted in the ingest throughput phase; 0 = phase off. */
  ingestEvents: number;
  ingestClients: number;
  db: 'sqlite' | 'postgres';
  instances: number;
  batchWindowMs: number;
  seed: number;
  resultsDir: string;
}

export class OptionError extends Error {}

const USAGE = `npm run bench -- [options]
  --interactions N      interactions replayed in the batched pass (default 2000)
  --rate R              interactions started per second (default 50)
  --latency MS          added latency of every emulated Salesforce request (default 120)
  --naive               only the naive pass (batching and caches off), with --interactions interactions
  --naive-interactions N  interactions in the naive pass of a default run (default min(300, N))
  --no-naive            skip the naive pass
  --backlog N           outage scenario: queue N events while Salesforce is down, then drain (off by default)
  --ingest-events N     events in the ingest throughput phase (default 30000; 0 = off)
  --ingest-clients N    concurrent clients in that phase (default 4)
  --db sqlite|postgres  store (default sqlite; postgres uses postgres://postgres@127.0.0.1:5432/test, own schema)
  --instances K         service processes sharing one PostgreSQL store (default 1)
  --batch-window MS     CTIBRIDGE_BATCH_WINDOW_MS of the service (default 2000)
  --seed N              random seed of the generated day (default 1)
  --results DIR         where latest.json and the chart go (default bench/results)`;

function positiveInt(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new OptionError(`--${name}: expected a whole number ≥ ${min}, got "${raw}"`);
  return value;
}

export function parseBenchOptions(argv: string[]): BenchOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        interactions: { type: 'string' },
        rate: { type: 'string' },
        latency: { type: 'string' },
        naive: { type: 'boolean' },
        'naive-interactions': { type: 'string' },
        'no-naive': { type: 'boolean' },
        backlog: { type: 'string' },
        'ingest-events': { type: 'string' },
        'ingest-clients': { type: 'string' },
        db: { type: 'string' },
        instances: { type: 'string' },
        'batch-window': { type: 'string' },
        seed: { type: 'string' },
        results: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new OptionError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const db = v.db ?? 'sqlite';
  if (db !== 'sqlite' && db !== 'postgres') throw new OptionError(`--db: expected sqlite or postgres, got "${db}"`);
  const instances = positiveInt('instances', v.instances, 1);
  if (instances > 1 && db !== 'postgres') throw new OptionError('--instances: several service processes need a shared store; add --db postgres');
  const rate = Number(v.rate ?? 50);
  if (!(rate > 0 && rate <= 5000)) throw new OptionError(`--rate: expected a number of interactions per second in (0, 5000], got "${v.rate}"`);
  if (v.naive && v['no-naive']) throw new OptionError('--naive and --no-naive exclude each other');
  const interactions = positiveInt('interactions', v.interactions, 2000);
  return {
    interactions,
    rate,
    latencyMs: positiveInt('latency', v.latency, 120, 0),
    naiveInteractions: positiveInt('naive-interactions', v['naive-interactions'], Math.min(300, interactions)),
    naiveOnly: Boolean(v.naive),
    skipNaive: Boolean(v['no-naive']),
    backlog: positiveInt('backlog', v.backlog, 0, 0),
    ingestEvents: positiveInt('ingest-events', v['ingest-events'], 30_000, 0),
    ingestClients: positiveInt('ingest-clients', v['ingest-clients'], 4),
    db,
    instances,
    batchWindowMs: positiveInt('batch-window', v['batch-window'], 2000, 0),
    seed: positiveInt('seed', v.seed, 1, 0),
    resultsDir: v.results ?? 'bench/results',
  };
}

export { USAGE };
