import { classifySalesforceError, classifyRecordErrors } from '../salesforce/errors.ts';
import type { FailureInfo } from './retry.ts';

/** Any thrown error (network, REST error body, auth failure) as the failure class the retry policy reads. */
export function failureOf(error: unknown): FailureInfo {
  const classified = classifySalesforceError(error);
  return {
    kind: classified.kind,
    errorCode: classified.errorCode,
    message: classified.message,
    retryAfterMs: classified.retryAfterMs,
    requestLevel: true,
  };
}

/** The per-record errors of an sObject Collections result. */
export function recordFailure(errors: Array<{ statusCode: string; message: string; fields?: string[] }>): FailureInfo {
  const classified = classifyRecordErrors(errors);
  return { kind: classified.kind, errorCode: classified.errorCode, message: classified.message };
}

export function permanentFailure(errorCode: string, message: string): FailureInfo {
  return { kind: 'permanent', errorCode, message };
}
