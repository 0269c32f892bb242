import { CtiError } from '../../errors.ts';
import { AmiClient } from '../../sources/ami/client.ts';
import type { AmiSource } from '../../sources/ami/source.ts';
import type { DialSettings } from '../settings.ts';
import type { AgentProfile } from './profile.ts';

/**
 * Click-to-dial: ring the agent's phone, then the number. The contact center does the calling; ctibridge
 * only asks it to, through whichever adapter the account uses.
 */

export interface DialRequest {
  number: string;
  agent: AgentProfile;
  /** The Salesforce record the agent dialled from, passed on for the call's own events. */
  recordId?: string;
  objectType?: string;
}

export interface DialResult {
  adapter: string;
  /** What the contact center answered (an action id, a call id), when it says. */
  reference: string | null;
  message: string;
}

export interface Dialer {
  readonly kind: string;
  dial(request: DialRequest): Promise<DialResult>;
}

const DIALABLE = /^\+?[0-9*#]{1,32}$/;

/** Salesforce shows numbers as typed ("+39 347 555 0101", "(415) 555-0123"); the PBX wants the digits. */
export function dialableNumber(raw: string): string {
  const number = String(raw ?? '').replace(/[\s().\-/]/g, '');
  if (!DIALABLE.test(number)) {
    throw new CtiError('CTI_INVALID_NUMBER', 'number: a phone number of digits with an optional leading +, * or #', { field: 'number' });
  }
  return number;
}

function needExtension(agent: AgentProfile): string {
  if (!agent.extension) {
    throw new CtiError('CTI_NO_EXTENSION', 'this agent has no phone extension in ctibridge: an admin must add it to the agent (Settings → CTI agents) before click-to-dial can ring their phone', { field: 'extension' });
  }
  return agent.extension;
}

export const noDialer: Dialer = {
  kind: 'none',
  dial() {
    return Promise.reject(new CtiError('CTI_DIAL_NOT_CONFIGURED', 'click-to-dial is not set up: an admin chooses XCALLY Motion or Asterisk AMI in ctibridge (PUT /api/cti/settings, "dial")'));
  },
};

function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(number|extension|agentId|agentEmail|recordId)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
}

/** XCALLY Motion (or any PBX with an HTTP originate API): one request per call. */
export function xcallyDialer(settings: Extract<DialSettings, { kind: 'xcally' }>, env: NodeJS.ProcessEnv = process.env): Dialer {
  return {
    kind: 'xcally',
    async dial(request) {
      const number = dialableNumber(request.number);
      const values = { number, extension: request.agent.extension ?? '', agentId: request.agent.id ?? '', agentEmail: request.agent.email ?? '', recordId: request.recordId ?? '' };
      if (settings.url.includes('{extension}')) needExtension(request.agent);
      const headers: Record<string, string> = { accept: 'application/json' };
      if (settings.authorizationEnv) {
        const authorization = env[settings.authorizationEnv];
        if (!authorization) throw new CtiError('CTI_DIAL_NOT_CONFIGURED', `click-to-dial: the environment variable ${settings.authorizationEnv} (the XCALLY credential) is not set on the ctibridge host`);
        headers.authorization = authorization;
      }
      let body: string | undefined;
      if (settings.method === 'POST') {
        headers['content-type'] = 'application/json';
        body = JSON.stringify({ ...values, agentName: request.agent.name ?? '', objectType: request.objectType ?? '' });
      }
      let response: Response;
      try {
        response = await fetch(fillTemplate(settings.url, values), { method: settings.method, headers, body, signal: AbortSignal.timeout(settings.timeoutMs), redirect: 'error' });
      } catch (error) {
        throw new CtiError('CTI_DIAL_FAILED', `XCALLY did not answer the originate request: ${(error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message}`);
      }
      const text = (await response.text()).slice(0, 2000);
      if (!response.ok) {
        throw new CtiError('CTI_DIAL_FAILED', `XCALLY refused the call (HTTP ${response.status})${response.status === 401 || response.status === 403 ? ': check the credential in ' + (settings.authorizationEnv ?? 'authorizationEnv') : ''}`, { status: response.status });
      }
      let reference: string | null = null;
      try {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const id = parsed.id ?? parsed.uniqueid ?? parsed.callId;
        reference = id === undefined || id === null ? null : String(id);
      } catch {
        // Not JSON: the PBX said OK in its own words; nothing to keep.
      }
      return { adapter: 'xcally', reference, message: 'calling: your phone rings first' };
    },
  };
}

/** The AMI source ctibridge already runs (one long-lived connection): the best way to dial via Asterisk. */
export function amiSourceDialer(source: Pick<AmiSource, 'originate'>): Dialer {
  return {
    kind: 'ami',
    async dial(request) {
      const extension = needExtension(request.agent);
      const number = dialableNumber(request.number);
      const variables: Record<string, string> = {};
      if (request.recordId) variables.CTIBRIDGE_RECORD_ID = request.recordId;
      const result = await source.originate({ extension, number, variables });
      return { adapter: 'ami', reference: result.actionId, message: result.message || 'calling: your phone rings first' };
    },
  };
}

/** AMI without a running source: log in, originate, log off. */
export function amiOnDemandDialer(settings: Extract<DialSettings, { kind: 'ami' }>, env: NodeJS.ProcessEnv = process.env): Dialer {
  return {
    kind: 'ami',
    async dial(request) {
      const extension = needExtension(request.agent);
      const number = dialableNumber(request.number);
      const secret = env[settings.secretEnv];
      if (!secret) throw new CtiError('CTI_DIAL_NOT_CONFIGURED', `click-to-dial: the environment variable ${settings.secretEnv} (the AMI secret) is not set on the ctibridge host`);
      const client = new AmiClient({ host: settings.host, port: settings.port, username: settings.username, secret, connectTimeoutMs: 5000, actionTimeoutMs: 10_000 });
      let timer: NodeJS.Timeout | undefined;
      try {
        const unreachable = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new CtiError('CTI_DIAL_FAILED', `Asterisk at ${settings.host}:${settings.port} did not accept the AMI login in time`)), 8000);
        });
        await Promise.race([client.start(), unreachable]);
        const variables: Record<string, string> = {};
        if (request.recordId) variables.CTIBRIDGE_RECORD_ID = request.recordId;
        const result = await client.originate({
          channel: settings.channelTemplate.replaceAll('{extension}', extension),
          exten: number,
          context: settings.context,
          priority: 1,
          callerId: number,
          timeoutMs: settings.ringTimeoutSec * 1000,
          variables,
        });
        return { adapter: 'ami', reference: result.actionId, message: result.message || 'calling: your phone rings first' };
      } finally {
        clearTimeout(timer);
        await client.close();
      }
    },
  };
}

export function dialerFromSettings(settings: DialSettings, env: NodeJS.ProcessEnv = process.env): Dialer {
  switch (settings.kind) {
    case 'none':
      return noDialer;
    case 'xcally':
      return xcallyDialer(settings, env);
    case 'ami':
      return amiOnDemandDialer(settings, env);
  }
}
