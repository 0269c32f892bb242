/** A record-level failure: in single-record REST it is the whole answer, in collections one record's `errors[]`. */
export class DmlError extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
    this.name = 'DmlError';
  }
}

/** A failure of the whole request (bad JSON, unknown field, unknown object): answered with `status` and one error. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

export interface RestErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

export function restErrorBody(error: DmlError | RequestError): RestErrorBody[] {
  if (error instanceof DmlError) return [{ message: error.message, errorCode: error.statusCode, fields: error.fields }];
  return [{ message: error.message, errorCode: error.errorCode, ...(error.fields ? { fields: error.fields } : {}) }];
}

export const notFound = () => new RequestError(404, 'NOT_FOUND', 'The requested resource does not exist');
