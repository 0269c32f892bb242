/** Splits SOQL (and the part of SOSL after the search term) into tokens that remember where they start. */

import { positionedError } from './errors.ts';

export type TokenKind =
  | 'identifier' // Name, Account.Owner.Email, LAST_N_DAYS (keywords are identifiers; the parser decides)
  | 'string' // 'text' with escapes decoded
  | 'number'
  | 'date' // 2026-11-28
  | 'datetime' // 2026-11-28T10:00:00Z
  | 'operator' // = != <> < <= > >=
  | 'punctuation' // ( ) , :
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Decoded value: string contents without quotes, identifier as written, operator symbol. */
  text: string;
  /** Offsets of the token's first character and of the character after it, in the statement. */
  offset: number;
  end: number;
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/;
const OPERATOR = /^(?:!=|<>|<=|>=|=|<|>)/;

/**
 * Escapes SOQL string literals accept. `\%` and `\_` keep their backslash: they only mean something to LIKE,
 * which interprets them itself.
 */
const STRING_ESCAPES: Record<string, string> = {
  "'": "'",
  '"': '"',
  '\\': '\\',
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '%': '\\%',
  _: '\\_',
};

export function tokenize(statement: string, start = 0, end = statement.length): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const ch = statement[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = statement.slice(i, end);
    if (ch === "'") {
      const { value, next } = readString(statement, i, end);
      tokens.push({ kind: 'string', text: value, offset: i, end: next });
      i = next;
      continue;
    }
    const match =
      matchAs('datetime', DATETIME, rest) ??
      matchAs('date', DATE, rest) ??
      matchAs('number', NUMBER, rest) ??
      matchAs('identifier', IDENTIFIER, rest) ??
      matchAs('operator', OPERATOR, rest) ??
      matchAs('punctuation', /^[(),:]/, rest);
    if (!match) {
      throw positionedError('MALFORMED_QUERY', statement, { offset: i }, `unexpected token: '${ch}'`);
    }
    tokens.push({ kind: match.kind, text: match.text, offset: i, end: i + match.text.length });
    i += match.text.length;
  }
  tokens.push({ kind: 'eof', text: '', offset: end, end });
  return tokens;
}

function matchAs(kind: TokenKind, pattern: RegExp, rest: string): { kind: TokenKind; text: string } | undefined {
  const found = pattern.exec(rest);
  return found ? { kind, text: found[0] } : undefined;
}

function readString(statement: string, open: number, end: number): { value: string; next: number } {
  let value = '';
  let i = open + 1;
  while (i < end) {
    const ch = statement[i];
    if (ch === "'") return { value, next: i + 1 };
    if (ch === '\\') {
      const escaped = STRING_ESCAPES[statement[i + 1]];
      if (escaped === undefined) {
        throw positionedError(
          'MALFORMED_QUERY',
          statement,
          { offset: i },
          `Invalid string literal '${statement.slice(open, Math.min(end, i + 2))}'. Illegal character sequence ` +
            `'\\${statement[i + 1] ?? ''}' in string literal.`,
        );
      }
      value += escaped;
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  throw positionedError('MALFORMED_QUERY', statement, { offset: open }, `unexpected token: <EOF>`);
}
