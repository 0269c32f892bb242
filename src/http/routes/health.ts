import type { FastifyInstance } from 'fastify';
import * as metrics from '../../metrics.ts';
import type { HttpDeps } from '../server.ts';

export async function healthRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    try {
      const jobs = await deps.store.jobs.counts();
      return { status: 'ready', database: deps.store.kind, jobs };
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable', message: `database unreachable: ${(error as Error).message}` });
    }
  });

  app.get('/metrics', async (_request, reply) => {
    const counts = await deps.store.jobs.counts();
    for (const [state, count] of Object.entries(counts)) metrics.backlogJobs.set({ state }, count);
    for (const name of (await deps.store.accounts.list()).map((a) => a.config.name)) {
      metrics.accountPaused.set({ account: name }, deps.orgs.pauseOf(name) ? 1 : 0);
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
