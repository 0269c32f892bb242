import type { FastifyInstance } from 'fastify';
import type { Store } from '../../../store/types.ts';
import { createAdmin, listAdmins, removeAdmin, setAdminPassword } from '../../auth/admins.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../../auth/api-tokens.ts';
import { notFound, sendCtiError } from './respond.ts';

/** Who is signed in, admin users and API tokens. */
export async function adminUserRoutes(app: FastifyInstance, store: Store): Promise<void> {
  app.get('/api/session', async (request) => ({
    actor: request.adminActor ?? null,
    username: request.adminSession?.username ?? null,
    expiresAt: request.adminSession?.expiresAt ?? null,
  }));

  app.get('/api/admins', async () => listAdmins(store));
  app.post<{ Body: { username?: unknown; password?: unknown } }>('/api/admins', async (request, reply) => {
    try {
      return reply.code(201).send(await createAdmin(store, request.body?.username, request.body?.password));
    } catch (error) {
      return sendCtiError(reply, error);
    }
  });
  app.put<{ Params: { username: string }; Body: { password?: unknown } }>('/api/admins/:username/password', async (request, reply) => {
    try {
      await setAdminPassword(store, request.params.username, request.body?.password);
      return { changed: true };
    } catch (error) {
      return sendCtiError(reply, error);
    }
  });
  app.delete<{ Params: { username: string } }>('/api/admins/:username', async (request, reply) => {
    try {
      return (await removeAdmin(store, request.params.username)) ? reply.code(204).send() : notFound(reply, `no admin user "${request.params.username}"`);
    } catch (error) {
      return sendCtiError(reply, error);
    }
  });

  app.get('/api/tokens', async () => listApiTokens(store));
  app.post<{ Body: { name?: unknown } }>('/api/tokens', async (request, reply) => {
    try {
      return reply.code(201).send(await createApiToken(store, request.body?.name, request.adminActor ?? 'unknown'));
    } catch (error) {
      return sendCtiError(reply, error);
    }
  });
  app.delete<{ Params: { id: string } }>('/api/tokens/:id', async (request, reply) =>
    (await revokeApiToken(store, request.params.id)) ? reply.code(204).send() : notFound(reply, `no API token ${request.params.id}`),
  );
}
