import { INGEST_TOKEN } from './service.ts';
import type { BenchEvent } from './workload.ts';

export interface PostOutcome {
  status: number;
  /** Request latency as the sender sees it. */
  ms: number;
  /** Wall-clock time the 202 came back: the event is durable from here on. */
  ackAt: number;
  accepted: number;
  duplicates: number;
}

export async function postEvents(serviceUrl: string, body: string): Promise<PostOutcome> {
  const started = performance.now();
  const response = await fetch(`${serviceUrl}/ingest/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  const ms = performance.now() - started;
  const ackAt = Date.now();
  if (response.status !== 202) throw new Error(`POST /ingest/events: HTTP ${response.status} ${text.slice(0, 300)}`);
  const parsed = JSON.parse(text) as { accepted: number; duplicates: number };
  return { status: response.status, ms, ackAt, accepted: parsed.accepted, duplicates: parsed.duplicates };
}

export interface BulkResult {
  events: number;
  accepted: number;
  wallMs: number;
  requestMs: number[];
}

/**
 * Posts pre-serialised batches from `clients` concurrent senders, spreading them over the service URLs.
 * Bodies are serialised before the clock starts so the figure is the service's, not the sender's.
 */
export async function postInBulk(serviceUrls: string[], events: BenchEvent[], batchSize: number, clients: number, onBatch?: (accepted: number) => void): Promise<BulkResult> {
  const bodies: string[] = [];
  for (let i = 0; i < events.length; i += batchSize) bodies.push(JSON.stringify(events.slice(i, i + batchSize)));
  let next = 0;
  let accepted = 0;
  const requestMs: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (;;) {
        const index = next++;
        if (index >= bodies.length) return;
        const outcome = await postEvents(serviceUrls[(client + index) % serviceUrls.length], bodies[index]);
        requestMs.push(outcome.ms);
        accepted += outcome.accepted;
        onBatch?.(outcome.accepted);
      }
    }),
  );
  return { events: events.length, accepted, wallMs: performance.now() - started, requestMs };
}
