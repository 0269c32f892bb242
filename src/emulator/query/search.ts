/** Runs a parsed SOSL search: which fields each scope reads, how a term matches a value, RETURNING shaping. */

import { bindFields, projectRows, selectRows, type EvaluationContext } from './evaluate.ts';
import { parsedPhonesMatch, parsePhone, phoneBucketKey, phoneDigitForms, type PhoneDigits } from './phone-match.ts';
import type { ReturningSpec, SearchScope, SearchTerm, SoslSearch, TermPiece } from './sosl-parser.ts';
import type { FieldInfo, ObjectDescribe, SalesforceRecord } from './types.ts';

/** Searched when a FIND has no RETURNING clause (those the org describes). */
const DEFAULT_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case'];
/** Salesforce's cap on SOSL rows when no LIMIT is given. */
const DEFAULT_LIMIT = 2000;
const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox']);
/** Parts of compound names, searched by NAME FIELDS besides each object's own name field. */
const NAME_PARTS = new Set(['name', 'firstname', 'lastname', 'middlename', 'suffix']);

/** Stand-ins for wildcards while splitting a term into words; private-use characters never occur in data. */
const ANY_RUN = '\uE000';
const ANY_ONE = '\uE001';

type TermLeaf = Extract<SearchTerm, { kind: 'term' }>;
type RecordMatcher = (record: SalesforceRecord) => boolean;

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
  const values = new ValueCache();
  const results: SalesforceRecord[] = [];
  for (const { spec, object, fields } of plans) {
    const matched = compileTerm(search.term, fieldsInScope(object, search.scope), search.scope, values);
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
      return object.fields.filter((field) => field.nameField === true || NAME_PARTS.has(field.name.toLowerCase()));
    case 'ALL':
      return object.fields.filter((field) => TEXT_TYPES.has(field.type));
  }
}

/** Stored values split into words and phone digits once per search, however many terms look at them. */
class ValueCache {
  private readonly words = new Map<string, string[]>();
  private readonly phones = new Map<string, PhoneDigits>();

  wordsOf(text: string): string[] {
    let found = this.words.get(text);
    if (!found) this.words.set(text, (found = splitWords(text, false)));
    return found;
  }

  phoneOf(text: string): PhoneDigits {
    let found = this.phones.get(text);
    if (!found) this.phones.set(text, (found = parsePhone(text)));
    return found;
  }
}

function compileTerm(term: SearchTerm, fields: FieldInfo[], scope: SearchScope, values: ValueCache): RecordMatcher {
  switch (term.kind) {
    case 'or': {
      // A long OR list of numbers or addresses is the common case: its plain terms share one indexed matcher.
      const alternatives = orAlternatives(term);
      const leaves = alternatives.filter((alternative): alternative is TermLeaf => alternative.kind === 'term');
      const matchers = alternatives
        .filter((alternative) => alternative.kind !== 'term')
        .map((alternative) => compileTerm(alternative, fields, scope, values));
      if (leaves.length > 0) matchers.unshift(compileLeaves(leaves, fields, scope, values));
      return (record) => matchers.some((matches) => matches(record));
    }
    case 'andNot': {
      const left = compileTerm(term.left, fields, scope, values);
      const right = compileTerm(term.right, fields, scope, values);
      return (record) => left(record) && !right(record);
    }
    case 'and': {
      const left = compileTerm(term.left, fields, scope, values);
      const right = compileTerm(term.right, fields, scope, values);
      const spacedNumber = spacedPhoneMatcher(term, fields, values);
      return (record) => (left(record) && right(record)) || spacedNumber(record);
    }
    case 'term':
      return compileLeaves([term], fields, scope, values);
  }
}

function orAlternatives(term: SearchTerm): SearchTerm[] {
  return term.kind === 'or' ? [...orAlternatives(term.left), ...orAlternatives(term.right)] : [term];
}

/** True when any field of the record matches any of the terms. */
function compileLeaves(leaves: TermLeaf[], fields: FieldInfo[], scope: SearchScope, values: ValueCache): RecordMatcher {
  const phoneHit = phoneMatcher(leaves, values);
  const textHit = scope === 'PHONE' ? () => false : wordsMatcher(leaves, values);
  return (record) =>
    fields.some((field) => {
      const value = record[field.name];
      if (value === null || value === undefined || value === '') return false;
      const text = String(value);
      return (field.type === 'phone' && phoneHit(text)) || textHit(text);
    });
}

/**
 * Phone terms: plain ones by Salesforce's loose rule (see phone-match.ts), looked up by bucket; wildcard ones
 * ("347555*") against the stored number's digit forms. Terms with fewer than 2 digits are no phone numbers.
 */
function phoneMatcher(leaves: TermLeaf[], values: ValueCache): (stored: string) => boolean {
  const buckets = new Map<string, PhoneDigits[]>();
  const patterns: RegExp[] = [];
  for (const leaf of leaves) {
    const literal = leaf.pieces.filter((piece) => typeof piece === 'string').join('');
    if (literal.replace(/\D/g, '').length < 2) continue;
    if (leaf.pieces.every((piece) => typeof piece === 'string')) {
      const phone = parsePhone(literal);
      const key = phoneBucketKey(phone);
      buckets.set(key, [...(buckets.get(key) ?? []), phone]);
    } else {
      patterns.push(digitPattern(leaf.pieces));
    }
  }
  return (stored) => {
    const phone = values.phoneOf(stored);
    if (buckets.get(phoneBucketKey(phone))?.some((term) => parsedPhonesMatch(term, phone))) return true;
    return patterns.length > 0 && phoneDigitForms(stored).some((form) => patterns.some((pattern) => pattern.test(form)));
  };
}

function digitPattern(pieces: TermPiece[]): RegExp {
  const source = pieces
    .map((piece) => (typeof piece === 'string' ? piece.replace(/\D/g, '') : piece.wildcard === '*' ? '\\d*' : '\\d'))
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * `FIND {+39 347 555 0101}` splits into four words ANDed together; read together they are one phone number,
 * so a phone field matching the whole sequence counts as a match.
 */
function spacedPhoneMatcher(term: SearchTerm, fields: FieldInfo[], values: ValueCache): RecordMatcher {
  const words = plainWords(term);
  const phoneFields = fields.filter((field) => field.type === 'phone');
  if (!words || phoneFields.length === 0) return () => false;
  const matches = phoneMatcher([{ kind: 'term', pieces: [words.join(' ')], quoted: true }], values);
  return (record) =>
    phoneFields.some((field) => typeof record[field.name] === 'string' && matches(record[field.name] as string));
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

/**
 * Full-text match: value and term are split into words (letters and digits); a term's words must appear
 * consecutively in the value's, case-insensitively, with wildcards matching inside a word. Terms are indexed
 * by their first word when it has no wildcard.
 */
function wordsMatcher(leaves: TermLeaf[], values: ValueCache): (text: string) => boolean {
  const byFirstWord = new Map<string, RegExp[][]>();
  const scanned: RegExp[][] = [];
  for (const leaf of leaves) {
    const termWords = splitWords(leafText(leaf.pieces), true);
    if (termWords.length === 0) continue;
    const patterns = termWords.map(wordPattern);
    const first = termWords[0];
    if (first.includes(ANY_RUN) || first.includes(ANY_ONE)) scanned.push(patterns);
    else byFirstWord.set(first, [...(byFirstWord.get(first) ?? []), patterns]);
  }
  const matchesAt = (have: string[], start: number, wanted: RegExp[]) =>
    start + wanted.length <= have.length && wanted.every((pattern, offset) => pattern.test(have[start + offset]));
  return (text) => {
    const have = values.wordsOf(text);
    for (let start = 0; start < have.length; start++) {
      if (byFirstWord.get(have[start])?.some((wanted) => matchesAt(have, start, wanted))) return true;
      if (scanned.some((wanted) => matchesAt(have, start, wanted))) return true;
    }
    return false;
  };
}

function leafText(pieces: TermPiece[]): string {
  return pieces.map((piece) => (typeof piece === 'string' ? piece : piece.wildcard === '*' ? ANY_RUN : ANY_ONE)).join('');
}

function splitWords(text: string, withWildcards: boolean): string[] {
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
