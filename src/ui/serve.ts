import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The admin UI: plain HTML, JS modules and CSS from this folder, no build step. Everything is same-origin
 * (the Content-Security-Policy allows nothing else), so the pages work on a closed network.
 */

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const ASSET = /^[a-z0-9-]+(?:\/[a-z0-9-]+)*\.(?:js|css|svg)$/;

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

async function sendFile(reply: FastifyReply, relative: string) {
  const type = TYPES[path.extname(relative)];
  const body = await readFile(path.join(ROOT, relative));
  return reply.headers(SECURITY_HEADERS).header('content-type', type).header('cache-control', 'no-cache').send(body);
}

export async function adminUiRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (_request, reply) => sendFile(reply, 'index.html'));
  app.get<{ Params: { '*': string } }>('/ui/*', async (request, reply) => {
    const asset = request.params['*'];
    if (!ASSET.test(asset)) return reply.code(404).send({ error: 'NOT_FOUND', message: 'no such UI file' });
    try {
      return await sendFile(reply, asset);
    } catch {
      return reply.code(404).send({ error: 'NOT_FOUND', message: 'no such UI file' });
    }
  });
}
