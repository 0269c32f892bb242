import { readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';

export interface SendSummary {
  events: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  failedRequests: number;
  errors: Array<{ index: number; field?: string; message: string }>;
}

/** JSON (one event or an array) or NDJSON (one event per line), as people export them. */
export function readEventsFile(text: string): unknown[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as unknown[];
  try {
    return [JSON.parse(trimmed)];
  } catch {
    return trimmed
      .split(/\r?\n/)
      .map((line, index) => ({ line: line.trim(), index }))
      .filter(({ line }) => line)
      .map(({ line, index }) => {
        try {
          return JSON.parse(line);
        } catch (error) {
          throw new Error(`line ${index + 1} is not valid JSON: ${(error as Error).message}`);
        }
      });
  }
}

function progressBar(done: number, total: number, width = 30): string {
  const filled = total ? Math.round((done / total) * width) : width;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

export async function sendEventsFile(options: { file: string; url: string; token: string; batchSize: number; progress?: Writable & { isTTY?: boolean } }): Promise<SendSummary> {
  const events = readEventsFile(readFileSync(options.file, 'utf8'));
  const summary: SendSummary = { events: events.length, accepted: 0, duplicates: 0, rejected: 0, failedRequests: 0, errors: [] };
  const batchSize = Math.min(500, Math.max(1, options.batchSize));
  const endpoint = new URL('/ingest/events', options.url).toString();
  const out = options.progress;
  let lastLine = 0;
  for (let start = 0; start < events.length; start += batchSize) {
    const batch = events.slice(start, start + batchSize);
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body: JSON.stringify(batch),
    });
    const body = (await response.json().catch(() => ({}))) as { accepted?: number; duplicates?: number; rejected?: Array<{ index: number; errors: Array<{ field: string; message: string }> }>; message?: string };
    if (response.status === 202 || response.status === 400) {
      summary.accepted += body.accepted ?? 0;
      summary.duplicates += body.duplicates ?? 0;
      for (const rejected of body.rejected ?? []) {
        summary.rejected += 1;
        for (const error of rejected.errors) summary.errors.push({ index: start + rejected.index, field: error.field, message: error.message });
      }
    } else {
      summary.failedRequests += 1;
      summary.errors.push({ index: start, message: `HTTP ${response.status}: ${body.message ?? response.statusText}` });
    }
    const done = Math.min(start + batchSize, events.length);
    if (out?.isTTY) out.write(`\r${progressBar(done, events.length)}`);
    else if (out && (Date.now() - lastLine > 1000 || done === events.length)) {
      out.write(`${progressBar(done, events.length)}\n`);
      lastLine = Date.now();
    }
  }
  if (out?.isTTY) out.write('\n');
  return summary;
}
