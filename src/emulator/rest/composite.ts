import { RequestError } from '../errors.ts';
import type { EmuRequest, EmuResponse } from '../http-types.ts';
import { json } from '../http-types.ts';
import { Transaction } from '../store.ts';
import { methodNotAllowed, parseJsonObject, type DataContext } from './context.ts';

const MAX_SUBREQUESTS = 25;
const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

/** Runs one subrequest through the same routes as a top-level call; supplied by the router. */
export type SubrequestRunner = (ctx: DataContext, req: EmuRequest) => EmuResponse;

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

class UnresolvedReference extends Error {
  constructor(readonly referenceId: string, readonly expression: string) {
    super(expression);
  }
}

function lookupPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.match(/[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
    if (current === null || typeof current !== 'object') return undefined;
    const key = part.startsWith('[') ? Number(part.slice(1, -1)) : part;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function resolveString(text: string, results: Map<string, SubResult>): unknown {
  const whole = /^@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}$/.exec(text);
  const resolveOne = (ref: string, path: string, expression: string): unknown => {
    const result = results.get(ref);
    const value = result && result.httpStatusCode < 400 ? lookupPath(result.body, path) : undefined;
    if (value === undefined) throw new UnresolvedReference(ref, expression);
    return value;
  };
  // A value that is only a reference keeps the referenced type (number, boolean, object).
  if (whole) return resolveOne(whole[1], whole[2], text);
  return text.replace(REFERENCE, (expression, ref: string, path: string) => String(resolveOne(ref, path, expression)));
}

function resolveDeep(value: unknown, results: Map<string, SubResult>): unknown {
  if (typeof value === 'string') return resolveString(value, results);
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, results));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, results)]));
  }
  return value;
}

function toRequest(sub: Subrequest, url: string, body: unknown): EmuRequest {
  const parsed = new URL(url, 'http://composite.invalid');
  const headers = Object.fromEntries(Object.entries(sub.httpHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: sub.method.toUpperCase(),
    path: decodeURI(parsed.pathname),
    query: parsed.searchParams,
    headers,
    rawBody: body === undefined ? '' : JSON.stringify(body),
  };
}

function readSubrequests(body: Record<string, unknown>): Subrequest[] {
  const list = body.compositeRequest;
  if (!Array.isArray(list)) throw new RequestError(400, 'JSON_PARSER_ERROR', 'compositeRequest must be an array of subrequests');
  if (list.length > MAX_SUBREQUESTS) {
    throw new RequestError(400, 'LIMIT_EXCEEDED', `Composite request exceeds the limit of ${MAX_SUBREQUESTS} subrequests`);
  }
  const seen = new Set<string>();
  return list.map((item: Record<string, unknown>) => {
    if (typeof item?.method !== 'string' || typeof item.url !== 'string' || typeof item.referenceId !== 'string') {
      throw new RequestError(400, 'INVALID_INPUT', 'Every subrequest needs method, url and referenceId');
    }
    if (seen.has(item.referenceId)) throw new RequestError(400, 'INVALID_INPUT', `Duplicate referenceId provided in the request: ${item.referenceId}`);
    seen.add(item.referenceId);
    return item as unknown as Subrequest;
  });
}

const halted = (referenceId: string): SubResult => ({
  body: [{ errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' }],
  httpHeaders: {},
  httpStatusCode: 400,
  referenceId,
});

/** `POST /composite`: up to 25 subrequests in order, later ones using `@{ref.path}` values of earlier ones. Always 200. */
export function composite(run: SubrequestRunner) {
  return (ctx: DataContext, req: EmuRequest): EmuResponse => {
    if (req.method !== 'POST') return methodNotAllowed(req.method, ['POST']);
    const body = parseJsonObject(req);
    const subrequests = readSubrequests(body);
    const allOrNone = body.allOrNone === true;
    const tx = new Transaction();
    const results = new Map<string, SubResult>();
    const ordered: SubResult[] = [];
    let failed = false;
    for (const sub of subrequests) {
      if (failed && allOrNone) {
        ordered.push(halted(sub.referenceId));
        continue;
      }
      let result: SubResult;
      try {
        const url = String(resolveString(sub.url, results));
        const request = toRequest(sub, url, resolveDeep(sub.body, results));
        const response = run({ ...ctx, tx }, request);
        result = { body: response.json ?? null, httpHeaders: response.headers ?? {}, httpStatusCode: response.status, referenceId: sub.referenceId };
      } catch (error) {
        if (!(error instanceof UnresolvedReference)) throw error;
        result = {
          body: [{
            errorCode: 'PROCESSING_HALTED',
            message: `Invalid reference specified. No value for ${error.expression.slice(2, -1)} found in ${error.referenceId}. Provided referenceId ('${error.referenceId}') does not exist or the subrequest returned an error.`,
          }],
          httpHeaders: {}, httpStatusCode: 400, referenceId: sub.referenceId,
        };
      }
      if (result.httpStatusCode >= 400) failed = true;
      results.set(sub.referenceId, result);
      ordered.push(result);
    }
    if (failed && allOrNone) {
      tx.rollback();
      return json(200, { compositeResponse: ordered.map((r) => (r.httpStatusCode >= 400 ? r : halted(r.referenceId))) });
    }
    return json(200, { compositeResponse: ordered });
  };
}

/** `POST /composite/batch`: up to 25 independent subrequests, each with its own outcome. */
export function batch(run: SubrequestRunner) {
  return (ctx: DataContext, req: EmuRequest): EmuResponse => {
    if (req.method !== 'POST') return methodNotAllowed(req.method, ['POST']);
    const body = parseJsonObject(req);
    const list = body.batchRequests;
    if (!Array.isArray(list)) throw new RequestError(400, 'JSON_PARSER_ERROR', 'batchRequests must be an array');
    if (list.length > MAX_SUBREQUESTS) throw new RequestError(400, 'LIMIT_EXCEEDED', `Batch request exceeds the limit of ${MAX_SUBREQUESTS} subrequests`);
    const haltOnError = body.haltOnError === true;
    let halt = false;
    const results = list.map((item: Record<string, unknown>) => {
      if (halt) return { statusCode: 412, result: [{ errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' }] };
      const url = String(item.url ?? '');
      const fullUrl = url.startsWith('/services/data/') ? url : `/services/data/${url.replace(/^\//, '')}`;
      const sub: Subrequest = { method: String(item.method ?? 'GET'), url: fullUrl, referenceId: '' };
      const response = run(ctx, toRequest(sub, fullUrl, item.richInput ?? item.body));
      if (response.status >= 400 && haltOnError) halt = true;
      return { statusCode: response.status, result: response.json ?? null };
    });
    return json(200, { hasErrors: results.some((r) => r.statusCode >= 400), results });
  };
}
