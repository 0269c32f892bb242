/** Runs a parsed SOSL search: which fields each scope reads, how a term matches a value, RETURNING shaping. */

import { bindFields, projectRows, selectRows, type EvaluationContext } from './evaluate.ts';
import { phoneDigitForms, phoneNumbersMatch } from './phone-match.ts';
import type { ReturningSpec, SearchScope, SearchTerm, SoslSearch, TermPiece } from './sosl-parser.ts';
import type { FieldInfo, ObjectDescribe, SalesforceRecord } from './types.ts';

/** Searched when a FIND has no RETURNING clause (those the org describes). */
const DEFAULT_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case'];
/** Salesforce's cap on SOSL rows when no LIMIT is given. */
const DEFAULT_LIMIT = 2000;
const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox']);
const NAME_FIELDS = new Set(['name', 'firstname', 'lastname', 'middlename', 'suffix']);

/** Stand-ins for wildcards while splitting a term into tokens; private-use characters never occur in data. */
const ANY_RUN = '\uE000';
const ANY_ONE = '\uE001';

export function runSearch(search: SoslSearch, context: EvaluationContext): SalesforceRecord[] {
  const specs: ReturningSpec[] =
    search.returning.length > 0
      ? search.returning
      : DEFAULT_OBJECTS.filter((name) => context.schema.findObject(name)).map((name) => ({
          object: { name, offset: 0 },
          fields: [],
          orderBy: [],
        }));
  // Bind everything first so a bad name fails the search even when nothing would match.
  const plans = specs.map((spec) => {
    const object = context.schema.object(spec.object.name, spec.object.offset);
    const paths = spec.fields.length > 0 ? spec.fields : [{ segments: ['Id'], offset: spec.object.offset }];
    return { spec, object, fields: bindFields(object, paths, context) };
  });
  const results: SalesforceRecord[] = [];
  for (const { spec, object, fields } of plans) {
    const searchable = fieldsInScope(object, search.scope);
    const matched = (record: SalesforceRecord) => termMatches(search.term, record, searchable, search.scope);
    results.push(...projectRows(object, fields, selectRows(object, spec, context, matched), context));
  }
  return results.slice(0, search.limit ?? DEFAULT_LIMIT);
}

function fieldsInScope(object: ObjectDescribe, scope: SearchScope): FieldInfo[] {
  switch (scope) {
    case 'PHONE':
      return object.fields.filter((field) => field.type === 'phone');
    case 'EMAIL':
      return object.fields.filter((field) => field.type === 'email');
    case 'NAME':
      return object.fields.filter((field) => NAME_FIELDS.has(field.name.toLowerCase()));
    case 'ALL':
      return object.fields.filter((field) => TEXT_TYPES.has(field.type));
  }
}

function termMatches(term: SearchTerm, record: SalesforceRecord, fields: FieldInfo[], scope: SearchScope): boolean {
  switch (term.kind) {
    case 'or':
      return termMatches(term.left, record, fields, scope) || termMatches(term.right, record, fields, scope);
    case 'andNot':
      return termMatches(term.left, record, fields, scope) && !termMatches(term.right, record, fields, scope);
    case 'and':
      return (
        (termMatches(term.left, record, fields, scope) && termMatches(term.right, record, fields, scope)) ||
        spacedPhoneMatches(term, record, fields)
      );
    case 'term':
      return fields.some((field) => valueMatches(term.pieces, record[field.name], field, scope));
  }
}

/**
 * `FIND {+39 347 555 0101}` splits into four words ANDed together; read together they are one phone number,
 * so a phone field matching the whole sequence counts as a match.
 */
function spacedPhoneMatches(term: SearchTerm, record: SalesforceRecord, fields: FieldInfo[]): boolean {
  const words = plainWords(term);
  if (!words) return false;
  const number = words.join(' ');
  return fields.some(
    (field) => field.type === 'phone' && typeof record[field.name] === 'string' && phoneNumbersMatch(number, record[field.name] as string),
  );
}

function plainWords(term: SearchTerm): string[] | undefined {
  if (term.kind === 'term') {
    return term.pieces.every((piece) => typeof piece === 'string') ? [term.pieces.join('')] : undefined;
  }
  if (term.kind !== 'and') return undefined;
  const left = plainWords(term.left);
  const right = plainWords(term.right);
  return left && right ? [...left, ...right] : undefined;
}

function valueMatches(pieces: TermPiece[], value: unknown, field: FieldInfo, scope: SearchScope): boolean {
  if (value === null || value === undefined || value === '') return false;
  const text = String(value);
  if (field.type === 'phone') {
    if (phoneTermMatches(pieces, text)) return true;
    if (scope === 'PHONE') return false;
  }
  return tokensMatch(pieces, text);
}

function phoneTermMatches(pieces: TermPiece[], stored: string): boolean {
  if (pieces.every((piece) => typeof piece === 'string')) return phoneNumbersMatch(pieces.join(''), stored);
  // A wildcard word with (almost) no digits, like "Giu*", is not a phone number.
  const digitCount = pieces.reduce((count, piece) => count + (typeof piece === 'string' ? piece.replace(/\D/g, '').length : 0), 0);
  if (digitCount < 2) return false;
  const digitsPattern = pieces
    .map((piece) => (typeof piece === 'string' ? piece.replace(/\D/g, '') : piece.wildcard === '*' ? '\\d*' : '\\d'))
    .join('');
  const pattern = new RegExp(`^${digitsPattern}$`);
  return phoneDigitForms(stored).some((form) => pattern.test(form));
}

/**
 * Full-text match: the value and the term are split into words (letters and digits); the term's words must
 * appear consecutively in the value's, case-insensitively, with wildcards matching inside a word.
 */
function tokensMatch(pieces: TermPiece[], text: string): boolean {
  const termText = pieces
    .map((piece) => (typeof piece === 'string' ? piece : piece.wildcard === '*' ? ANY_RUN : ANY_ONE))
    .join('');
  const wanted = words(termText, true).map(wordPattern);
  if (wanted.length === 0) return false;
  const have = words(text, false);
  for (let start = 0; start + wanted.length <= have.length; start++) {
    if (wanted.every((pattern, offset) => pattern.test(have[start + offset]))) return true;
  }
  return false;
}

function words(text: string, withWildcards: boolean): string[] {
  const separator = withWildcards ? /[^\p{L}\p{N}\uE000\uE001]+/u : /[^\p{L}\p{N}]+/u;
  return text
    .toLowerCase()
    .split(separator)
    .filter((word) => word !== '');
}

function wordPattern(word: string): RegExp {
  const source = [...word]
    .map((ch) => (ch === ANY_RUN ? '.*' : ch === ANY_ONE ? '.' : ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'u');
}
