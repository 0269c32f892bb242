import { RequestError } from '../errors.ts';
import { findField } from '../schema/schema.ts';
import type { ObjectDef } from '../schema/types.ts';
import type { StoredRecord } from '../store.ts';

export function recordUrl(version: string, type: string, id: string): string {
  return `/services/data/v${version}/sobjects/${type}/${id}`;
}

/** A record as the REST API returns it: `attributes` first, then fields in describe order (or the asked ones). */
export function serializeRecord(def: ObjectDef, record: StoredRecord, version: string, fieldNames?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: def.name, url: recordUrl(version, def.name, record.Id) } };
  const fields = fieldNames
    ? fieldNames.map((name) => {
      const f = findField(def, name);
      if (!f) throw new RequestError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
      return f;
    })
    : def.fields;
  for (const f of fields) out[f.name] = record[f.name] ?? null;
  return out;
}

export function parseFieldList(value: string | null): string[] | undefined {
  if (!value) return undefined;
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}
