import type { EmuRequest, EmuResponse } from './http-types.ts';
import { json } from './http-types.ts';
import type { Org } from './org.ts';
import { faultRequestSchema } from './faults.ts';

/** `/__emulator/...`: test and benchmark controls that a real org never has. No authentication, by design. */
export function handleAdmin(org: Org, req: EmuRequest, onReset: () => void): EmuResponse {
  const [, , resource, arg] = req.path.split('/');
  if (resource === 'records' && arg && req.method === 'GET') {
    const def = org.schema.get(decodeURIComponent(arg));
    if (!def) return json(404, { error: `Unknown object ${arg}` });
    return json(200, org.store.list(def.name, req.query.get('includeDeleted') === 'true'));
  }
  if (resource === 'counters' && req.method === 'GET') return json(200, org.counters.toJSON());
  if (resource === 'faults' && req.method === 'GET') return json(200, org.faults.settings);
  if (resource === 'faults' && req.method === 'POST') {
    let body: unknown;
    try {
      body = JSON.parse(req.rawBody || '{}');
    } catch {
      return json(400, { error: 'Body must be JSON' });
    }
    const parsed = faultRequestSchema.safeParse(body);
    if (!parsed.success) {
      return json(400, { error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
    }
    const { expireSessions, exhaustQuota, refillQuota, ...settings } = parsed.data;
    org.faults.update(settings);
    if (expireSessions) org.sessions.expireAll();
    if (refillQuota) org.usage.refill();
    if (exhaustQuota) org.usage.exhaust();
    return json(200, { faults: org.faults.settings, apiUsage: { used: org.usage.used(), max: org.usage.max } });
  }
  if (resource === 'reset' && req.method === 'POST') {
    org.reset();
    onReset();
    return json(200, { reset: true });
  }
  if (resource === 'state' && req.method === 'GET') {
    return json(200, {
      org: { id: org.id, name: org.name, url: org.url },
      apiUsage: { used: org.usage.used(), max: org.usage.max },
      faults: org.faults.settings,
      counters: org.counters.toJSON(),
      ...org.snapshot(),
    });
  }
  return json(404, { error: 'Unknown emulator control', available: ['GET records/{Object}', 'GET counters', 'GET|POST faults', 'POST reset', 'GET state'] });
}
