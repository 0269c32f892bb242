import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleAdmin } from './admin.ts';
import type { EmuRequest, EmuResponse } from './http-types.ts';
import { json } from './http-types.ts';
import { authorize } from './oauth/authorize.ts';
import { identity, userinfo } from './oauth/identity.ts';
import { revoke, token } from './oauth/token.ts';
import { Org } from './org.ts';
import { handleData } from './rest/gate.ts';
import { DEFAULT_SEED } from './seed/default.ts';
import type { Seed } from './seed/types.ts';
import { StateFile } from './state.ts';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  /** A seed object or a path to a seed JSON file; the default seed otherwise. */
  seed?: Seed | string;
  latencyMs?: number;
  dailyApiLimit?: number;
  /** Idle timeout of access tokens. */
  sessionTtlSec?: number;
  /** Records are loaded from and saved to this JSON file. */
  stateFile?: string;
}

export interface RunningEmulator {
  url: string;
  close(): Promise<void>;
  org: Org;
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(req: IncomingMessage, res: ServerResponse, response: EmuResponse): void {
  if (response.drop) {
    req.socket.destroy();
    return;
  }
  const headers: Record<string, string> = { ...response.headers };
  let body = '';
  if (response.json !== undefined) {
    body = JSON.stringify(response.json);
    headers['Content-Type'] = 'application/json;charset=UTF-8';
  } else if (response.text !== undefined) {
    body = response.text;
    headers['Content-Type'] = response.contentType ?? 'text/plain;charset=UTF-8';
  }
  headers['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(response.status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function route(org: Org, req: EmuRequest, onReset: () => void): EmuResponse {
  const { path } = req;
  if (path.startsWith('/__emulator/')) return handleAdmin(org, req, onReset);
  if (path === '/services/oauth2/token') return token(org, req);
  if (path === '/services/oauth2/authorize') return authorize(org, req);
  if (path === '/services/oauth2/revoke') return revoke(org, req);
  if (path === '/services/oauth2/userinfo') return userinfo(org, req);
  const id = /^\/id\/([^/]+)\/([^/]+)\/?$/.exec(path);
  if (id) return identity(org, req, id[1], id[2]);
  if (path === '/services/data' || path.startsWith('/services/data/')) return handleData(org, req);
  return json(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
}

function loadSeed(seed: Seed | string | undefined): Seed {
  if (typeof seed === 'string') return JSON.parse(readFileSync(seed, 'utf8')) as Seed;
  return structuredClone(seed ?? DEFAULT_SEED);
}

/** Starts an emulated Salesforce org on its own HTTP port (0 = any free port). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const org = new Org(loadSeed(options.seed), {
    dailyApiLimit: options.dailyApiLimit ?? 100_000,
    sessionTtlSec: options.sessionTtlSec ?? 7200,
    latencyMs: options.latencyMs ?? 0,
  });
  const state = options.stateFile ? new StateFile(org, options.stateFile) : undefined;
  state?.load();

  const server = createServer((req, res) => {
    void (async () => {
      let rawBody: string;
      try {
        rawBody = await readBody(req);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          send(req, res, json(413, [{ errorCode: 'REQUEST_ENTITY_TOO_LARGE', message: 'Request body too large' }]));
          return;
        }
        req.socket.destroy();
        return;
      }
      const url = new URL(req.url ?? '/', 'http://emulator.invalid');
      const request: EmuRequest = { method: req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET'), path: url.pathname, query: url.searchParams, headers: req.headers, rawBody };
      const isSalesforcePath = request.path.startsWith('/services/') || request.path.startsWith('/id/');
      if (isSalesforcePath) {
        if (org.faults.settings.down) {
          req.socket.destroy();
          return;
        }
        if (org.faults.settings.latencyMs > 0) await sleep(org.faults.settings.latencyMs);
      }
      let response: EmuResponse;
      try {
        response = route(org, request, () => state?.flush());
      } catch (error) {
        response = json(500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: `An unexpected error occurred: ${(error as Error).message}` }]);
      }
      if (state && request.method !== 'GET' && isSalesforcePath) state.scheduleSave();
      send(req, res, response);
    })();
  });
  // Keep-alive sockets must not hold the process open after close().
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  org.url = url;
  return {
    url,
    org,
    close: () => new Promise<void>((resolve, reject) => {
      state?.flush();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }),
  };
}
