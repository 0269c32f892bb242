import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../server.ts';
import { CtiError } from '../../../errors.ts';
import { notFound, sendError } from './respond.ts';

const OBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

/** Field pickers in the trigger editor: the object's fields as the org describes them. */
export async function describeRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  app.get<{ Params: { name: string; object: string } }>('/api/accounts/:name/describe/:object', async (request, reply) => {
    const { name, object } = request.params;
    if (!OBJECT_NAME.test(object)) return sendError(reply, 400, 'INVALID_OBJECT', 'object: an sObject API name such as Task or Call_Log__c');
    const org = await deps.orgs.get(name);
    if (!org) return notFound(reply, `no account named "${name}"`);
    try {
      const fields = await org.api.describeFields(object);
      return { account: name, object, fields: [...fields].sort((a, b) => a.name.localeCompare(b.name)) };
    } catch (error) {
      const code = error instanceof CtiError ? error.code : 'DESCRIBE_FAILED';
      return sendError(reply, 502, code, `describe of ${object} in account "${name}" failed: ${(error as Error).message}`);
    }
  });
}
