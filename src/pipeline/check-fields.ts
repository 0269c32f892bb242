/**
 * Values rendered from templates are strings; Salesforce wants typed values. Coerce each one against the
 * object's describe and report problems in our words before Salesforce would reject the record.
 */

export interface DescribeField {
  name: string;
  type: string;
  length?: number;
  createable?: boolean;
  updateable?: boolean;
  nillable?: boolean;
  externalId?: boolean;
  picklistValues?: Array<{ value: string; active?: boolean }>;
  restrictedPicklist?: boolean;
  referenceTo?: string[];
}

export interface FieldProblem {
  field: string;
  message: string;
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const TEXT_TYPES = new Set(['string', 'textarea', 'phone', 'email', 'url', 'combobox', 'encryptedstring']);

function coerceValue(value: unknown, field: DescribeField): { value?: unknown; problem?: string } {
  if (value === null || value === undefined || value === '') return { value: null };
  const text = typeof value === 'string' ? value.trim() : value;
  switch (field.type) {
    case 'int': {
      const n = typeof text === 'number' ? text : Number(text);
      return Number.isFinite(n) ? { value: Math.round(n) } : { problem: `expects a whole number, got "${String(value)}"` };
    }
    case 'double':
    case 'currency':
    case 'percent': {
      const n = typeof text === 'number' ? text : Number(text);
      return Number.isFinite(n) ? { value: n } : { problem: `expects a number, got "${String(value)}"` };
    }
    case 'boolean': {
      if (typeof text === 'boolean') return { value: text };
      const lowered = String(text).toLowerCase();
      if (['true', '1', 'yes'].includes(lowered)) return { value: true };
      if (['false', '0', 'no'].includes(lowered)) return { value: false };
      return { problem: `expects true or false, got "${String(value)}"` };
    }
    case 'date': {
      const date = new Date(String(text));
      if (Number.isNaN(date.getTime())) return { problem: `expects a date (YYYY-MM-DD), got "${String(value)}"` };
      return { value: /^\d{4}-\d{2}-\d{2}$/.test(String(text)) ? String(text) : date.toISOString().slice(0, 10) };
    }
    case 'datetime': {
      const date = new Date(String(text));
      return Number.isNaN(date.getTime())
        ? { problem: `expects an ISO-8601 date-time, got "${String(value)}"` }
        : { value: date.toISOString() };
    }
    case 'reference':
    case 'id':
      return ID_PATTERN.test(String(text))
        ? { value: String(text) }
        : { problem: `expects a Salesforce record id${field.referenceTo?.length ? ` of ${field.referenceTo.join('/')}` : ''}, got "${String(value)}"` };
    case 'picklist':
    case 'multipicklist': {
      const allowed = (field.picklistValues ?? []).filter((p) => p.active !== false).map((p) => p.value);
      const picked = String(text);
      if (field.restrictedPicklist !== false && allowed.length && !allowed.includes(picked)) {
        const sameIgnoringCase = allowed.find((a) => a.toLowerCase() === picked.toLowerCase());
        if (sameIgnoringCase) return { value: sameIgnoringCase };
        return { problem: `"${picked}" is not one of its values: ${allowed.join(', ')}` };
      }
      return { value: picked };
    }
    default: {
      const str = typeof text === 'string' ? text : typeof text === 'object' ? JSON.stringify(text) : String(text);
      if (TEXT_TYPES.has(field.type) && field.length && str.length > field.length) {
        // Long text (descriptions, transcripts) is cut rather than rejected; short identifiers are not.
        if (field.type === 'textarea') return { value: str.slice(0, field.length) };
        return { problem: `is ${str.length} characters long; the field holds at most ${field.length}` };
      }
      return { value: str };
    }
  }
}

export function checkRecord(
  object: string,
  values: Record<string, unknown>,
  fields: DescribeField[],
  operation: 'create' | 'update',
): { record: Record<string, unknown>; problems: FieldProblem[] } {
  const byName = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  const record: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  for (const [name, raw] of Object.entries(values)) {
    const field = byName.get(name.toLowerCase());
    if (!field) {
      problems.push({ field: name, message: `${object} has no field "${name}" (check the API name, e.g. custom fields end in __c)` });
      continue;
    }
    if (operation === 'create' ? field.createable === false : field.updateable === false) {
      problems.push({ field: field.name, message: `${object}.${field.name} cannot be set on ${operation}` });
      continue;
    }
    const coerced = coerceValue(raw, field);
    if (coerced.problem) problems.push({ field: field.name, message: `${object}.${field.name} ${coerced.problem}` });
    else if (coerced.value !== null) record[field.name] = coerced.value;
  }
  return { record, problems };
}
