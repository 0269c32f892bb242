import type { FastifyInstance } from 'fastify';

/**
 * The admin API described by hand (OpenAPI 3.1). Kept next to the routes; a test checks that every route is
 * documented and every documented route exists.
 */

type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const errors = {
  '400': json(ref('Error'), 'Invalid input: `message` names the field and the fix'),
  '401': json(ref('Error'), 'No admin token, API token or UI session'),
  '403': json(ref('Error'), 'Cross-site request, form post, or missing X-CSRF-Token with a UI session'),
  '404': json(ref('Error'), 'Not found'),
};
const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });
const queryParam = (name: string, description: string) => ({ name, in: 'query', required: false, schema: { type: 'string' }, description });
const body = (schema: Schema) => ({ required: true, content: { 'application/json': { schema } } });

function op(summary: string, extra: Record<string, unknown> = {}, ok: Record<string, unknown> = { '200': json({ type: 'object' }) }) {
  return { summary, ...extra, responses: { ...ok, ...errors } };
}

const accountName = pathParam('name', 'Account name');
const triggerId = pathParam('id', 'Trigger id (or name for GET)');

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'ctibridge admin API',
    version: '1',
    description:
      'JSON API behind the admin UI and the CLI. Authenticate with `Authorization: Bearer <admin token>` (CTIBRIDGE_ADMIN_TOKEN or tokens.json), ' +
      'an API token created under Settings, or the UI session cookie plus `X-CSRF-Token` on state-changing requests. Secrets are write-only.',
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer' },
      session: { type: 'apiKey', in: 'cookie', name: 'ctibridge_session' },
    },
    schemas: {
      Error: { type: 'object', required: ['error', 'message'], properties: { error: { type: 'string' }, message: { type: 'string' }, details: {} } },
      Account: {
        type: 'object',
        required: ['name', 'loginUrl', 'auth'],
        properties: {
          name: { type: 'string' },
          loginUrl: { type: 'string', examples: ['https://login.salesforce.com'] },
          apiVersion: { type: 'string', examples: ['62.0'] },
          auth: {
            type: 'object',
            description: 'flow password (clientId, clientSecret, username, password, securityToken), webServer (clientId, clientSecret; refreshToken set by Connect), clientCredentials (clientId, clientSecret), jwtBearer (clientId, username, privateKey). Responses show each secret as {set: boolean}.',
          },
          fallbackOwner: { type: ['string', 'null'] },
          externalIdField: { type: ['string', 'null'] },
          markerField: { type: ['string', 'null'] },
          apiShare: { type: 'number' },
        },
      },
      DoctorReport: {
        type: 'object',
        properties: { ok: { type: 'boolean' }, checks: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, title: { type: 'string' }, status: { type: 'string' }, detail: { type: 'string' }, fix: { type: 'string' } } } } },
      },
      Trigger: { type: 'object', description: 'name, enabled, on[], match, conditions[{field, op, value}], actions[] as in DESIGN.md' },
      Event: { type: 'object', description: 'An interaction event (see POST /ingest/events)' },
      Job: { type: 'object', properties: { id: { type: 'integer' }, key: { type: 'string' }, state: { enum: ['pending', 'leased', 'done', 'dead'] }, result: { type: ['object', 'null'] }, errorCode: { type: ['string', 'null'] }, errorMessage: { type: ['string', 'null'] } } },
      AmiSource: {
        type: 'object',
        required: ['name', 'type', 'host', 'username'],
        description: 'An Asterisk Manager Interface connection (docs/asterisk.md). `secret` is required on create, write-only, stored encrypted; responses show it as {set: boolean} and add `status` {state, trackedCalls, buffered, lastError} of this instance.',
        properties: {
          name: { type: 'string' },
          type: { const: 'ami' },
          host: { type: 'string', examples: ['pbx.example.com'] },
          port: { type: 'integer', default: 5038 },
          username: { type: 'string' },
          secret: { type: 'string', writeOnly: true },
          rules: { type: 'object', description: 'trunkChannelPrefixes, inboundContexts, outboundContexts, internalExtensionPattern, recordingBaseUrl, recordingDirectory, recordingFormat, cdrWaitMs, maxCallIdleHours' },
          originate: { type: 'object', properties: { channelTemplate: { type: 'string' }, context: { type: 'string' }, ringTimeoutSec: { type: 'integer' } } },
          enabled: { type: 'boolean', default: true },
        },
      },
      DryRun: { type: 'object', properties: { matched: { type: 'boolean' }, reason: { type: 'string' }, steps: { type: 'array', items: { type: 'object' } } } },
    },
  },
  security: [{ bearer: [] }, { session: [] }],
  paths: {
    '/api/openapi.json': { get: op('This document') },
    '/api/session': { get: op('Who is calling (admin user, API token or admin token)') },
    '/api/settings': { get: op('Running configuration (secrets masked), storage kind, OAuth callback URL') },
    '/api/admins': { get: op('List admin users'), post: op('Create an admin user', { requestBody: body({ type: 'object', properties: { username: { type: 'string' }, password: { type: 'string', minLength: 10 } } }) }, { '201': json({ type: 'object' }) }) },
    '/api/admins/{username}': { delete: op('Remove an admin user (not the last one)', { parameters: [pathParam('username', 'Admin username')] }, { '204': { description: 'Removed' } }) },
    '/api/admins/{username}/password': { put: op('Set an admin user\'s password', { parameters: [pathParam('username', 'Admin username')], requestBody: body({ type: 'object', properties: { password: { type: 'string' } } }) }) },
    '/api/tokens': { get: op('List API tokens (never their values)'), post: op('Create an API token; its value is shown once', { requestBody: body({ type: 'object', properties: { name: { type: 'string' } } }) }, { '201': json({ type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, token: { type: 'string' } } }) }) },
    '/api/tokens/{id}': { delete: op('Revoke an API token', { parameters: [pathParam('id', 'Token id')] }, { '204': { description: 'Revoked' } }) },
    '/api/accounts': { get: op('List Salesforce accounts', {}, { '200': json({ type: 'array', items: ref('Account') }) }), post: op('Create an account', { requestBody: body(ref('Account')) }, { '201': json(ref('Account')) }) },
    '/api/accounts/{name}': {
      get: op('One account', { parameters: [accountName] }, { '200': json(ref('Account')) }),
      put: op('Update an account; secrets left out or empty keep their stored value', { parameters: [accountName], requestBody: body(ref('Account')) }, { '200': json(ref('Account')) }),
      delete: op('Remove an account', { parameters: [accountName] }, { '204': { description: 'Removed' } }),
    },
    '/api/accounts/{name}/test': { post: op('Test connection: every setup check with its verdict and fix', { parameters: [accountName] }, { '200': json(ref('DoctorReport')) }) },
    '/api/accounts/{name}/connect': { post: op('Start the OAuth web-server flow: returns the Salesforce authorize URL (state and PKCE verifier kept server side); /oauth/callback finishes it', { parameters: [accountName] }, { '200': json({ type: 'object', properties: { authorizeUrl: { type: 'string' }, redirectUri: { type: 'string' }, expiresAt: { type: 'string' } } }) }) },
    '/api/accounts/{name}/describe/{object}': { get: op("The fields of an sObject as the account's org describes them", { parameters: [accountName, pathParam('object', 'sObject API name')] }) },
    '/api/triggers': { get: op('List triggers', {}, { '200': json({ type: 'array', items: ref('Trigger') }) }), post: op('Create a trigger', { requestBody: body(ref('Trigger')) }, { '201': json(ref('Trigger')) }) },
    '/api/triggers/validate': { post: op('Validate a trigger without saving', { requestBody: body(ref('Trigger')) }) },
    '/api/triggers/dry-run': { post: op('Dry-run an unsaved trigger with a sample event (default: the sample event)', { requestBody: body({ type: 'object', properties: { trigger: ref('Trigger'), event: ref('Event') } }) }, { '200': json(ref('DryRun')) }) },
    '/api/triggers/sample-event': { get: op('The sample event used by dry-runs', {}, { '200': json(ref('Event')) }) },
    '/api/triggers/export': { get: op('All triggers as an importable JSON array') },
    '/api/triggers/import': { post: op('Import triggers: all validate or none is saved; same name replaces', { requestBody: body({ type: 'array', items: ref('Trigger') }) }) },
    '/api/triggers/{id}': {
      get: op('One trigger', { parameters: [triggerId] }, { '200': json(ref('Trigger')) }),
      put: op('Replace a trigger', { parameters: [triggerId], requestBody: body(ref('Trigger')) }, { '200': json(ref('Trigger')) }),
      delete: op('Remove a trigger', { parameters: [triggerId] }, { '204': { description: 'Removed' } }),
    },
    '/api/triggers/{id}/enable': { post: op('Switch a trigger on', { parameters: [triggerId] }) },
    '/api/triggers/{id}/disable': { post: op('Switch a trigger off', { parameters: [triggerId] }) },
    '/api/triggers/{id}/dry-run': { post: op('Dry-run a stored trigger with a sample event', { parameters: [triggerId], requestBody: body({ type: 'object', properties: { event: ref('Event') } }) }, { '200': json(ref('DryRun')) }) },
    '/api/events': { get: op('List events', { parameters: ['since', 'until', 'interactionId', 'type', 'phone', 'limit'].map((n) => queryParam(n, n)) }, { '200': json({ type: 'array', items: { type: 'object' } }) }) },
    '/api/jobs': { get: op('List jobs', { parameters: ['state', 'account', 'triggerId', 'eventId', 'interactionId', 'since', 'limit'].map((n) => queryParam(n, n)) }, { '200': json({ type: 'array', items: ref('Job') }) }) },
    '/api/jobs/{id}/retry': { post: op('Retry a dead or pending job now', { parameters: [pathParam('id', 'Job id')] }) },
    '/api/replay': { post: op('Re-plan past events (after fixing a trigger)', { requestBody: body({ type: 'object', required: ['since'], properties: { since: { type: 'string' }, until: { type: 'string' }, trigger: { type: 'string' } } }) }) },
    '/api/deliveries': { get: op('Deliveries log: jobs newest first with their event and the record written (with a link into the org); q finds an interaction id, event id or phone', { parameters: ['q', 'state', 'account', 'trigger', 'since', 'limit'].map((n) => queryParam(n, n)) }) },
    '/api/interactions/{id}': { get: op("One interaction's story: events, jobs, records with links", { parameters: [pathParam('id', 'Interaction id')] }) },
    '/api/agents': { get: op('Agents seen in events with their Salesforce user (automatic by email, manual override)', { parameters: [queryParam('account', 'Account whose users to list')] }) },
    '/api/agents/{email}/override': {
      put: op('Map an agent to a Salesforce User id by hand', { parameters: [pathParam('email', 'Agent email')], requestBody: body({ type: 'object', properties: { userId: { type: 'string' } } }) }),
      delete: op('Remove the manual mapping (back to automatic)', { parameters: [pathParam('email', 'Agent email')] }),
    },
    '/api/sources': {
      get: op('List AMI sources with their connection state on this instance', {}, { '200': json({ type: 'array', items: ref('AmiSource') }) }),
      post: op('Add an AMI source; enabled sources connect at once', { requestBody: body(ref('AmiSource')) }, { '201': json(ref('AmiSource')), '409': json(ref('Error'), 'A source with that name exists') }),
    },
    '/api/sources/{name}': {
      get: op('One AMI source', { parameters: [pathParam('name', 'Source name')] }, { '200': json(ref('AmiSource')) }),
      put: op('Replace an AMI source (a left-out secret keeps the stored one); the source restarts with the new settings', { parameters: [pathParam('name', 'Source name')], requestBody: body(ref('AmiSource')) }, { '200': json(ref('AmiSource')) }),
      delete: op('Remove an AMI source; its connection closes', { parameters: [pathParam('name', 'Source name')] }, { '204': { description: 'Removed' } }),
    },
    '/api/stats': { get: op('Totals: events, jobs by state, accounts with pause and API quota') },
    '/api/stats/series': { get: op('Per-minute events, records and failures', { parameters: [queryParam('minutes', 'Window, 5 to 1440 (default 60)')] }) },
  },
};

export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/openapi.json', async () => openApiDocument);
}
