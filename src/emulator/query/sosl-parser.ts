/** SOSL text → syntax tree: the `{...}` search term has its own small grammar; the rest reuses SOQL's clauses. */

import { QueryError } from './errors.ts';
import { tokenize } from './lexer.ts';
import { TokenParser, type FieldPath, type RowSelection } from './soql-parser.ts';

/** A piece of a search word: literal text, or a wildcard (`*` any run, `?` one character). */
export type TermPiece = string | { wildcard: '*' | '?' };

export type SearchTerm =
  | { kind: 'term'; pieces: TermPiece[]; quoted: boolean }
  | { kind: 'and' | 'or' | 'andNot'; left: SearchTerm; right: SearchTerm };

export type SearchScope = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE';

export interface ReturningSpec extends RowSelection {
  object: { name: string; offset: number };
  /** Empty when the spec names no fields: results then carry only Id. */
  fields: FieldPath[];
}

export interface SoslSearch {
  term: SearchTerm;
  scope: SearchScope;
  /** Empty when there is no RETURNING clause. */
  returning: ReturningSpec[];
  limit?: number;
}

const SCOPES = new Set<SearchScope>(['ALL', 'NAME', 'EMAIL', 'PHONE']);
const MISSING_BRACES = 'No search term found. The search term must be enclosed in braces.';

export function parseSosl(statement: string): SoslSearch {
  const opening = /^\s*FIND\s*\{/i.exec(statement);
  if (!opening) throw new QueryError('MALFORMED_SEARCH', MISSING_BRACES);
  const termStart = opening[0].length;
  const termEnd = closingBrace(statement, termStart);
  const term = parseTerm(statement.slice(termStart, termEnd));

  const parser = new TokenParser(statement, tokenize(statement, termEnd + 1), 'MALFORMED_SEARCH');
  let scope: SearchScope = 'ALL';
  if (parser.acceptKeyword('IN')) {
    const word = parser.expectIdentifier();
    const wanted = word.text.toUpperCase();
    // SIDEBAR FIELDS is the UI's search; here it is the same as ALL FIELDS.
    if (wanted !== 'SIDEBAR' && !SCOPES.has(wanted as SearchScope)) parser.fail(word);
    scope = wanted === 'SIDEBAR' ? 'ALL' : (wanted as SearchScope);
    parser.expectKeyword('FIELDS');
  }
  const returning: ReturningSpec[] = [];
  if (parser.acceptKeyword('RETURNING')) {
    do returning.push(parseReturningSpec(parser));
    while (parser.acceptPunctuation(','));
  }
  const search: SoslSearch = { term, scope, returning };
  if (parser.acceptKeyword('LIMIT')) search.limit = parser.expectNonNegativeInteger();
  parser.expectEnd();
  return search;
}

function parseReturningSpec(parser: TokenParser): ReturningSpec {
  const objectToken = parser.expectIdentifier();
  const spec: ReturningSpec = { object: { name: objectToken.text, offset: objectToken.offset }, fields: [], orderBy: [] };
  if (!parser.acceptPunctuation('(')) return spec;
  for (const item of parser.parseSelectList()) {
    if (item.kind === 'count') parser.fail(parser.peek());
    else spec.fields.push(item.field);
  }
  Object.assign(spec, parser.parseRowSelection());
  parser.expectPunctuation(')');
  return spec;
}

/** Index of the `}` closing the term; escaped braces and braces inside quotes don't count. */
function closingBrace(statement: string, from: number): number {
  let quoted = false;
  for (let i = from; i < statement.length; i++) {
    const ch = statement[i];
    if (ch === '\\') i++;
    else if (ch === '"') quoted = !quoted;
    else if (ch === '}' && !quoted) return i;
  }
  throw new QueryError('MALFORMED_SEARCH', MISSING_BRACES);
}

type TermToken =
  | { kind: 'word'; pieces: TermPiece[]; quoted: boolean; plain: string | null }
  | { kind: 'open' }
  | { kind: 'close' };

/**
 * Splits the term into words, "quoted phrases" and parentheses. A backslash makes the next character literal,
 * so reserved characters (`? & | ! { } [ ] ( ) ^ ~ * : \ " ' + -`) can be searched for.
 */
function termTokens(text: string): TermToken[] {
  const tokens: TermToken[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      tokens.push(ch === '(' ? { kind: 'open' } : { kind: 'close' });
      i++;
    } else {
      const quoted = ch === '"';
      const pieces: TermPiece[] = [];
      let escaped = false;
      if (quoted) i++;
      while (i < text.length) {
        const c = text[i];
        if (quoted ? c === '"' : /[\s()"]/.test(c)) break;
        if (c === '\\' && i + 1 < text.length) {
          appendLiteral(pieces, text[i + 1]);
          escaped = true;
          i += 2;
        } else {
          if (c === '*' || c === '?') pieces.push({ wildcard: c });
          else appendLiteral(pieces, c);
          i++;
        }
      }
      if (quoted) {
        if (text[i] !== '"') throw new QueryError('MALFORMED_SEARCH', `Invalid search term: unterminated phrase in {${text}}`);
        i++;
      }
      const plain = !quoted && !escaped && pieces.length === 1 && typeof pieces[0] === 'string' ? pieces[0] : null;
      tokens.push({ kind: 'word', pieces, quoted, plain });
    }
  }
  return tokens;
}

function appendLiteral(pieces: TermPiece[], ch: string): void {
  const last = pieces[pieces.length - 1];
  if (typeof last === 'string') pieces[pieces.length - 1] = last + ch;
  else pieces.push(ch);
}

function isOperator(token: TermToken | undefined, word: string): boolean {
  return token?.kind === 'word' && token.plain?.toUpperCase() === word;
}

/** `a OR b`, `a AND b`, `a AND NOT b`, `a b` (AND), parentheses; OR binds loosest. */
export function parseTerm(text: string): SearchTerm {
  const tokens = termTokens(text);
  let position = 0;
  const malformed = () => new QueryError('MALFORMED_SEARCH', `Invalid search term: {${text}}`);

  const parseOr = (): SearchTerm => {
    let left = parseAnd();
    while (isOperator(tokens[position], 'OR')) {
      position++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): SearchTerm => {
    let left = parseUnit();
    for (;;) {
      const next = tokens[position];
      if (isOperator(next, 'AND')) {
        position++;
        const negated = isOperator(tokens[position], 'NOT');
        if (negated) position++;
        left = { kind: negated ? 'andNot' : 'and', left, right: parseUnit() };
      } else if (next && next.kind !== 'close' && !isOperator(next, 'OR')) {
        left = { kind: 'and', left, right: parseUnit() };
      } else {
        return left;
      }
    }
  };
  const parseUnit = (): SearchTerm => {
    const token = tokens[position++];
    if (!token) throw tokens.length === 0 ? tooShort() : malformed();
    if (token.kind === 'open') {
      const inner = parseOr();
      if (tokens[position++]?.kind !== 'close') throw malformed();
      return inner;
    }
    if (token.kind === 'close') throw malformed();
    const literal = token.pieces.filter((piece) => typeof piece === 'string').join('');
    if (literal.trim().length < 2) throw tooShort();
    return { kind: 'term', pieces: token.pieces, quoted: token.quoted };
  };

  const term = parseOr();
  if (position < tokens.length) throw malformed();
  return term;
}

function tooShort(): QueryError {
  return new QueryError('MALFORMED_SEARCH', 'search term must be longer than one character');
}
