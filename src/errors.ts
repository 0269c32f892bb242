/** An error as a value: a stable machine `code`, a message for people, and optional structured details. */
export class CtiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CtiError';
  }
}
