import { DmlError, RequestError, restErrorBody } from '../errors.ts';
import type { EmuRequest, EmuResponse } from '../http-types.ts';
import { json } from '../http-types.ts';
import type { Org } from '../org.ts';
import { QueryError } from '../query/errors.ts';
import type { Transaction } from '../store.ts';

/** One authenticated data request: the org, the running user, the API version of the URL and, inside all-or-none work, its transaction. */
export interface DataContext {
  org: Org;
  userId: string;
  version: string;
  tx?: Transaction;
}

export type DataHandler = (ctx: DataContext, req: EmuRequest, segments: string[]) => EmuResponse;

export function parseJsonBody(req: EmuRequest): unknown {
  if (req.rawBody.trim() === '') return undefined;
  try {
    return JSON.parse(req.rawBody);
  } catch (error) {
    throw new RequestError(400, 'JSON_PARSER_ERROR', `Unexpected character in request body: ${(error as Error).message}`);
  }
}

export function parseJsonObject(req: EmuRequest): Record<string, unknown> {
  const body = parseJsonBody(req);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new RequestError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** Turns thrown Salesforce-style errors into the answers the REST API gives. */
export function errorResponse(error: unknown): EmuResponse {
  if (error instanceof RequestError) return json(error.status, restErrorBody(error));
  if (error instanceof DmlError) return json(400, restErrorBody(error));
  if (error instanceof QueryError) return json(400, [{ message: error.message, errorCode: error.errorCode }]);
  throw error;
}

export function methodNotAllowed(method: string, allowed: string[]): EmuResponse {
  return json(405, [{ errorCode: 'METHOD_NOT_ALLOWED', message: `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}` }]);
}
