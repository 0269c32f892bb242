import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CtiError } from '../errors.ts';
import type { HttpDeps } from '../http/server.ts';
import { verifyBearer } from '../sources/webhook.ts';
import { AgentDesk, bearerToken, loginDesignates, type AgentNews, type AgentProfile, type Dialer } from './agent/index.ts';
import { callCenterXml } from './callcenter.ts';
import { openCtiScriptUrl, salesforceOrigin } from './origin.ts';
import { loadCtiSettings, saveCtiSettings } from './settings.ts';
import { renderSoftphonePage } from './page/render.ts';

/**
 * HTTP glue of the Open CTI adapter: the page Salesforce frames, its live feed (SSE), the agent's calls
 * (interaction, dial, wrap-up), the pop link, the call-center file, and the admin's agent tokens.
 */

export interface CtiPluginOptions {
  /** A dialer wired in code (e.g. `amiSourceDialer(runningAmiSource)`); else the CTI settings choose. */
  dialer?: Dialer;
  /** How long a wrap-up waits for the Task the worker is still writing. */
  waitForTaskMs?: number;
  /** Keep-alive comment period on the live feed. */
  keepAliveMs?: number;
}

const STATUS_BY_CODE: Record<string, number> = {
  CTI_INVALID_AGENT: 400,
  CTI_INVALID_NUMBER: 400,
  CTI_INVALID_WRAPUP: 400,
  CTI_INVALID_SETTINGS: 400,
  CTI_INVALID_OPTION: 400,
  CTI_INVALID_BASE_URL: 409,
  AMI_INVALID_ACTION: 400,
  CTI_NOT_FOUND: 404,
  CTI_NO_TASK: 404,
  CTI_NO_EXTENSION: 409,
  CTI_TASK_PENDING: 409,
  CTI_NO_ACCOUNT: 409,
  CTI_NO_ORG_URL: 409,
  CTI_DIAL_NOT_CONFIGURED: 501,
  CTI_DIAL_FAILED: 502,
  CTI_LOG_FAILED: 502,
};

function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  if (error instanceof CtiError) {
    const status = STATUS_BY_CODE[error.code] ?? (error.code.startsWith('AMI_') ? 502 : 500);
    const field = typeof error.details?.field === 'string' ? { field: error.details.field } : {};
    return reply.code(status).send({ error: error.code, message: error.message, ...field });
  }
  // Salesforce or network failures: the code helps the agent's admin; details stay in the log.
  const code = (error as { errorCode?: unknown }).errorCode;
  request.log.error({ err: error }, 'CTI request failed');
  return reply.code(502).send({ error: typeof code === 'string' ? code : 'CTI_UPSTREAM_FAILED', message: 'Salesforce or the contact center did not complete the request; see the ctibridge log' });
}

function readAsset(name: string): string {
  return readFileSync(new URL(`./page/${name}`, import.meta.url), 'utf8');
}

export function ctiPlugin(options: CtiPluginOptions = {}) {
  return async function ctiRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
    const desk = new AgentDesk({
      store: deps.store,
      orgs: deps.orgs,
      live: deps.live,
      defaultRegion: deps.config.defaultRegion,
      dialer: options.dialer,
      dialSources: deps.sources.runner,
      waitForTaskMs: options.waitForTaskMs,
    });
    const script = readAsset('softphone.js');
    const styles = readAsset('softphone.css');
    const streams = new Set<() => void>();

    app.addHook('preClose', async () => {
      for (const end of [...streams]) end();
    });

    const requireAgent = async (request: FastifyRequest, reply: FastifyReply): Promise<AgentProfile | null> => {
      const agent = await desk.authenticate(bearerToken(request.headers.authorization));
      if (!agent) {
        await reply.code(401).send({ error: 'UNAUTHORIZED', message: 'sign in to the softphone again: send "Authorization: Bearer <agent token>"' });
        return null;
      }
      return agent;
    };
    const requireAdmin = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
      if (request.isAdmin || verifyBearer(request.headers.authorization, [deps.tokens.admin])) return true;
      await reply.code(401).send({ error: 'UNAUTHORIZED', message: 'send "Authorization: Bearer <admin token>" or log in to the admin UI' });
      return false;
    };

    // The page Salesforce frames, and its assets (no build step).
    app.get<{ Querystring: { sfdcIFrameOrigin?: string } }>('/cti/softphone', async (request, reply) => {
      const given = request.query.sfdcIFrameOrigin;
      const origin = salesforceOrigin(given);
      const frameAncestors = ["'self'", 'https://*.force.com', 'https://*.salesforce.com', 'https://*.salesforce-setup.com', ...(origin && !origin.startsWith('https://') ? [origin] : [])];
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', `default-src 'self'; script-src 'self'${origin ? ` ${origin}` : ''}; connect-src 'self'${origin ? ` ${origin}` : ''}; img-src 'self' data:; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors ${frameAncestors.join(' ')}`);
      return renderSoftphonePage({
        openCtiSrc: origin ? openCtiScriptUrl(origin) : null,
        originProblem: given && !origin ? 'sfdcIFrameOrigin is not a Salesforce domain: Open CTI was not loaded' : null,
      });
    });
    app.get('/cti/softphone.js', async (_request, reply) => reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(script));
    app.get('/cti/softphone.css', async (_request, reply) => reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'no-cache').send(styles));

    // The call-center definition file.
    app.get<{ Querystring: { internalName?: string; displayName?: string } }>('/cti/callcenter.xml', async (request, reply) => {
      try {
        const settings = await loadCtiSettings(deps.store.settings);
        const xml = callCenterXml({
          baseUrl: deps.config.publicUrl ?? `${request.protocol}://${request.host}`,
          internalName: request.query.internalName,
          displayName: request.query.displayName,
          dialSource: options.dialer ? (options.dialer.kind as 'ami' | 'xcally') : settings.dial.kind,
        });
        return reply.header('content-type', 'application/xml; charset=utf-8').header('content-disposition', 'attachment; filename="ctibridge-callcenter.xml"').send(xml);
      } catch (error) {
        if (error instanceof CtiError && error.code === 'CTI_INVALID_BASE_URL') {
          return reply.code(409).send({ error: error.code, message: `${error.message}. Set CTIBRIDGE_PUBLIC_URL to ctibridge's public https URL.` });
        }
        return sendError(request, reply, error);
      }
    });

    // Sign-in: the token is the credential of every later request; this only checks it against the login.
    app.post<{ Body: { login?: unknown; token?: unknown } }>('/cti/session', async (request, reply) => {
      const { login, token } = request.body ?? {};
      if (typeof login !== 'string' || !login.trim()) return reply.code(400).send({ error: 'CTI_INVALID_LOGIN', field: 'login', message: 'login: your agent id, extension or email' });
      if (typeof token !== 'string' || !token.trim()) return reply.code(400).send({ error: 'CTI_INVALID_LOGIN', field: 'token', message: 'token: the agent token your ctibridge admin gave you' });
      const agent = await desk.signIn(login, token.trim());
      if (!agent) return reply.code(401).send({ error: 'UNAUTHORIZED', message: 'that login and token do not match an agent: ask your ctibridge admin for a new token' });
      return { agent };
    });

    app.get('/cti/me', async (request, reply) => {
      const agent = await requireAgent(request, reply);
      return agent ? { agent } : reply;
    });

    // Live news for the signed-in agent (Server-Sent Events; the page reads it with fetch to send its token).
    app.get('/cti/events', async (request, reply) => {
      const agent = await requireAgent(request, reply);
      if (!agent) return reply;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const send = (name: string, data: unknown) => raw.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
      send('hello', { agent });
      const unsubscribe = desk.subscribe(agent, (news: AgentNews) => send(news.kind, news));
      const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), options.keepAliveMs ?? 15_000);
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(keepAlive);
        unsubscribe();
        streams.delete(end);
        raw.end();
      };
      streams.add(end);
      request.raw.on('close', end);
      raw.on('close', end);
    });

    app.get<{ Params: { id: string } }>('/cti/interactions/:id', async (request, reply) => {
      const agent = await requireAgent(request, reply);
      if (!agent) return reply;
      try {
        return await desk.interaction(agent, request.params.id);
      } catch (error) {
        return sendError(request, reply, error);
      }
    });

    app.post<{ Params: { id: string } }>('/cti/interactions/:id/log', async (request, reply) => {
      const agent = await requireAgent(request, reply);
      if (!agent) return reply;
      try {
        return await desk.wrapUp(agent, request.params.id, request.body);
      } catch (error) {
        return sendError(request, reply, error);
      }
    });

    app.post<{ Body: { number?: unknown; agent?: unknown; recordId?: unknown; objectType?: unknown } }>('/cti/dial', async (request, reply) => {
      const agent = await requireAgent(request, reply);
      if (!agent) return reply;
      const body = request.body ?? {};
      if (body.agent !== undefined && (typeof body.agent !== 'string' || !loginDesignates(agent, body.agent))) {
        return reply.code(403).send({ error: 'CTI_WRONG_AGENT', field: 'agent', message: 'agent: you can only dial as yourself (the agent your token belongs to)' });
      }
      try {
        return await desk.dial(agent, body);
      } catch (error) {
        return sendError(request, reply, error);
      }
    });

    // The contact center's "open URL" pop-up, without the softphone.
    app.get<{ Params: { interactionId: string }; Querystring: { account?: string } }>('/cti/pop/:interactionId', async (request, reply) => {
      try {
        const target = await desk.popTarget(request.params.interactionId, request.query.account);
        return reply.header('cache-control', 'no-store').redirect(target.url, 302);
      } catch (error) {
        return sendError(request, reply, error);
      }
    });

    // Admin: agents and their tokens, CTI settings.
    app.get('/api/cti/agents', async (request, reply) => ((await requireAdmin(request, reply)) ? desk.agents.list() : reply));
    app.post('/api/cti/agents', async (request, reply) => {
      if (!(await requireAdmin(request, reply))) return reply;
      try {
        const issued = await desk.agents.issue(request.body);
        return reply.code(201).send({ ...issued, note: 'the token is shown only now: give it to the agent, who signs in to the softphone with it' });
      } catch (error) {
        return sendError(request, reply, error);
      }
    });
    app.delete<{ Params: { key: string } }>('/api/cti/agents/:key', async (request, reply) => {
      if (!(await requireAdmin(request, reply))) return reply;
      return (await desk.agents.revoke(request.params.key)) ? reply.code(204).send() : reply.code(404).send({ error: 'NOT_FOUND', message: `no CTI agent "${request.params.key}"` });
    });
    app.get('/api/cti/settings', async (request, reply) => ((await requireAdmin(request, reply)) ? loadCtiSettings(deps.store.settings) : reply));
    app.put('/api/cti/settings', async (request, reply) => {
      if (!(await requireAdmin(request, reply))) return reply;
      try {
        return await saveCtiSettings(deps.store.settings, request.body);
      } catch (error) {
        return sendError(request, reply, error);
      }
    });
  };
}

/** The plugin with settings-driven dialing, for `app.register(ctiRoutes, deps)`. */
export const ctiRoutes = ctiPlugin();
