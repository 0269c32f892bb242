/** SOQL text → syntax tree. Names stay as written; the evaluator checks them against the describe. */

import { positionedError } from './errors.ts';
import { tokenize, type Token } from './lexer.ts';

export interface FieldPath {
  /** Segments as written: ['Account', 'Owner', 'Email']. */
  segments: string[];
  offset: number;
}

export type SelectItem = { kind: 'field'; field: FieldPath } | { kind: 'count'; offset: number };

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; value: string }
  /** TODAY, LAST_N_DAYS:30, ... resolved against the clock at evaluation time. */
  | { kind: 'relativeDate'; name: string; n?: number };

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE';

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; field: FieldPath; operator: ComparisonOperator; value: Literal; valueOffset: number }
  | { kind: 'in'; field: FieldPath; negated: boolean; values: Literal[]; valueOffset: number };

export interface OrderItem {
  field: FieldPath;
  descending: boolean;
  nullsLast: boolean;
}

/** The parts SOQL and a SOSL RETURNING object share. */
export interface RowSelection {
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}

export interface SoqlQuery extends RowSelection {
  select: SelectItem[];
  from: { name: string; offset: number };
}

/** Relative date literals; the `:n` ones need a number. */
export const RELATIVE_DATES = new Set([
  'YESTERDAY',
  'TODAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_YEAR',
  'THIS_YEAR',
  'NEXT_YEAR',
]);
export const RELATIVE_DATES_WITH_N = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS', 'N_DAYS_AGO', 'N_DAYS_FROM_NOW']);

/** Words that end a field list or condition; a field can't be called one of these without breaking the grammar. */
const CLAUSE_KEYWORDS = new Set(['FROM', 'WHERE', 'ORDER', 'LIMIT', 'OFFSET', 'GROUP', 'HAVING', 'WITH', 'FOR']);

export function parseSoql(statement: string): SoqlQuery {
  const parser = new TokenParser(statement, tokenize(statement));
  const query = parser.parseQuery();
  parser.expectEnd();
  return query;
}

/** A recursive-descent parser over one token list; SOSL reuses its clause methods for RETURNING specs. */
export class TokenParser {
  private position = 0;

  constructor(
    private readonly statement: string,
    private readonly tokens: Token[],
    private readonly errorCode: 'MALFORMED_QUERY' | 'MALFORMED_SEARCH' = 'MALFORMED_QUERY',
  ) {}

  parseQuery(): SoqlQuery {
    this.expectKeyword('SELECT');
    const select = this.parseSelectList();
    this.expectKeyword('FROM');
    const objectToken = this.expectIdentifier();
    const from = { name: objectToken.text, offset: objectToken.offset };
    const query: SoqlQuery = { select, from, ...this.parseRowSelection() };
    this.skipForClause();
    return query;
  }

  /** `FOR VIEW | REFERENCE | UPDATE` tracks views or locks rows; the emulator models neither, so it is a no-op. */
  private skipForClause(): void {
    if (this.acceptKeyword('FOR')) {
      if (!this.acceptKeyword('VIEW') && !this.acceptKeyword('REFERENCE')) this.expectKeyword('UPDATE');
    }
  }

  /** `f1, Rel.f2, COUNT()` */
  parseSelectList(): SelectItem[] {
    const items: SelectItem[] = [];
    do {
      const token = this.peek();
      if (token.kind === 'identifier' && token.text.toUpperCase() === 'COUNT' && this.peek(1).text === '(') {
        this.advance();
        this.expectPunctuation('(');
        this.expectPunctuation(')');
        items.push({ kind: 'count', offset: token.offset });
      } else {
        items.push({ kind: 'field', field: this.parseFieldPath() });
      }
    } while (this.acceptPunctuation(','));
    return items;
  }

  /** `[WHERE ...] [ORDER BY ...] [LIMIT n] [OFFSET n]`, each optional, in that order. */
  parseRowSelection(): RowSelection {
    const selection: RowSelection = { orderBy: [] };
    if (this.acceptKeyword('WHERE')) selection.where = this.parseOr();
    // WITH SECURITY_ENFORCED / USER_MODE / SYSTEM_MODE: the emulator's one user sees everything anyway.
    if (this.acceptKeyword('WITH')) {
      if (!this.acceptKeyword('SECURITY_ENFORCED') && !this.acceptKeyword('USER_MODE')) this.expectKeyword('SYSTEM_MODE');
    }
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      selection.orderBy = this.parseOrderList();
    }
    if (this.acceptKeyword('LIMIT')) selection.limit = this.expectNonNegativeInteger();
    if (this.acceptKeyword('OFFSET')) selection.offset = this.expectNonNegativeInteger();
    return selection;
  }

  parseFieldPath(): FieldPath {
    const token = this.expectIdentifier();
    return { segments: token.text.split('.'), offset: token.offset };
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'eof') this.fail(token);
  }

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.position + ahead, this.tokens.length - 1)];
  }

  acceptKeyword(word: string): boolean {
    const token = this.peek();
    if (token.kind === 'identifier' && token.text.toUpperCase() === word) {
      this.position++;
      return true;
    }
    return false;
  }

  expectKeyword(word: string): Token {
    const token = this.peek();
    if (!this.acceptKeyword(word)) this.fail(token);
    return token;
  }

  acceptPunctuation(symbol: string): boolean {
    const token = this.peek();
    if (token.kind === 'punctuation' && token.text === symbol) {
      this.position++;
      return true;
    }
    return false;
  }

  expectPunctuation(symbol: string): void {
    const token = this.peek();
    if (!this.acceptPunctuation(symbol)) this.fail(token);
  }

  expectIdentifier(): Token {
    const token = this.peek();
    if (token.kind !== 'identifier' || CLAUSE_KEYWORDS.has(token.text.toUpperCase())) this.fail(token);
    this.position++;
    return token;
  }

  expectNonNegativeInteger(): number {
    const token = this.peek();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) this.fail(token);
    this.position++;
    return Number(token.text);
  }

  fail(token: Token): never {
    const shown = token.kind === 'eof' ? '<EOF>' : `'${this.statement.slice(token.offset, token.end)}'`;
    throw positionedError(this.errorCode, this.statement, token, `unexpected token: ${shown}`);
  }

  private advance(): Token {
    return this.tokens[this.position++];
  }

  private parseOrderList(): OrderItem[] {
    const items: OrderItem[] = [];
    do {
      const field = this.parseFieldPath();
      let descending = false;
      if (this.acceptKeyword('DESC')) descending = true;
      else this.acceptKeyword('ASC');
      let nullsLast = false;
      if (this.acceptKeyword('NULLS')) {
        if (this.acceptKeyword('LAST')) nullsLast = true;
        else this.expectKeyword('FIRST');
      }
      items.push({ field, descending, nullsLast });
    } while (this.acceptPunctuation(','));
    return items;
  }

  private parseOr(): Condition {
    let left = this.parseAnd();
    while (this.acceptKeyword('OR')) left = { kind: 'or', left, right: this.parseAnd() };
    return left;
  }

  private parseAnd(): Condition {
    let left = this.parseUnary();
    while (this.acceptKeyword('AND')) left = { kind: 'and', left, right: this.parseUnary() };
    return left;
  }

  private parseUnary(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', operand: this.parseUnary() };
    if (this.acceptPunctuation('(')) {
      const inner = this.parseOr();
      this.expectPunctuation(')');
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): Condition {
    const field = this.parseFieldPath();
    const token = this.peek();
    if (token.kind === 'operator') {
      this.position++;
      const operator = (token.text === '<>' ? '!=' : token.text) as ComparisonOperator;
      const valueOffset = this.peek().offset;
      return { kind: 'compare', field, operator, value: this.parseLiteral(), valueOffset };
    }
    if (this.acceptKeyword('LIKE')) {
      const valueOffset = this.peek().offset;
      return { kind: 'compare', field, operator: 'LIKE', value: this.parseLiteral(), valueOffset };
    }
    const negated = this.acceptKeyword('NOT');
    if (this.acceptKeyword('IN')) {
      const valueOffset = this.peek().offset;
      this.expectPunctuation('(');
      const values: Literal[] = [];
      do values.push(this.parseLiteral());
      while (this.acceptPunctuation(','));
      this.expectPunctuation(')');
      return { kind: 'in', field, negated, values, valueOffset };
    }
    return this.fail(this.peek());
  }

  private parseLiteral(): Literal {
    const token = this.peek();
    switch (token.kind) {
      case 'string':
        this.position++;
        return { kind: 'string', value: token.text };
      case 'number':
        this.position++;
        return { kind: 'number', value: Number(token.text) };
      case 'date':
        this.position++;
        return { kind: 'date', value: token.text };
      case 'datetime':
        this.position++;
        return { kind: 'datetime', value: token.text };
      case 'identifier':
        return this.parseWordLiteral(token);
      default:
        return this.fail(token);
    }
  }

  private parseWordLiteral(token: Token): Literal {
    const word = token.text.toUpperCase();
    if (word === 'NULL' || word === 'TRUE' || word === 'FALSE') {
      this.position++;
      return word === 'NULL' ? { kind: 'null' } : { kind: 'boolean', value: word === 'TRUE' };
    }
    if (RELATIVE_DATES.has(word)) {
      this.position++;
      return { kind: 'relativeDate', name: word };
    }
    if (RELATIVE_DATES_WITH_N.has(word)) {
      this.position++;
      this.expectPunctuation(':');
      return { kind: 'relativeDate', name: word, n: this.expectNonNegativeInteger() };
    }
    return this.fail(token);
  }
}
