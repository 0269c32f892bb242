import type { FastifyReply } from 'fastify';
import { CtiError } from '../../../errors.ts';

/** Uniform JSON errors for the admin API: `{error, message, details?}`. */
export function sendError(reply: FastifyReply, status: number, error: string, message: string, details?: unknown) {
  return reply.code(status).send({ error, message, ...(details === undefined ? {} : { details }) });
}

export function notFound(reply: FastifyReply, message: string) {
  return sendError(reply, 404, 'NOT_FOUND', message);
}

/** A CtiError thrown by a domain or auth function becomes a 400 (404 for NOT_FOUND) naming its code. */
export function sendCtiError(reply: FastifyReply, error: unknown) {
  if (error instanceof CtiError) return sendError(reply, error.code === 'NOT_FOUND' ? 404 : 400, error.code, error.message);
  throw error;
}
