import { randomBytes } from 'node:crypto';
import { RequestError } from '../errors.ts';
import type { EmuRequest, EmuResponse } from '../http-types.ts';
import { json } from '../http-types.ts';
import type { Org } from '../org.ts';
import { runSoql, runSosl } from '../query/index.ts';
import type { QuerySource } from '../query/types.ts';
import { methodNotAllowed, type DataContext } from './context.ts';

const DEFAULT_BATCH = 2000;
const MIN_BATCH = 200;
const CURSOR_IDLE_MS = 15 * 60_000;

interface Cursor {
  records: Array<Record<string, unknown>>;
  totalSize: number;
  batchSize: number;
  lastUsedAt: number;
}

/** Open query cursors per org, so `nextRecordsUrl` locators survive between requests. */
const cursorsByOrg = new WeakMap<Org, Map<string, Cursor>>();

function cursors(org: Org): Map<string, Cursor> {
  let map = cursorsByOrg.get(org);
  if (!map) {
    map = new Map();
    cursorsByOrg.set(org, map);
  }
  const now = Date.now();
  for (const [key, cursor] of map) if (now - cursor.lastUsedAt > CURSOR_IDLE_MS) map.delete(key);
  return map;
}

export function querySource(org: Org, includeDeleted: boolean): QuerySource {
  return {
    describe(object) {
      const def = org.schema.get(object);
      return def ? { name: def.name, fields: def.fields } : undefined;
    },
    records(object) {
      const def = org.schema.get(object);
      return def ? org.store.list(def.name, includeDeleted) : [];
    },
  };
}

/** `Sforce-Query-Options: batchSize=N`, clamped to Salesforce's 200..2000. */
function batchSize(req: EmuRequest): number {
  const header = req.headers['sforce-query-options'];
  const match = /batchSize\s*=\s*(\d+)/i.exec(Array.isArray(header) ? header.join(',') : (header ?? ''));
  if (!match) return DEFAULT_BATCH;
  return Math.min(DEFAULT_BATCH, Math.max(MIN_BATCH, Number(match[1])));
}

function page(ctx: DataContext, resource: string, cursor: Cursor, offset: number) {
  const end = offset + cursor.batchSize;
  const body: Record<string, unknown> = { totalSize: cursor.totalSize, done: end >= cursor.records.length, records: cursor.records.slice(offset, end) };
  if (end < cursor.records.length) {
    const key = `01g${randomBytes(6).toString('hex')}`;
    cursors(ctx.org).set(key, { ...cursor, lastUsedAt: Date.now() });
    body.nextRecordsUrl = `/services/data/v${ctx.version}/${resource}/${key}-${end}`;
  }
  return body;
}

/** `/query` and `/queryAll`: `?q=` starts a query, `/{locator}` continues one. */
export function query(resource: 'query' | 'queryAll') {
  return (ctx: DataContext, req: EmuRequest, segments: string[]): EmuResponse => {
    if (req.method !== 'GET') return methodNotAllowed(req.method, ['GET', 'HEAD']);
    const [locator] = segments;
    if (locator) {
      const match = /^(.+)-(\d+)$/.exec(locator);
      const cursor = match ? cursors(ctx.org).get(match[1]) : undefined;
      if (!match || !cursor) throw new RequestError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
      cursors(ctx.org).delete(match[1]);
      return json(200, page(ctx, resource, cursor, Number(match[2])));
    }
    const soql = req.query.get('q');
    if (!soql) throw new RequestError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    const result = runSoql(soql, querySource(ctx.org, resource === 'queryAll'), { apiVersion: ctx.version }) as {
      records: Array<Record<string, unknown>>;
      totalSize?: number;
    };
    const cursor: Cursor = { records: result.records, totalSize: result.totalSize ?? result.records.length, batchSize: batchSize(req), lastUsedAt: Date.now() };
    return json(200, page(ctx, resource, cursor, 0));
  };
}

/** `/search?q=FIND {...}`. */
export function search(ctx: DataContext, req: EmuRequest): EmuResponse {
  if (req.method !== 'GET') return methodNotAllowed(req.method, ['GET', 'HEAD']);
  const sosl = req.query.get('q');
  if (!sosl) throw new RequestError(400, 'MALFORMED_SEARCH', 'No search term found. The search term must be enclosed in braces.');
  return json(200, runSosl(sosl, querySource(ctx.org, false), { apiVersion: ctx.version }));
}
