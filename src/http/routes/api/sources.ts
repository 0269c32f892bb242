import type { FastifyInstance, FastifyReply } from 'fastify';
import { CtiError } from '../../../errors.ts';
import { publicAmiSource, type AmiSourceRepository, type StoredAmiSource } from '../../../sources/ami/config.ts';
import type { SourceRunner, SourceStatus } from '../../../pipeline/sources.ts';
import { notFound, sendError } from './respond.ts';

/**
 * `/api/sources`: the AMI sources this service listens to. Each change is stored, then applied to the running
 * sources before the response, so a 2xx means the source is (re)started or stopped on this instance; other
 * instances on the same database pick it up at their next poll. Secrets are write-only.
 */

export interface SourcesDeps {
  repository: AmiSourceRepository;
  runner: SourceRunner;
}

const STOPPED = { state: 'stopped', trackedCalls: 0, buffered: 0, lastError: null } as const;

function view(stored: StoredAmiSource, statuses: SourceStatus[]) {
  const running = statuses.find((status) => status.name === stored.name);
  const { state, trackedCalls, buffered, lastError } = running ?? STOPPED;
  return { ...publicAmiSource(stored), status: { state, trackedCalls, buffered, lastError } };
}

function sendSourceError(reply: FastifyReply, error: unknown) {
  if (!(error instanceof CtiError)) throw error;
  if (error.code === 'NOT_FOUND') return notFound(reply, error.message);
  if (error.code === 'SOURCE_EXISTS') return sendError(reply, 409, error.code, error.message);
  return sendError(reply, 400, error.code, error.message, error.details?.errors);
}

export async function sourceRoutes(app: FastifyInstance, { repository, runner }: SourcesDeps): Promise<void> {
  const applied = async () => {
    await runner.reload();
    return runner.status();
  };

  app.get('/api/sources', async () => {
    const statuses = runner.status();
    return (await repository.list()).map((stored) => view(stored, statuses));
  });
  app.get<{ Params: { name: string } }>('/api/sources/:name', async (request, reply) => {
    const stored = await repository.get(request.params.name);
    return stored ? view(stored, runner.status()) : notFound(reply, `no source named "${request.params.name}"`);
  });
  const save = async (body: unknown, reply: FastifyReply, existingName?: string) => {
    try {
      const stored = await repository.save(body, existingName);
      return reply.code(existingName ? 200 : 201).send(view(stored, await applied()));
    } catch (error) {
      return sendSourceError(reply, error);
    }
  };
  app.post('/api/sources', async (request, reply) => save(request.body, reply));
  app.put<{ Params: { name: string } }>('/api/sources/:name', async (request, reply) => save(request.body, reply, request.params.name));
  app.delete<{ Params: { name: string } }>('/api/sources/:name', async (request, reply) => {
    if (!(await repository.remove(request.params.name))) return notFound(reply, `no source named "${request.params.name}"`);
    await applied();
    return reply.code(204).send();
  });
}
