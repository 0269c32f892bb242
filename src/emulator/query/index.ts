/**
 * The emulated org's query engine: SOQL and SOSL text in, Salesforce-shaped rows out. Pure: it reads the
 * org only through a QuerySource. Record `attributes.url` uses `/services/data/v{apiVersion}` with
 * apiVersion '62.0' unless the caller passes another in QueryOptions.
 */

import { positionedError } from './errors.ts';
import { bindFields, projectRows, selectRows, type EvaluationContext } from './evaluate.ts';
import { Schema } from './schema.ts';
import { runSearch } from './search.ts';
import { parseSoql } from './soql-parser.ts';
import { parseSosl } from './sosl-parser.ts';
import type { QueryOptions, QuerySource, SalesforceRecord } from './types.ts';

export { QueryError, type QueryErrorCode } from './errors.ts';
export type { FieldInfo, ObjectDescribe, QueryOptions, QuerySource } from './types.ts';
export { phoneNumbersMatch } from './phone-match.ts';

const DEFAULT_API_VERSION = '62.0';

export interface SoqlResult {
  records: SalesforceRecord[];
  /** Rows matched after LIMIT/OFFSET; for `SELECT COUNT()` the count, with no records. */
  totalSize: number;
}

export interface SoslResult {
  searchRecords: SalesforceRecord[];
}

/** Runs a SOQL SELECT and returns every matching row; the caller pages them (nextRecordsUrl). */
export function runSoql(soql: string, source: QuerySource, options: QueryOptions = {}): SoqlResult {
  const query = parseSoql(soql);
  const context = contextFor(soql, source, options);
  const object = context.schema.object(query.from.name, query.from.offset);
  const count = query.select.find((item) => item.kind === 'count');
  if (count && query.select.length > 1) {
    throw positionedError('MALFORMED_QUERY', soql, count, 'COUNT() must be the only element in the SELECT list.');
  }
  const paths = query.select.flatMap((item) => (item.kind === 'field' ? [item.field] : []));
  const fields = bindFields(object, paths, context);
  const rows = selectRows(object, query, context);
  if (count) return { records: [], totalSize: rows.length };
  return { records: projectRows(object, fields, rows, context), totalSize: rows.length };
}

/** Runs a SOSL FIND and returns matches grouped in RETURNING order. */
export function runSosl(sosl: string, source: QuerySource, options: QueryOptions = {}): SoslResult {
  const search = parseSosl(sosl);
  return { searchRecords: runSearch(search, contextFor(sosl, source, options)) };
}

function contextFor(statement: string, source: QuerySource, options: QueryOptions): EvaluationContext {
  return {
    schema: new Schema(source, statement),
    statement,
    now: options.now ?? new Date(),
    apiVersion: options.apiVersion ?? DEFAULT_API_VERSION,
  };
}
