/** Query failures carrying Salesforce's errorCode, so the emulator can answer `[{message, errorCode}]`. */

export type QueryErrorCode = 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE' | 'MALFORMED_SEARCH';

export class QueryError extends Error {
  constructor(
    readonly errorCode: QueryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

/** Where in the statement an error points; offsets are 0-based into the full statement text. */
export interface SourcePosition {
  offset: number;
}

/**
 * Salesforce prefixes query errors with the statement, a caret under the culprit and its row and column:
 * "\nSELECT Foo FROM Contact\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo' ...".
 */
export function positionedError(
  code: QueryErrorCode,
  statement: string,
  at: SourcePosition,
  detail: string,
): QueryError {
  const before = statement.slice(0, at.offset);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = at.offset - lineStart + 1;
  const lineEnd = statement.indexOf('\n', at.offset);
  const line = statement.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const caret = ' '.repeat(column - 1) + '^';
  return new QueryError(code, `\n${line}\n${caret}\nERROR at Row:${row}:Column:${column}\n${detail}`);
}

export function unsupportedObject(name: string): string {
  return (
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append ` +
    `the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
  );
}

export function noSuchColumn(field: string, entity: string): string {
  return (
    `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to ` +
    `append the '__c' after the custom field name. Please reference your WSDL or the describe call for the ` +
    `appropriate names.`
  );
}

export function noSuchRelation(relation: string): string {
  return (
    `Didn't understand relationship '${relation}' in field path. If you are attempting to use a custom ` +
    `relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL ` +
    `or the describe call for the appropriate names.`
  );
}
