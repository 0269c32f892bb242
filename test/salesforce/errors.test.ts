import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyRecordErrors, classifySalesforceError, CONCURRENT_LIMIT_PAUSE_MS, DAILY_LIMIT_PAUSE_MS, SalesforceError, toSalesforceError,
} from '../../src/salesforce/errors.ts';
import { AuthError } from '../../src/salesforce/auth/errors.ts';

/** jsforce 3's HttpApiError, built the way http-api.js builds it: name = errorCode, data = the body entry. */
function jsforceError(entry: { errorCode: string; message: string; fields?: string[] }): Error {
  const error = new Error(entry.message) as Error & { errorCode: string; data: unknown };
  error.name = entry.errorCode;
  error.errorCode = entry.errorCode;
  error.data = entry;
  return error;
}

test('REST error arrays: Salesforce\'s literal bodies', () => {
  const cases: Array<[unknown, string, string]> = [
    [[{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }], 'session', 'INVALID_SESSION_ID'],
    [[{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }], 'quota', 'REQUEST_LIMIT_EXCEEDED'],
    [[{ message: 'unable to obtain exclusive access to this record or 1 records: 001xx000003DGb2AAG', errorCode: 'UNABLE_TO_LOCK_ROW', fields: [] }], 'retryable', 'UNABLE_TO_LOCK_ROW'],
    [[{ message: 'Server is temporarily unavailable. Please try again later.', errorCode: 'SERVER_UNAVAILABLE' }], 'retryable', 'SERVER_UNAVAILABLE'],
    [[{ message: 'Required fields are missing: [LastName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] }], 'permanent', 'REQUIRED_FIELD_MISSING'],
    [[{ message: "No such column 'Foo__c' on sobject of type Contact", errorCode: 'INVALID_FIELD' }], 'permanent', 'INVALID_FIELD'],
    [[{ message: 'Phone must be 10 digits', errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', fields: ['Phone'] }], 'permanent', 'FIELD_CUSTOM_VALIDATION_EXCEPTION'],
    [[{ message: 'Status: bad value for restricted picklist field: Done', errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Status'] }], 'permanent', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'],
    [[{ message: 'Subject: data value too large: xxx (max length=255)', errorCode: 'STRING_TOO_LONG', fields: ['Subject'] }], 'permanent', 'STRING_TOO_LONG'],
    [[{ message: 'Contact ID: id value of incorrect type: 001xx', errorCode: 'MALFORMED_ID', fields: ['WhoId'] }], 'permanent', 'MALFORMED_ID'],
    [[{ message: 'invalid cross reference id', errorCode: 'INVALID_CROSS_REFERENCE_KEY', fields: [] }], 'permanent', 'INVALID_CROSS_REFERENCE_KEY'],
    [[{ message: 'duplicate value found: Interaction_Key__c duplicates value on record with id: a00', errorCode: 'DUPLICATE_VALUE', fields: [] }], 'permanent', 'DUPLICATE_VALUE'],
    [[{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], 'permanent', 'NOT_FOUND'],
    [[{ message: 'API is not enabled for this Organization or Partner', errorCode: 'API_DISABLED_FOR_ORG' }], 'permanent', 'API_DISABLED_FOR_ORG'],
  ];
  for (const [body, kind, code] of cases) {
    const classified = classifySalesforceError(body);
    assert.equal(classified.kind, kind, code);
    assert.equal(classified.errorCode, code);
  }
  assert.deepEqual(classifySalesforceError(cases[4][0]).fields, ['LastName']);
});

test('the same errors as jsforce 3 throws them', () => {
  const session = classifySalesforceError(jsforceError({ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }));
  assert.equal(session.kind, 'session');
  const missing = classifySalesforceError(jsforceError({ errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }));
  assert.deepEqual([missing.kind, missing.fields, missing.message], ['permanent', ['Name'], 'Required fields are missing: [Name]']);

  const several = new Error('Multiple errors returned.') as Error & { errorCode: string; data: unknown };
  several.name = several.errorCode = 'MULTIPLE_API_ERRORS';
  several.data = [
    { errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'no', fields: [] },
    { errorCode: 'UNABLE_TO_LOCK_ROW', message: 'locked', fields: [] },
  ];
  assert.equal(classifySalesforceError(several).kind, 'permanent', 'a permanent entry outweighs a retryable one');

  // Non-JSON bodies: jsforce names them ERROR_HTTP_<status>.
  const html502 = new Error('<html>Bad Gateway</html>') as Error & { errorCode: string };
  html502.name = html502.errorCode = 'ERROR_HTTP_502';
  assert.deepEqual([classifySalesforceError(html502).kind, classifySalesforceError(html502).status], ['retryable', 502]);
  const badToken = new Error('Bad_OAuth_Token') as Error & { errorCode: string };
  badToken.name = badToken.errorCode = 'ERROR_HTTP_403';
  assert.equal(classifySalesforceError(badToken).kind, 'session');
  const multiple = new Error('Multiple records found') as Error & { errorCode: string };
  multiple.name = multiple.errorCode = 'MULTIPLE_CHOICES';
  assert.equal(classifySalesforceError(multiple).kind, 'permanent');
});

test('the concurrent-request limit pauses briefly, the daily limit long', () => {
  const daily = classifySalesforceError([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
  const concurrent = classifySalesforceError([{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
  assert.equal(daily.retryAfterMs, DAILY_LIMIT_PAUSE_MS);
  assert.equal(concurrent.retryAfterMs, CONCURRENT_LIMIT_PAUSE_MS);
  assert.ok(concurrent.retryAfterMs! < daily.retryAfterMs!);
});

test('network failures from node-fetch (jsforce) and undici (fetch) are retryable', () => {
  const nodeFetch = Object.assign(new Error('request to https://x.my.salesforce.com/services/data failed, reason: connect ECONNREFUSED 127.0.0.1:1'), { name: 'FetchError', code: 'ECONNREFUSED', type: 'system' });
  const hangUp = Object.assign(new Error('request to https://x failed, reason: socket hang up'), { name: 'FetchError', code: 'ECONNRESET' });
  const undici = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }) });
  const plain = new Error('socket hang up');
  for (const error of [nodeFetch, hangUp, undici, plain]) assert.equal(classifySalesforceError(error).kind, 'retryable', error.message);
  assert.equal(classifySalesforceError(nodeFetch).errorCode, 'ECONNREFUSED');
  assert.equal(classifySalesforceError(undici).errorCode, 'ETIMEDOUT');
  assert.equal(classifySalesforceError(Object.assign(new Error('aborted'), { name: 'AbortError' })).kind, 'retryable');
});

test('5xx by status is retryable, other 4xx permanent', () => {
  assert.equal(classifySalesforceError({ httpStatusCode: 500, body: [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred.' }] }).kind, 'retryable');
  assert.equal(classifySalesforceError({ httpStatusCode: 503, body: [] }).kind, 'retryable');
  assert.equal(classifySalesforceError({ httpStatusCode: 400, body: [{ errorCode: 'JSON_PARSER_ERROR', message: 'Unexpected character' }] }).kind, 'permanent');
});

test('composite subresponses: the failing one explains, the halted ones may go again', () => {
  const failed = { body: [{ errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Company]', fields: ['Company'] }], httpHeaders: {}, httpStatusCode: 400, referenceId: 'lead' };
  const halted = { body: [{ errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' }], httpHeaders: {}, httpStatusCode: 400, referenceId: 'task' };
  assert.deepEqual([classifySalesforceError(failed).kind, classifySalesforceError(failed).fields], ['permanent', ['Company']]);
  assert.equal(classifySalesforceError(halted).kind, 'retryable');
});

test('collection per-record errors use statusCode', () => {
  const missing = classifyRecordErrors([{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }]);
  assert.deepEqual([missing.kind, missing.errorCode, missing.fields], ['permanent', 'REQUIRED_FIELD_MISSING', ['Name']]);
  assert.match(missing.message, /REQUIRED_FIELD_MISSING: Required fields are missing: \[Name\] \(fields: Name\)/);
  assert.equal(classifyRecordErrors([{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', fields: [] }]).kind, 'retryable');
  assert.equal(classifyRecordErrors([{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }]).kind, 'retryable');
  assert.equal(classifyRecordErrors([{ statusCode: 'DUPLICATE_VALUE', message: 'duplicate value found', fields: [] }]).kind, 'permanent');
});

test('auth failures: refused credentials are session failures, an unreachable login URL is retryable', () => {
  const refused = new AuthError('invalid_grant', 'authentication failure', 400, 'check the security token', 'password');
  assert.deepEqual([classifySalesforceError(refused).kind, classifySalesforceError(refused).errorCode], ['session', 'AUTH_invalid_grant']);
  assert.equal(classifySalesforceError(new AuthError('unreachable', 'x: ECONNREFUSED', null, 'unreachable', 'password')).kind, 'retryable');
});

test('SalesforceError keeps Salesforce\'s code and classifies as its code says', () => {
  const error = toSalesforceError(jsforceError({ errorCode: 'STRING_TOO_LONG', message: 'Subject: data value too large', fields: ['Subject'] }));
  assert.ok(error instanceof SalesforceError);
  assert.equal(error.code, 'STRING_TOO_LONG');
  assert.deepEqual(error.fields, ['Subject']);
  assert.equal(classifySalesforceError(error).kind, 'permanent');
  assert.equal(classifySalesforceError(new SalesforceError('UNABLE_TO_LOCK_ROW', 'locked')).kind, 'retryable');
  assert.equal(classifySalesforceError('weird').kind, 'permanent');
});
