import { createRecord, deleteRecord, findRecord, objectDef, updateRecord, upsertKeyField, upsertRecord } from '../dml.ts';
import { DmlError, RequestError } from '../errors.ts';
import type { EmuRequest, EmuResponse } from '../http-types.ts';
import { json } from '../http-types.ts';
import { normaliseId } from '../ids.ts';
import { Transaction } from '../store.ts';
import { resolveFields, coerceValue } from '../validation.ts';
import { methodNotAllowed, parseJsonObject, type DataContext } from './context.ts';
import { parseFieldList, serializeRecord } from './serialize.ts';

const MAX_RECORDS = 200;

interface CollectionResult {
  id: string | null;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
  created?: boolean;
}

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

function readRecords(body: Record<string, unknown>): Array<Record<string, unknown>> {
  const records = body.records;
  if (!Array.isArray(records)) throw new RequestError(400, 'JSON_PARSER_ERROR', 'The request body must contain a records array');
  if (records.length > MAX_RECORDS) {
    throw new RequestError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
  }
  return records as Array<Record<string, unknown>>;
}

function recordType(record: Record<string, unknown>, fallback?: string): string {
  const attributes = record.attributes as { type?: unknown } | undefined;
  const type = typeof attributes?.type === 'string' ? attributes.type : fallback;
  if (!type) throw new RequestError(400, 'INVALID_TYPE', 'sObject type must be specified in attributes.type for every record');
  return type;
}

/** Unknown objects, unknown fields and mistyped values fail the whole request before anything is written. */
function precheck(ctx: DataContext, records: Array<Record<string, unknown>>, fallbackType?: string): void {
  for (const record of records) {
    const def = ctx.org.schema.get(recordType(record, fallbackType));
    if (!def) throw new RequestError(400, 'INVALID_TYPE', `sObject type '${recordType(record, fallbackType)}' is not supported.`);
    for (const [f, value] of resolveFields(def, record)) coerceValue(f, value);
  }
}

/** Runs one write per record; all-or-none rolls every write back when any record fails. */
function runAll(ctx: DataContext, count: number, allOrNone: boolean, write: (index: number, tx: Transaction) => CollectionResult): CollectionResult[] {
  const tx = ctx.tx ?? new Transaction();
  const results: CollectionResult[] = [];
  for (let i = 0; i < count; i++) {
    try {
      results.push(write(i, tx));
    } catch (error) {
      if (!(error instanceof DmlError)) throw error;
      results.push({ id: null, success: false, errors: [{ statusCode: error.statusCode, message: error.message, fields: error.fields }] });
    }
  }
  if (allOrNone && results.some((r) => !r.success)) {
    tx.rollback();
    return results.map((r) => (r.success ? { id: null, success: false, errors: [ROLLED_BACK], ...('created' in r ? { created: false } : {}) } : r));
  }
  return results;
}

function withId(id: string | null, error: DmlError): CollectionResult {
  return { id, success: false, errors: [{ statusCode: error.statusCode, message: error.message, fields: error.fields }] };
}

/** `/composite/sobjects[/{Object}[/{ExternalIdField}]]`. */
export function collections(ctx: DataContext, req: EmuRequest, segments: string[]): EmuResponse {
  const { org } = ctx;
  const dml = (tx: Transaction) => ({ org, userId: ctx.userId, tx });
  const [objectName, keyFieldName] = segments;

  if (keyFieldName !== undefined) {
    if (req.method !== 'PATCH') return methodNotAllowed(req.method, ['PATCH']);
    const def = objectDef(org, objectName);
    const keyField = upsertKeyField(def, keyFieldName);
    const body = parseJsonObject(req);
    const records = readRecords(body);
    precheck(ctx, records, def.name);
    return json(200, runAll(ctx, records.length, body.allOrNone === true, (i, tx) => {
      const { record, created } = upsertRecord(dml(tx), def.name, keyField.name, records[i][keyField.name], records[i]);
      return { id: record.Id, success: true, errors: [], created };
    }).map((r) => ({ ...r, created: r.created ?? false })));
  }

  if (objectName !== undefined) {
    if (req.method !== 'GET' && req.method !== 'POST') return methodNotAllowed(req.method, ['GET', 'POST']);
    const def = objectDef(org, objectName);
    const body = req.method === 'POST' ? parseJsonObject(req) : {};
    const ids = Array.isArray(body.ids) ? body.ids.map(String) : (parseFieldList(req.query.get('ids')) ?? []);
    const fields = Array.isArray(body.fields) ? body.fields.map(String) : parseFieldList(req.query.get('fields'));
    if (!fields?.length) throw new RequestError(400, 'MISSING_ARGUMENT', 'The fields parameter is required');
    if (ids.length > 2000) throw new RequestError(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 2000 ids into this call');
    return json(200, ids.map((id) => {
      const record = findRecord(org, def, id);
      return record ? serializeRecord(def, record, ctx.version, fields) : null;
    }));
  }

  switch (req.method) {
    case 'POST': {
      const body = parseJsonObject(req);
      const records = readRecords(body);
      precheck(ctx, records);
      return json(200, runAll(ctx, records.length, body.allOrNone === true, (i, tx) => {
        const { attributes: _attributes, ...fields } = records[i];
        const record = createRecord(dml(tx), recordType(records[i]), fields);
        return { id: record.Id, success: true, errors: [] };
      }));
    }
    case 'PATCH': {
      const body = parseJsonObject(req);
      const records = readRecords(body);
      precheck(ctx, records);
      return json(200, runAll(ctx, records.length, body.allOrNone === true, (i, tx) => {
        const { attributes: _attributes, Id, ...fields } = records[i];
        const id = typeof Id === 'string' ? Id : typeof records[i].id === 'string' ? String(records[i].id) : null;
        if (!id) throw new DmlError('MISSING_ARGUMENT', 'Id not specified in an update call', []);
        try {
          const record = updateRecord(dml(tx), recordType(records[i]), id, fields);
          return { id: record.Id, success: true, errors: [] };
        } catch (error) {
          if (error instanceof DmlError) return withId(id, error);
          throw error;
        }
      }));
    }
    case 'DELETE': {
      const ids = parseFieldList(req.query.get('ids')) ?? [];
      if (ids.length > MAX_RECORDS) {
        throw new RequestError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
      }
      const allOrNone = req.query.get('allOrNone') === 'true';
      return json(200, runAll(ctx, ids.length, allOrNone, (i, tx) => {
        const def = org.schema.forId(ids[i]);
        if (!def) return withId(ids[i], new DmlError('MALFORMED_ID', `malformed id ${ids[i]}`, []));
        try {
          deleteRecord(dml(tx), def.name, ids[i]);
          return { id: normaliseId(ids[i]) ?? ids[i], success: true, errors: [] };
        } catch (error) {
          if (error instanceof DmlError) return withId(ids[i], error);
          throw error;
        }
      }));
    }
    default:
      return methodNotAllowed(req.method, ['POST', 'PATCH', 'DELETE']);
  }
}
