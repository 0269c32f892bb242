import type { IncomingHttpHeaders } from 'node:http';

/** A request as the emulator's handlers see it, whether it came over HTTP or from a composite subrequest. */
export interface EmuRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** A handler's answer. `drop` destroys the socket instead of answering (after the work was done). */
export interface EmuResponse {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  contentType?: string;
  drop?: boolean;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): EmuResponse {
  return { status, json: body, ...(headers ? { headers } : {}) };
}

export function html(status: number, body: string): EmuResponse {
  return { status, text: body, contentType: 'text/html;charset=UTF-8' };
}

export function redirect(location: string): EmuResponse {
  return { status: 302, headers: { Location: location } };
}

export const noContent = (): EmuResponse => ({ status: 204 });
