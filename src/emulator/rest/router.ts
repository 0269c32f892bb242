import { notFound } from '../errors.ts';
import type { EmuRequest, EmuResponse } from '../http-types.ts';
import { json } from '../http-types.ts';
import { collections } from './collections.ts';
import { batch, composite } from './composite.ts';
import { errorResponse, methodNotAllowed, type DataContext, type DataHandler } from './context.ts';
import { query, search } from './query.ts';
import { sobjects } from './sobjects.ts';

export const LATEST_VERSION = '62.0';
const OLDEST_VERSION = 20;
const SEASONS = ['Winter', 'Spring', 'Summer'];

function releaseLabel(major: number): string {
  const step = major - 50;
  const year = 21 + Math.floor(step / 3);
  return `${SEASONS[((step % 3) + 3) % 3]} '${String(year).padStart(2, '0')}`;
}

/** `GET /services/data`: the one data call that needs no session and carries no usage header. */
export function versions(): EmuResponse {
  const list = [];
  for (let major = OLDEST_VERSION; major <= Number(LATEST_VERSION); major++) {
    list.push({ label: releaseLabel(major), url: `/services/data/v${major}.0`, version: `${major}.0` });
  }
  return json(200, list);
}

export function isKnownVersion(version: string): boolean {
  const major = Number(version);
  return Number.isInteger(major) && major >= OLDEST_VERSION && major <= Number(LATEST_VERSION);
}

function resources(ctx: DataContext): EmuResponse {
  const base = `/services/data/v${ctx.version}`;
  const names = ['sobjects', 'query', 'queryAll', 'search', 'composite', 'limits', 'recent', 'tooling', 'metadata', 'connect', 'parameterizedSearch', 'quickActions', 'analytics'];
  return json(200, Object.fromEntries(names.map((n) => [n, `${base}/${n}`])));
}

function limits(ctx: DataContext): EmuResponse {
  const { usage } = ctx.org;
  const fixed = (max: number, remaining = max) => ({ Max: max, Remaining: remaining });
  return json(200, {
    ConcurrentAsyncGetReportInstances: fixed(200),
    ConcurrentSyncReportRuns: fixed(20),
    DailyApiRequests: fixed(usage.max, Math.max(0, usage.max - usage.used())),
    DailyAsyncApexExecutions: fixed(250000),
    DailyBulkApiBatches: fixed(15000),
    DailyBulkV2QueryJobs: fixed(10000),
    DailyStreamingApiEvents: fixed(1000000),
    DataStorageMB: fixed(5120, 5100),
    FileStorageMB: fixed(5120, 5120),
    HourlyODataCallout: fixed(20000),
    SingleEmailMessages: fixed(5000),
  });
}

const routes: Record<string, DataHandler> = {
  sobjects,
  query: query('query'),
  queryAll: query('queryAll'),
  search: (ctx, req) => search(ctx, req),
  limits: (ctx, req) => (req.method === 'GET' ? limits(ctx) : methodNotAllowed(req.method, ['GET', 'HEAD'])),
};

const compositeHandler = composite(dispatch);
const batchHandler = batch(dispatch);

/** Splits `/services/data/vNN.N/a/b` into the version and `[a, b]`; undefined when the path is not versioned data. */
export function splitDataPath(path: string): { version: string; segments: string[] } | undefined {
  const match = /^\/services\/data\/v(\d+\.\d)(?:\/(.*))?$/.exec(path);
  if (!match) return undefined;
  const segments = (match[2] ?? '').split('/').filter(Boolean);
  return { version: match[1], segments };
}

/** Routes an authenticated data request (top-level or composite subrequest) and maps errors to REST answers. */
export function dispatch(ctx: DataContext, req: EmuRequest): EmuResponse {
  try {
    const split = splitDataPath(req.path);
    if (!split || !isKnownVersion(split.version)) throw notFound();
    const context = { ...ctx, version: split.version };
    const [resource, ...rest] = split.segments;
    if (!resource) return resources(context);
    if (resource === 'composite') {
      if (rest[0] === 'sobjects') return collections(context, req, rest.slice(1));
      if (rest[0] === 'batch' && rest.length === 1) return batchHandler(context, req);
      if (rest.length === 0) return compositeHandler(context, req);
      throw notFound();
    }
    const handler = routes[resource];
    if (!handler) throw notFound();
    return handler(context, req, rest);
  } catch (error) {
    return errorResponse(error);
  }
}

/** Names the call for counters: an endpoint pattern and the kind of work. */
export function classify(req: EmuRequest): { endpoint: string; kind: string } {
  const split = splitDataPath(req.path);
  const [resource, a, b, c] = split?.segments ?? [];
  const m = req.method;
  if (resource === 'sobjects') {
    if (!a) return { endpoint: `${m} /sobjects`, kind: 'describe' };
    if (b === 'describe') return { endpoint: `${m} /sobjects/{object}/describe`, kind: 'describe' };
    if (!b) return { endpoint: `${m} /sobjects/{object}`, kind: m === 'POST' ? 'create' : 'describe' };
    if (c !== undefined) return { endpoint: `${m} /sobjects/{object}/{field}/{value}`, kind: m === 'PATCH' ? 'upsert' : m === 'DELETE' ? 'delete' : 'retrieve' };
    return { endpoint: `${m} /sobjects/{object}/{id}`, kind: m === 'PATCH' ? 'update' : m === 'DELETE' ? 'delete' : 'retrieve' };
  }
  if (resource === 'composite') {
    if (a === 'sobjects') return { endpoint: `${m} /composite/sobjects${b ? (c ? '/{object}/{field}' : '/{object}') : ''}`, kind: 'collections' };
    if (a === 'batch') return { endpoint: `${m} /composite/batch`, kind: 'batch' };
    return { endpoint: `${m} /composite`, kind: 'composite' };
  }
  if (resource === 'query' || resource === 'queryAll') return { endpoint: `${m} /${resource}${a ? '/{locator}' : ''}`, kind: 'query' };
  if (resource === 'search') return { endpoint: `${m} /search`, kind: 'search' };
  if (resource === 'limits') return { endpoint: `${m} /limits`, kind: 'limits' };
  return { endpoint: `${m} /${resource ?? ''}`, kind: 'other' };
}
