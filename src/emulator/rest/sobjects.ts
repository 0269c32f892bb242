import { createRecord, deleteRecord, findRecord, MultipleMatchesError, objectDef, updateRecord, upsertKeyField, upsertRecord } from '../dml.ts';
import { RequestError, notFound } from '../errors.ts';
import type { EmuRequest, EmuResponse } from '../http-types.ts';
import { json, noContent } from '../http-types.ts';
import { normaliseId } from '../ids.ts';
import { describeObject, globalDescribe, objectInfo } from './describe.ts';
import { methodNotAllowed, parseJsonObject, type DataContext } from './context.ts';
import { parseFieldList, recordUrl, serializeRecord } from './serialize.ts';

/** `/sobjects[/...]`: describes, single-record create, read, update, delete and upsert. */
export function sobjects(ctx: DataContext, req: EmuRequest, segments: string[]): EmuResponse {
  const { org, version } = ctx;
  const dml = { org, userId: ctx.userId, ...(ctx.tx ? { tx: ctx.tx } : {}) };
  const [objectName, second, third] = segments;
  if (!objectName) {
    if (req.method !== 'GET') return methodNotAllowed(req.method, ['GET', 'HEAD']);
    return json(200, globalDescribe(org.schema.all(), version));
  }
  const def = objectDef(org, objectName);
  if (second === undefined) {
    if (req.method === 'GET') return json(200, objectInfo(def, version));
    if (req.method !== 'POST') return methodNotAllowed(req.method, ['GET', 'HEAD', 'POST']);
    const record = createRecord(dml, def.name, parseJsonObject(req));
    return json(201, { id: record.Id, success: true, errors: [] }, { Location: recordUrl(version, def.name, record.Id) });
  }
  if (second === 'describe' && third === undefined) {
    if (req.method !== 'GET') return methodNotAllowed(req.method, ['GET', 'HEAD']);
    return json(200, describeObject(def, org.schema.all(), version));
  }
  if (third === undefined) return recordById(ctx, req, def.name, second);
  return recordByExternalId(ctx, req, def.name, second, decodeURIComponent(third));

  function recordById(context: DataContext, request: EmuRequest, name: string, id: string): EmuResponse {
    const objDef = objectDef(org, name);
    // Like Salesforce, a segment that is not an id is taken for an external ID field name.
    if (!normaliseId(id)) {
      throw new RequestError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${id}`);
    }
    const record = findRecord(org, objDef, id);
    if (!record) {
      const deleted = org.store.list(objDef.name, true).some((r) => r.Id === normaliseId(id));
      if (deleted && request.method !== 'GET') throw new RequestError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
      throw notFound();
    }
    switch (request.method) {
      case 'GET':
        return json(200, serializeRecord(objDef, record, context.version, parseFieldList(request.query.get('fields'))));
      case 'PATCH':
        updateRecord(dml, objDef.name, record.Id, parseJsonObject(request));
        return noContent();
      case 'DELETE':
        deleteRecord(dml, objDef.name, record.Id);
        return noContent();
      default:
        return methodNotAllowed(request.method, ['GET', 'HEAD', 'PATCH', 'DELETE']);
    }
  }

  function recordByExternalId(context: DataContext, request: EmuRequest, name: string, fieldName: string, value: string): EmuResponse {
    const objDef = objectDef(org, name);
    const keyField = upsertKeyField(objDef, fieldName);
    if (request.method === 'PATCH') {
      try {
        const { record, created } = upsertRecord(dml, objDef.name, keyField.name, value, parseJsonObject(request));
        return json(created ? 201 : 200, { id: record.Id, success: true, errors: [], created });
      } catch (error) {
        if (error instanceof MultipleMatchesError) return json(300, error.ids.map((id) => recordUrl(context.version, objDef.name, id)));
        throw error;
      }
    }
    const matches = org.store.list(objDef.name).filter((r) => String(r[keyField.name] ?? '').toLowerCase() === value.toLowerCase());
    if (matches.length > 1) return json(300, matches.map((r) => recordUrl(context.version, objDef.name, r.Id)));
    const match = matches[0];
    if (!match) throw notFound();
    if (request.method === 'GET') return json(200, serializeRecord(objDef, match, context.version, parseFieldList(request.query.get('fields'))));
    if (request.method === 'DELETE') {
      deleteRecord(dml, objDef.name, match.Id);
      return noContent();
    }
    return methodNotAllowed(request.method, ['GET', 'HEAD', 'PATCH', 'DELETE']);
  }
}
