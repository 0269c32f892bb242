/** Runs a bound selection over live records: filter, sort, page and shape rows the way Salesforce answers. */

import { positionedError } from './errors.ts';
import { idKey, type BoundField, type Schema } from './schema.ts';
import type { Condition, FieldPath, Literal, OrderItem, RowSelection } from './soql-parser.ts';
import type { ObjectDescribe, SalesforceRecord } from './types.ts';

export interface EvaluationContext {
  schema: Schema;
  statement: string;
  now: Date;
  apiVersion: string;
}

type Category = 'text' | 'id' | 'number' | 'boolean' | 'date' | 'datetime';
type Scalar = string | number | boolean;
/** Dates compare as half-open millisecond ranges, so `= TODAY` and `< 2026-11-28` share one rule. */
type Comparable = { kind: 'scalar'; value: Scalar } | { kind: 'range'; from: number; to: number } | { kind: 'null' };

const DAY_MS = 86_400_000;

function categoryOf(type: string): Category {
  switch (type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
    case 'long':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    default:
      return 'text';
  }
}

/** Filters, sorts and pages one object's records; `prefilter` lets SOSL keep only records the term matched. */
export function selectRows(
  object: ObjectDescribe,
  selection: RowSelection,
  context: EvaluationContext,
  prefilter: (record: SalesforceRecord) => boolean = () => true,
): SalesforceRecord[] {
  const keep = selection.where ? compileCondition(object, selection.where, context) : () => true;
  const rows = context.schema.records(object.name).filter((record) => prefilter(record) && keep(record));
  if (selection.orderBy.length > 0) rows.sort(compileOrder(object, selection.orderBy, context));
  const start = selection.offset ?? 0;
  const end = selection.limit === undefined ? undefined : start + selection.limit;
  return rows.slice(start, end);
}

/** Shapes rows as Salesforce does: attributes first, selected fields in order, parents as nested objects. */
export function projectRows(
  object: ObjectDescribe,
  fields: BoundField[],
  rows: SalesforceRecord[],
  context: EvaluationContext,
): SalesforceRecord[] {
  return rows.map((record) => {
    const output: SalesforceRecord = { attributes: attributesOf(object.name, record, context) };
    const sources = new Map<SalesforceRecord, SalesforceRecord>([[output, record]]);
    for (const field of fields) {
      let target: SalesforceRecord | null = output;
      for (const hop of field.hops) {
        const holder: SalesforceRecord = target;
        if (!(hop.relationshipName in holder)) {
          const parent = context.schema.parent(sources.get(holder)!, hop);
          let nested: SalesforceRecord | null = null;
          if (parent) {
            const attributes = attributesOf(parent.type, parent.record, context);
            nested = { attributes: hop.polymorphic ? { ...attributes, type: 'Name' } : attributes };
            sources.set(nested, parent.record);
          }
          holder[hop.relationshipName] = nested;
        }
        target = holder[hop.relationshipName] as SalesforceRecord | null;
        if (target === null) break;
      }
      if (target !== null) target[field.name] = context.schema.read(record, field);
    }
    return output;
  });
}

function attributesOf(type: string, record: SalesforceRecord, context: EvaluationContext): Record<string, string> {
  return { type, url: `/services/data/v${context.apiVersion}/sobjects/${type}/${String(record.Id)}` };
}

export function compileCondition(
  object: ObjectDescribe,
  condition: Condition,
  context: EvaluationContext,
): (record: SalesforceRecord) => boolean {
  switch (condition.kind) {
    case 'and': {
      const left = compileCondition(object, condition.left, context);
      const right = compileCondition(object, condition.right, context);
      return (record) => left(record) && right(record);
    }
    case 'or': {
      const left = compileCondition(object, condition.left, context);
      const right = compileCondition(object, condition.right, context);
      return (record) => left(record) || right(record);
    }
    case 'not': {
      const operand = compileCondition(object, condition.operand, context);
      return (record) => !operand(record);
    }
    case 'in': {
      const field = filterableField(object, condition.field, context);
      const values = condition.values.map((literal) =>
        comparableLiteral(field, literal, condition.valueOffset, context),
      );
      return (record) => {
        const value = comparableValue(field, context.schema.read(record, field));
        const found = values.some((candidate) => compare(value, candidate) === 0);
        return condition.negated ? !found : found;
      };
    }
    case 'compare': {
      const field = filterableField(object, condition.field, context);
      if (condition.operator === 'LIKE') return compileLike(field, condition.value, condition, context);
      const expected = comparableLiteral(field, condition.value, condition.valueOffset, context);
      const operator = condition.operator;
      return (record) => {
        const actual = comparableValue(field, context.schema.read(record, field));
        const order = compare(actual, expected);
        switch (operator) {
          case '=':
            return order === 0;
          case '!=':
            // SOQL's != keeps rows whose field is null, unlike SQL.
            return order !== 0;
          case '<':
            return order !== undefined && order < 0;
          case '<=':
            return order !== undefined && order <= 0;
          case '>':
            return order !== undefined && order > 0;
          case '>=':
            return order !== undefined && order >= 0;
        }
      };
    }
  }
}

function filterableField(object: ObjectDescribe, path: FieldPath, context: EvaluationContext): BoundField {
  const field = context.schema.bind(object, path);
  if (field.longText) {
    throw positionedError('INVALID_FIELD', context.statement, path, `field '${field.name}' can not be filtered in query call`);
  }
  return field;
}

function compileLike(
  field: BoundField,
  literal: Literal,
  condition: { field: FieldPath; valueOffset: number },
  context: EvaluationContext,
): (record: SalesforceRecord) => boolean {
  if (categoryOf(field.type) !== 'text') {
    throw positionedError(
      'INVALID_FIELD',
      context.statement,
      condition.field,
      `invalid operator on ${field.type} field '${field.name}': LIKE applies to text fields only`,
    );
  }
  if (literal.kind !== 'string') throw typeMismatch(field, 'string', true, condition.valueOffset, context);
  const pattern = likePattern(literal.value);
  return (record) => {
    const value = context.schema.read(record, field);
    return value !== null && pattern.test(String(value));
  };
}

/** LIKE: % is any run, _ one character, \% and \_ literal; case-insensitive like Salesforce. */
export function likePattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      source += pattern[++i];
    } else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

/** Three-way comparison; undefined when either side is null (nulls only ever equal null). */
function compare(actual: Comparable, expected: Comparable): number | undefined {
  if (actual.kind === 'null' || expected.kind === 'null') {
    return actual.kind === expected.kind ? 0 : undefined;
  }
  if (expected.kind === 'range' && actual.kind === 'scalar') {
    const at = actual.value as number;
    if (at < expected.from) return -1;
    return at >= expected.to ? 1 : 0;
  }
  if (actual.kind === 'scalar' && expected.kind === 'scalar') return order(actual.value, expected.value);
  return undefined;
}

function order(a: Scalar, b: Scalar): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** A stored value in the form its category compares in: lower-cased text, id key, epoch ms. */
function comparableValue(field: BoundField, value: unknown): Comparable {
  if (value === null || value === undefined || value === '') return { kind: 'null' };
  switch (categoryOf(field.type)) {
    case 'text':
      return { kind: 'scalar', value: String(value).toLowerCase() };
    case 'id':
      return { kind: 'scalar', value: idKey(String(value)) };
    case 'number':
      return { kind: 'scalar', value: Number(value) };
    case 'boolean':
      return { kind: 'scalar', value: value === true || value === 'true' };
    case 'date':
      return { kind: 'scalar', value: Date.parse(`${String(value).slice(0, 10)}T00:00:00Z`) };
    case 'datetime':
      return { kind: 'scalar', value: parseDateTime(String(value)) };
  }
}

/** Salesforce writes offsets as +0000; Date.parse wants +00:00. */
function parseDateTime(text: string): number {
  return Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

function comparableLiteral(
  field: BoundField,
  literal: Literal,
  valueOffset: number,
  context: EvaluationContext,
): Comparable {
  if (literal.kind === 'null') return { kind: 'null' };
  const category = categoryOf(field.type);
  switch (category) {
    case 'text':
    case 'id':
      if (literal.kind !== 'string') throw typeMismatch(field, 'string', true, valueOffset, context);
      return comparableValue(field, literal.value);
    case 'number':
      if (literal.kind !== 'number') throw typeMismatch(field, field.type === 'int' ? 'integer' : field.type, false, valueOffset, context);
      return { kind: 'scalar', value: literal.value };
    case 'boolean':
      if (literal.kind !== 'boolean') throw typeMismatch(field, 'boolean', false, valueOffset, context);
      return { kind: 'scalar', value: literal.value };
    case 'date':
    case 'datetime': {
      if (literal.kind === 'relativeDate') return relativeRange(literal.name, literal.n ?? 0, context.now);
      if (category === 'date' && literal.kind === 'date') {
        const from = Date.parse(`${literal.value}T00:00:00Z`);
        return { kind: 'range', from, to: from + DAY_MS };
      }
      if (category === 'datetime' && literal.kind === 'datetime') {
        const at = parseDateTime(literal.value);
        return { kind: 'range', from: at, to: at + 1 };
      }
      throw typeMismatch(field, category === 'date' ? 'date' : 'dateTime', false, valueOffset, context);
    }
  }
}

function typeMismatch(
  field: BoundField,
  expectedType: string,
  quoted: boolean,
  valueOffset: number,
  context: EvaluationContext,
) {
  return positionedError(
    'INVALID_FIELD',
    context.statement,
    { offset: valueOffset },
    `value of filter criterion for field '${field.name}' must be of type ${expectedType} and should ` +
      `${quoted ? '' : 'not '}be enclosed in quotes`,
  );
}

/** Relative date literals as UTC day ranges; LAST_N_DAYS:n includes today, NEXT_N_DAYS:n starts tomorrow. */
export function relativeRange(name: string, n: number, now: Date): Comparable {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const days = (from: number, count: number): Comparable => ({
    kind: 'range',
    from: today + from * DAY_MS,
    to: today + (from + count) * DAY_MS,
  });
  const month = (shift: number): Comparable => ({
    kind: 'range',
    from: Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + shift, 1),
    to: Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + shift + 1, 1),
  });
  const year = (shift: number): Comparable => ({
    kind: 'range',
    from: Date.UTC(now.getUTCFullYear() + shift, 0, 1),
    to: Date.UTC(now.getUTCFullYear() + shift + 1, 0, 1),
  });
  const weekStart = -now.getUTCDay(); // weeks start on Sunday, as in the default (en_US) locale
  switch (name) {
    case 'YESTERDAY':
      return days(-1, 1);
    case 'TODAY':
      return days(0, 1);
    case 'TOMORROW':
      return days(1, 1);
    case 'LAST_WEEK':
      return days(weekStart - 7, 7);
    case 'THIS_WEEK':
      return days(weekStart, 7);
    case 'NEXT_WEEK':
      return days(weekStart + 7, 7);
    case 'LAST_MONTH':
      return month(-1);
    case 'THIS_MONTH':
      return month(0);
    case 'NEXT_MONTH':
      return month(1);
    case 'LAST_YEAR':
      return year(-1);
    case 'THIS_YEAR':
      return year(0);
    case 'NEXT_YEAR':
      return year(1);
    case 'LAST_N_DAYS':
      return days(-n, n + 1);
    case 'NEXT_N_DAYS':
      return days(1, n);
    case 'N_DAYS_AGO':
      return days(-n, 1);
    default:
      throw new Error(`unknown relative date ${name}`);
  }
}

/** Sorting is case-insensitive; nulls go first unless NULLS LAST, whatever the direction (Salesforce's rule). */
function compileOrder(
  object: ObjectDescribe,
  items: OrderItem[],
  context: EvaluationContext,
): (a: SalesforceRecord, b: SalesforceRecord) => number {
  const keys = items.map((item) => {
    const field = context.schema.bind(object, item.field);
    if (field.longText) {
      throw positionedError('INVALID_FIELD', context.statement, item.field, `field '${field.name}' can not be sorted in a query call`);
    }
    return { item, field };
  });
  return (a, b) => {
    for (const { item, field } of keys) {
      const left = comparableValue(field, context.schema.read(a, field));
      const right = comparableValue(field, context.schema.read(b, field));
      if (left.kind === 'null' || right.kind === 'null') {
        if (left.kind === right.kind) continue;
        const nullFirst = left.kind === 'null' ? -1 : 1;
        return item.nullsLast ? -nullFirst : nullFirst;
      }
      const result = compare(left, right) ?? 0;
      if (result !== 0) return item.descending ? -result : result;
    }
    return 0;
  };
}

/** Binds selected paths, dropping repeats of the same field however they are cased. */
export function bindFields(object: ObjectDescribe, paths: FieldPath[], context: EvaluationContext): BoundField[] {
  const seen = new Set<string>();
  const fields: BoundField[] = [];
  for (const path of paths) {
    const field = context.schema.bind(object, path);
    const key = [...field.hops.map((hop) => hop.relationshipName), field.name].join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    fields.push(field);
  }
  return fields;
}
