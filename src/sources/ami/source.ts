import type { InteractionEvent } from '../../domain/interaction.ts';
import { CtiError } from '../../errors.ts';
import { AmiCallTracker } from './calls.ts';
import { AmiClient, type AmiClientOptions, type AmiClientState, type AmiLogger, type OriginateResult } from './client.ts';
import type { AmiCallRulesInput } from './rules.ts';

/**
 * The Asterisk source: one AMI connection feeding the call tracker, whose interaction events go to
 * `onEvent` (ingest). Also the click-to-dial edge: `originate` rings the agent's phone, then the number.
 */

export interface AmiOriginateSettings {
  /** The agent's phone; `{extension}` is replaced. FreePBX: `PJSIP/{extension}` or `Local/{extension}@from-internal`. */
  channelTemplate?: string;
  /** Where the number is dialed once the agent answers (an outbound-route context). */
  context?: string;
  /** How long the agent's phone rings before Asterisk gives up. */
  ringTimeoutSec?: number;
}

export interface AmiSourceOptions {
  host: string;
  port?: number;
  username: string;
  secret: string;
  rules?: AmiCallRulesInput;
  originate?: AmiOriginateSettings;
  onEvent: (event: InteractionEvent) => void | Promise<void>;
  logger?: AmiLogger;
  /** Connection timings (keep-alive, reconnect backoff); defaults suit production. */
  connection?: Pick<
    AmiClientOptions,
    'keepAliveIntervalMs' | 'keepAliveTimeoutMs' | 'actionTimeoutMs' | 'connectTimeoutMs' | 'reconnectBaseDelayMs' | 'reconnectMaxDelayMs' | 'random'
  >;
}

export interface ClickToDialRequest {
  /** The agent's extension, e.g. "201". */
  extension: string;
  /** The number to call, as shown in Salesforce ("+39 347 555 0101" is fine: spaces and punctuation are dropped). */
  number: string;
  /** What the agent's phone shows while it rings; default the number being called. */
  callerId?: string;
  /** Channel variables for the dialplan, e.g. the Salesforce record id. */
  variables?: Record<string, string>;
}

export interface AmiSource {
  /** Resolves at the first login; rejects with AMI_AUTH_FAILED (no retry) on wrong credentials. */
  readonly ready: Promise<void>;
  readonly state: AmiClientState;
  readonly trackedCalls: number;
  originate(request: ClickToDialRequest): Promise<OriginateResult>;
  close(): Promise<void>;
}

const EXTENSION = /^[A-Za-z0-9_.-]{1,40}$/;
const DIALABLE = /^\+?[0-9*#]{1,32}$/;

export function startAmiSource(options: AmiSourceOptions): AmiSource {
  const tracker = new AmiCallTracker(options.rules);
  const logger = options.logger;
  const deliver = (events: InteractionEvent[]): void => {
    for (const event of events) {
      // One failing delivery must not stop the AMI stream; ingest owns retries and dedup by event id.
      Promise.resolve()
        .then(() => options.onEvent(event))
        .catch((error: unknown) => {
          logger?.error?.({ eventId: event.id, reason: error instanceof Error ? error.message : String(error) }, 'AMI event delivery failed');
        });
    }
  };

  const client = new AmiClient({
    host: options.host,
    port: options.port ?? 5038,
    username: options.username,
    secret: options.secret,
    logger,
    ...options.connection,
    onEvent: (message, receivedAt) => deliver(tracker.handle(message, receivedAt)),
    onFatal: (error) => logger?.error?.({ code: error.code }, 'AMI source stopped: fix the credentials and restart it'),
  });

  const cdrWaitMs = tracker.rules.cdrWaitMs;
  const tickTimer = setInterval(() => deliver(tracker.tick(new Date())), cdrWaitMs > 0 ? Math.max(250, cdrWaitMs / 2) : 60_000);

  const ready = client.start();
  // Whoever starts the source may not await `ready`; a refused login is already logged and reported via state.
  ready.catch(() => undefined);

  const dial = options.originate ?? {};
  return {
    ready,
    get state() {
      return client.state;
    },
    get trackedCalls() {
      return tracker.size;
    },
    originate(request) {
      const number = String(request.number ?? '').replace(/[\s().\-/]/g, '');
      if (!EXTENSION.test(request.extension ?? '')) {
        return Promise.reject(new CtiError('AMI_INVALID_ACTION', 'extension must be the agent\'s extension, letters and digits only (e.g. "201")', { field: 'extension' }));
      }
      if (!DIALABLE.test(number)) {
        return Promise.reject(new CtiError('AMI_INVALID_ACTION', 'number must be a phone number: digits, an optional leading +, * or #', { field: 'number' }));
      }
      return client.originate({
        channel: (dial.channelTemplate ?? 'PJSIP/{extension}').replaceAll('{extension}', request.extension),
        exten: number,
        context: dial.context ?? 'from-internal',
        priority: 1,
        callerId: request.callerId ?? number,
        timeoutMs: (dial.ringTimeoutSec ?? 30) * 1000,
        variables: request.variables,
      });
    },
    async close() {
      clearInterval(tickTimer);
      await client.close();
    },
  };
}
