import { CtiError } from '../errors.ts';

/**
 * Salesforce failures as values, and the one place that decides what kind of failure each one is.
 * The worker reads only `kind` (and `retryAfterMs`); people read `errorCode`, `message` and `fields`.
 */

export type FailureKind = 'retryable' | 'session' | 'quota' | 'permanent';

export interface ClassifiedError {
  kind: FailureKind;
  errorCode: string;
  message: string;
  fields: string[];
  /** HTTP status when it is known (jsforce keeps it only for non-JSON error bodies). */
  status: number | null;
  /** For quota errors: how long to pause the account before Salesforce accepts more. */
  retryAfterMs?: number;
}

/** One error entry as Salesforce writes it: REST uses `errorCode`, sObject Collections use `statusCode`. */
export interface SalesforceErrorEntry {
  errorCode?: string;
  statusCode?: string;
  message?: string;
  fields?: string[];
}

/** A REST call that Salesforce (or the network on the way) refused. */
export class SalesforceError extends CtiError {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly status: number | null = null,
    readonly fields: string[] = [],
    readonly entries: SalesforceErrorEntry[] = [],
  ) {
    super(errorCode, message, { status, fields, ...(entries.length > 1 ? { errors: entries } : {}) });
    this.name = 'SalesforceError';
  }
}

/** The concurrent long-running request limit frees within seconds; the rolling daily limit frees slowly. */
export const CONCURRENT_LIMIT_PAUSE_MS = 20_000;
export const DAILY_LIMIT_PAUSE_MS = 15 * 60_000;

const RETRYABLE_CODES = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'UNKNOWN_EXCEPTION',
  'REQUEST_RUNNING_TOO_LONG',
  'QUERY_TIMEOUT',
  // With allOrNone a record that was fine is rolled back because another failed: it may go again.
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  'PROCESSING_HALTED',
  'TIMEOUT',
  'NETWORK_ERROR',
]);

const SESSION_CODES = new Set(['INVALID_SESSION_ID', 'INVALID_AUTH_HEADER', 'Bad_OAuth_Token']);

const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ENETDOWN', 'ENETUNREACH', 'EHOSTDOWN',
  'EHOSTUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);
const NETWORK_MESSAGE = /socket hang up|fetch failed|ECONNRESET|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|network (error|timeout)|other side closed/i;

function quotaPause(message: string): number {
  // "TotalRequests Limit exceeded." is the rolling 24-hour limit; "ConcurrentPerOrgLongTxn Limit exceeded." and
  // other concurrency messages clear as soon as long-running requests finish.
  if (/TotalRequests|daily|24.hour/i.test(message)) return DAILY_LIMIT_PAUSE_MS;
  if (/Concurrent|long.?txn|simultaneous/i.test(message)) return CONCURRENT_LIMIT_PAUSE_MS;
  return DAILY_LIMIT_PAUSE_MS;
}

/** The kind of one Salesforce error code (with the HTTP status and message when known). */
export function kindOfCode(errorCode: string, status: number | null, message = ''): { kind: FailureKind; retryAfterMs?: number } {
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') return { kind: 'quota', retryAfterMs: quotaPause(message) };
  if (SESSION_CODES.has(errorCode) || (status === 403 && message.trim() === 'Bad_OAuth_Token')) return { kind: 'session' };
  if (RETRYABLE_CODES.has(errorCode) || NETWORK_CODES.has(errorCode)) return { kind: 'retryable' };
  if (status === 401) return { kind: 'session' };
  if (status !== null && (status >= 500 || status === 429 || status === 420)) return { kind: 'retryable' };
  return { kind: 'permanent' };
}

function entryCode(entry: SalesforceErrorEntry): string {
  return entry.errorCode ?? entry.statusCode ?? 'UNKNOWN_ERROR';
}

function describeEntries(entries: SalesforceErrorEntry[]): string {
  return entries
    .map((e) => `${entryCode(e)}: ${e.message ?? ''}${e.fields?.length ? ` (fields: ${e.fields.join(', ')})` : ''}`)
    .join('; ');
}

function isEntry(value: unknown): value is SalesforceErrorEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.errorCode === 'string' || typeof v.statusCode === 'string';
}

/** Classify the errors of a REST error body (an array of entries). The worst entry decides. */
export function classifyEntries(entries: SalesforceErrorEntry[], status: number | null): ClassifiedError {
  if (entries.length === 0) {
    const kind = kindOfCode(`HTTP_${status ?? 0}`, status);
    return { ...kind, errorCode: status ? `HTTP_${status}` : 'UNKNOWN_ERROR', message: 'Salesforce answered with an error and no details', fields: [], status };
  }
  const classified = entries.map((entry) => ({ entry, ...kindOfCode(entryCode(entry), status, entry.message ?? '') }));
  // Quota first (pause the account), then session, then permanent; retryable only if every entry is.
  const order: FailureKind[] = ['quota', 'session', 'permanent', 'retryable'];
  classified.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  const worst = classified[0];
  return {
    kind: worst.kind,
    errorCode: entryCode(worst.entry),
    message: describeEntries(entries),
    fields: [...new Set(entries.flatMap((e) => e.fields ?? []))],
    status,
    ...(worst.retryAfterMs !== undefined ? { retryAfterMs: worst.retryAfterMs } : {}),
  };
}

/** Per-record errors of an sObject Collections result (`statusCode` entries). */
export function classifyRecordErrors(errors: SalesforceErrorEntry[]): ClassifiedError {
  return classifyEntries(errors, null);
}

function networkCode(error: Record<string, unknown>): string | null {
  const code = typeof error.code === 'string' ? error.code : null;
  if (code && NETWORK_CODES.has(code)) return code;
  const cause = error.cause as Record<string, unknown> | undefined;
  if (cause && typeof cause === 'object' && typeof cause.code === 'string' && NETWORK_CODES.has(cause.code)) return cause.code;
  const message = typeof error.message === 'string' ? error.message : '';
  if (error.name === 'FetchError' || NETWORK_MESSAGE.test(message)) return code ?? 'NETWORK_ERROR';
  return null;
}

/** `ERROR_HTTP_503` (jsforce's code for a non-JSON error body) → 503. */
function statusFromCode(errorCode: string): number | null {
  const match = /^ERROR_HTTP_(\d{3})$/.exec(errorCode);
  return match ? Number(match[1]) : null;
}

/**
 * Any thrown value or error body → its failure class. Understands: this module's SalesforceError, jsforce 3's
 * HttpApiError (`errorCode`/`name`, the body entry or entries in `data`), REST error arrays, collection entries,
 * composite subresponses (`{httpStatusCode, body}`), auth errors (`error`/`error_description`) and network errors
 * from node-fetch (`FetchError`, `code`) or undici (`fetch failed`, `cause.code`).
 */
export function classifySalesforceError(error: unknown): ClassifiedError {
  if (error instanceof SalesforceError) {
    const entries = error.entries.length ? error.entries : [{ errorCode: error.errorCode, message: error.message, fields: error.fields }];
    const classified = classifyEntries(entries, error.status);
    return { ...classified, message: error.message };
  }
  if (Array.isArray(error)) return classifyEntries(error.filter(isEntry), null);
  if (typeof error !== 'object' || error === null) {
    return { kind: 'permanent', errorCode: 'UNKNOWN_ERROR', message: String(error), fields: [], status: null };
  }
  const value = error as Record<string, unknown>;

  // A composite subresponse.
  if (typeof value.httpStatusCode === 'number') {
    const status = value.httpStatusCode;
    const body = Array.isArray(value.body) ? value.body.filter(isEntry) : isEntry(value.body) ? [value.body] : [];
    return classifyEntries(body, status);
  }

  // An OAuth failure (AuthError carries `error` and `status`).
  if (typeof value.error === 'string' && ('error_description' in value || 'errorDescription' in value || value.name === 'AuthError')) {
    const status = typeof value.status === 'number' ? value.status : null;
    const description = String(value.errorDescription ?? value.error_description ?? '');
    if (value.error === 'unreachable' || (status !== null && status >= 500)) {
      return { kind: 'retryable', errorCode: `AUTH_${value.error}`, message: String(value.message ?? description), fields: [], status };
    }
    // Credentials the org refuses: the worker retries a few times (a token race, a brief outage), then the jobs
    // wait as dead letters until the account is fixed and they are replayed.
    return { kind: 'session', errorCode: `AUTH_${value.error}`, message: String(value.message ?? description), fields: [], status };
  }

  const net = networkCode(value);
  if (net) {
    return { kind: 'retryable', errorCode: net, message: String(value.message ?? 'network error'), fields: [], status: null };
  }
  if (value.name === 'AbortError' || value.name === 'TimeoutError') {
    return { kind: 'retryable', errorCode: 'TIMEOUT', message: String(value.message ?? 'request timed out'), fields: [], status: null };
  }

  // jsforce HttpApiError: errorCode === name; data is the entry, the entries (MULTIPLE_API_ERRORS) or the raw body.
  if (typeof value.errorCode === 'string' || typeof value.statusCode === 'string') {
    const code = String(value.errorCode ?? value.statusCode);
    const data = value.data;
    const status = typeof value.status === 'number' ? value.status : statusFromCode(code);
    if (Array.isArray(data) && data.some(isEntry)) return classifyEntries(data.filter(isEntry), status);
    const fields = isEntry(data) && Array.isArray(data.fields) ? data.fields : Array.isArray(value.fields) ? (value.fields as string[]) : [];
    const message = typeof value.message === 'string' ? value.message : '';
    return { ...kindOfCode(code, status, message), errorCode: code, message, fields, status };
  }

  const message = typeof value.message === 'string' ? value.message : String(error);
  return { kind: 'permanent', errorCode: typeof value.code === 'string' ? value.code : 'UNKNOWN_ERROR', message, fields: [], status: null };
}

/** Any thrown value as a SalesforceError (kept as is when it already is one, or an AuthError). */
export function toSalesforceError(error: unknown): CtiError {
  if (error instanceof CtiError) return error;
  const classified = classifySalesforceError(error);
  const data = (error as { data?: unknown } | null)?.data;
  const entries = Array.isArray(data) ? data.filter(isEntry) : [];
  return new SalesforceError(classified.errorCode, classified.message, classified.status, classified.fields, entries);
}
