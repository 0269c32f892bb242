/**
 * `npm run bench`: replays a generated contact-center day through the real service (child process, its own
 * store) into the emulated org with realistic latency, and measures API frugality, latency, ingest throughput
 * and memory. A benchmark, not a test: it prints figures and writes them to bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runBacklog, type BacklogResult } from './lib/backlog.ts';
import { renderChart } from './lib/chart.ts';
import { OptionError, parseBenchOptions, USAGE, type BenchOptions } from './lib/options.ts';
import { runPass, type PassResult } from './lib/pass.ts';
import { chartPanels, consoleSummary, summarize } from './lib/report.ts';

async function main(options: BenchOptions): Promise<void> {
  const started = Date.now();
  const common = { rate: options.rate, latencyMs: options.latencyMs, batchWindowMs: options.batchWindowMs, seed: options.seed, db: options.db, instances: options.instances, ingestClients: options.ingestClients };
  let batched: PassResult | null = null;
  let naive: PassResult | null = null;
  let backlog: BacklogResult | null = null;

  if (!options.naiveOnly) {
    batched = await runPass({ ...common, label: 'batched', naive: false, interactions: options.interactions, ingestEvents: options.ingestEvents, measureLoneEvent: true });
  }
  if (options.naiveOnly || !options.skipNaive) {
    const interactions = options.naiveOnly ? options.interactions : options.naiveInteractions;
    if (!options.naiveOnly && interactions < options.interactions) {
      process.stdout.write(`\n[naive] replaying the first ${interactions} interactions of the same day (one request per job is slow); compare per-interaction figures\n`);
    }
    naive = await runPass({ ...common, label: 'naive', naive: true, interactions, ingestEvents: 0, measureLoneEvent: options.naiveOnly });
  }
  if (options.backlog > 0) {
    backlog = await runBacklog({ events: options.backlog, latencyMs: options.latencyMs, batchWindowMs: options.batchWindowMs, db: options.db, instances: options.instances, ingestClients: options.ingestClients, seed: options.seed });
  }

  const summary = summarize(options, batched, naive, backlog);
  process.stdout.write(consoleSummary(summary, batched, naive, backlog));

  mkdirSync(options.resultsDir, { recursive: true });
  const jsonPath = path.join(options.resultsDir, 'latest.json');
  const svgPath = path.join(options.resultsDir, 'latest.svg');
  writeFileSync(jsonPath, `${JSON.stringify(summary, null, 2)}\n`);
  const subtitle = `${summary.machine.cpus} CPUs, Node ${summary.machine.node}, ${options.db}${options.instances > 1 ? ` × ${options.instances}` : ''}; ${options.rate} interactions/s; Salesforce latency ${options.latencyMs} ms; batch window ${options.batchWindowMs} ms; ${summary.generatedAt.slice(0, 19)}Z`;
  writeFileSync(svgPath, renderChart('ctibridge benchmark: throughput and backlog', subtitle, chartPanels(batched, naive, backlog, options.batchWindowMs)));
  process.stdout.write(`\nwrote ${jsonPath} and ${svgPath} (${((Date.now() - started) / 1000).toFixed(0)} s in all)\n`);
}

let options: BenchOptions | 'help';
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof OptionError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
if (options === 'help') {
  process.stdout.write(`${USAGE}\n`);
} else {
  main(options).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
