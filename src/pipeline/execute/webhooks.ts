import { createHmac } from 'node:crypto';
import type { JobResult, WebhookItem } from '../work-item.ts';

const TIMEOUT_MS = 10_000;

/**
 * POST one webhook. The delivery id (the job key) lets the receiver drop a repeat: a timeout leaves us unsure
 * whether it arrived, so we send again rather than lose it.
 */
export async function executeWebhook(item: WebhookItem): Promise<JobResult> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'ctibridge',
    'x-ctibridge-delivery': item.job.key,
  };
  if (item.secret) headers['x-ctibridge-signature'] = `sha256=${createHmac('sha256', item.secret).update(item.body).digest('hex')}`;
  try {
    const response = await fetch(item.url, { method: 'POST', headers, body: item.body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { jobId: item.job.id, ok: true, result: { status: response.status } };
    const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
    return {
      jobId: item.job.id,
      ok: false,
      failure: {
        kind: retryable ? 'retryable' : 'permanent',
        errorCode: `HTTP_${response.status}`,
        message: `${new URL(item.url).origin} answered ${response.status} ${response.statusText}`,
      },
    };
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    return { jobId: item.job.id, ok: false, failure: { kind: 'retryable', errorCode: 'WEBHOOK_UNREACHABLE', message: `${new URL(item.url).origin}: ${reason}` } };
  }
}
