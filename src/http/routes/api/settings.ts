import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../server.ts';
import { redactConfig } from '../../../config.ts';

/** Settings page: the running configuration with secrets masked, and where the callback must point. */
export async function settingsRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  app.get('/api/settings', async (request) => {
    const demo = await deps.store.settings.get<unknown>('demo');
    return {
      config: redactConfig(deps.config),
      storage: deps.store.kind,
      demo: demo ?? null,
      oauthCallbackUrl: `${callbackBase(deps.config.publicUrl, request.headers.host)}/oauth/callback`,
    };
  });
}

export function callbackBase(publicUrl: string | undefined, host: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  return `http://${host ?? 'localhost'}`;
}
