import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process, served at /metrics. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'ctibridge_process_' });

export const eventsIngested = new Counter({
  name: 'ctibridge_events_ingested_total',
  help: 'Interaction events accepted and committed, by source',
  labelNames: ['source'] as const,
  registers: [registry],
});

export const eventsDuplicate = new Counter({
  name: 'ctibridge_events_duplicate_total',
  help: 'Interaction events acknowledged as repeats of a stored event',
  labelNames: ['source'] as const,
  registers: [registry],
});

export const eventsRejected = new Counter({
  name: 'ctibridge_events_rejected_total',
  help: 'Interaction events rejected as invalid',
  labelNames: ['source'] as const,
  registers: [registry],
});

export const jobsFinished = new Counter({
  name: 'ctibridge_jobs_finished_total',
  help: 'Job attempts by outcome (done, retry, dead, paused) and action kind',
  labelNames: ['outcome', 'kind'] as const,
  registers: [registry],
});

export const salesforceRequests = new Counter({
  name: 'ctibridge_salesforce_batches_total',
  help: 'Batches sent to Salesforce by account and bucket kind (lookup, create, update, upsert)',
  labelNames: ['account', 'kind'] as const,
  registers: [registry],
});

export const batchSize = new Histogram({
  name: 'ctibridge_batch_records',
  help: 'Records per batch sent to Salesforce',
  buckets: [1, 2, 5, 10, 25, 50, 100, 200],
  registers: [registry],
});

export const apiUsage = new Gauge({
  name: 'ctibridge_salesforce_api_usage_ratio',
  help: "Share of the org's daily API limit used (from Sforce-Limit-Info)",
  labelNames: ['account'] as const,
  registers: [registry],
});

export const accountPaused = new Gauge({
  name: 'ctibridge_account_paused',
  help: '1 while an account is paused (quota guard, authentication failure)',
  labelNames: ['account'] as const,
  registers: [registry],
});

export const backlogJobs = new Gauge({
  name: 'ctibridge_jobs',
  help: 'Jobs by state',
  labelNames: ['state'] as const,
  registers: [registry],
});
