import { DmlError, RequestError } from './errors.ts';
import { normaliseId } from './ids.ts';
import { findField } from './schema/schema.ts';
import type { FieldDef, ObjectDef } from './schema/types.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parserError(javaType: string, value: unknown): RequestError {
  const token = typeof value === 'string' ? 'VALUE_STRING' : typeof value === 'object' ? (Array.isArray(value) ? 'START_ARRAY' : 'START_OBJECT') : typeof value === 'boolean' ? `VALUE_${String(value).toUpperCase()}` : 'VALUE_NUMBER_INT';
  const shown = typeof value === 'object' ? '' : ` value ${String(value)}`;
  return new RequestError(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of ${javaType} from ${token}${shown} or request may be missing a required field`);
}

/** Maps request keys onto the object's field definitions; an unknown name fails the whole request as Salesforce does. */
export function resolveFields(def: ObjectDef, input: Record<string, unknown>): Array<[FieldDef, unknown]> {
  const resolved: Array<[FieldDef, unknown]> = [];
  for (const [key, value] of Object.entries(input)) {
    if (key === 'attributes') continue;
    const fieldDef = findField(def, key);
    if (!fieldDef) throw new RequestError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`);
    resolved.push([fieldDef, value]);
  }
  return resolved;
}

function isoDateTime(value: string): string | undefined {
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  return formatDateTime(parsed);
}

/** Salesforce's datetime wire format: `2024-05-01T10:00:00.000+0000`. */
export function formatDateTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

/** Converts a JSON value to what the field stores, or throws the error Salesforce gives for it. */
export function coerceValue(fieldDef: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (fieldDef.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw parserError('boolean', value);
    case 'int': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n === 'number' && Number.isInteger(n)) return n;
      throw parserError('int', value);
    }
    case 'double':
    case 'currency':
    case 'percent': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n === 'number' && Number.isFinite(n)) return n;
      throw parserError('double', value);
    }
    case 'date':
      if (typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value))) return value;
      if (typeof value === 'string' && isoDateTime(value)) return value.slice(0, 10);
      throw parserError('date', value);
    case 'datetime': {
      const iso = typeof value === 'string' ? isoDateTime(value) : undefined;
      if (iso) return iso;
      throw parserError('datetime', value);
    }
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw parserError('String', value);
  }
}

/** Checks a coerced value against the field's own rules (length, email format, picklist, id format). */
export function checkValue(fieldDef: FieldDef, value: unknown): void {
  if (value === null) return;
  if (typeof value !== 'string') return;
  const name = fieldDef.name;
  if (fieldDef.type === 'reference' || fieldDef.type === 'id') {
    if (!normaliseId(value)) throw new DmlError('MALFORMED_ID', `${fieldDef.label}: id value of incorrect type: ${value}`, [name]);
    return;
  }
  if (fieldDef.length && value.length > fieldDef.length) {
    throw new DmlError('STRING_TOO_LONG', `${fieldDef.label}: data value too large: ${value.slice(0, 80)} (max length=${fieldDef.length})`, [name]);
  }
  if (fieldDef.type === 'email' && value !== '' && !EMAIL.test(value)) {
    throw new DmlError('INVALID_EMAIL_ADDRESS', `${fieldDef.label}: invalid email address: ${value}`, [name]);
  }
  if (fieldDef.type === 'picklist' && fieldDef.restrictedPicklist && !fieldDef.picklistValues.includes(value)) {
    throw new DmlError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${fieldDef.label}: bad value for restricted picklist field: ${value}`, [name]);
  }
}
