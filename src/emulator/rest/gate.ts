import { bearerToken } from '../auth.ts';
import type { EmuRequest, EmuResponse } from '../http-types.ts';
import { json } from '../http-types.ts';
import type { Org } from '../org.ts';
import { classify, dispatch, versions } from './router.ts';

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * Everything under `/services/data`: session check, API permission, daily quota, usage header, injected
 * server errors and dropped responses, then the route itself.
 */
export function handleData(org: Org, req: EmuRequest): EmuResponse {
  if (req.path === '/services/data' || req.path === '/services/data/') return versions();
  const tokenValue = bearerToken(req);
  const session = tokenValue ? org.sessions.use(tokenValue) : undefined;
  if (!session) return json(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  if (org.credentialsById(session.userId)?.apiEnabled === false) {
    return json(403, [{ message: 'API is not enabled for this Organization or Partner', errorCode: 'API_DISABLED_FOR_ORG' }]);
  }
  const usageHeader = () => ({ 'Sforce-Limit-Info': `api-usage=${org.usage.used()}/${org.usage.max}` });
  if (org.usage.exhausted()) {
    return json(403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }], usageHeader());
  }
  org.usage.record();
  const { endpoint, kind } = classify(req);
  org.counters.count(endpoint, kind);
  if (org.faults.takeServerError()) {
    return json(503, [{ message: 'Server is temporarily unavailable. Please try again later.', errorCode: 'SERVER_UNAVAILABLE' }], usageHeader());
  }
  const response = dispatch({ org, userId: session.userId, version: '' }, req);
  response.headers = { ...response.headers, ...usageHeader() };
  if (WRITE_METHODS.has(req.method) && response.status < 500 && org.faults.takeDrop()) response.drop = true;
  return response;
}
