import net from 'node:net';
import { CtiError } from '../../errors.ts';
import { AmiParser, formatAction, type AmiAction, type AmiMessage } from './protocol.ts';

/**
 * A long-lived Asterisk Manager Interface session over TCP: logs in, hands every event to `onEvent`,
 * answers actions by ActionID, pings to notice a dead peer, and reconnects with backoff when the link drops.
 * A refused login stops it for good: Asterisk logs each failure as a security event (fail2ban bans on them),
 * so retrying a wrong secret would only lock the bridge out.
 */

/** pino-compatible; every method optional so a partial logger (or none) is fine. */
export interface AmiLogger {
  debug?(details: object, message: string): void;
  info?(details: object, message: string): void;
  warn?(details: object, message: string): void;
  error?(details: object, message: string): void;
}

export interface AmiClientOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  /** Ping period on an idle-looking link. */
  keepAliveIntervalMs?: number;
  /** No Pong within this time means the link is dead: drop and reconnect. */
  keepAliveTimeoutMs?: number;
  /** How long an action may wait for its Response. */
  actionTimeoutMs?: number;
  /** TCP connect + banner + login must finish within this time. */
  connectTimeoutMs?: number;
  reconnectBaseDelayMs?: number;
  reconnectMaxDelayMs?: number;
  logger?: AmiLogger;
  /** Source of jitter; tests pass a fixed one. */
  random?: () => number;
  onEvent?: (event: AmiMessage, receivedAt: Date) => void;
  onConnected?: (info: { version: string; connection: number }) => void;
  onDisconnected?: (error: CtiError) => void;
  /** The client gave up (wrong credentials); it will not reconnect on its own. */
  onFatal?: (error: CtiError) => void;
}

export type AmiClientState = 'idle' | 'connecting' | 'connected' | 'waiting' | 'failed' | 'closed';

export interface OriginateRequest {
  /** Who is called first, e.g. `PJSIP/201` or `Local/201@from-internal`. */
  channel: string;
  /** Where that leg goes once answered: the number to dial. */
  exten: string;
  context: string;
  priority?: number;
  callerId?: string;
  /** How long the first leg may ring, in ms. */
  timeoutMs?: number;
  variables?: Record<string, string>;
  account?: string;
}

export interface OriginateResult {
  actionId: string;
  /** Asterisk's words, e.g. "Originate successfully queued". */
  message: string;
}

interface PendingAction {
  resolve: (response: AmiMessage) => void;
  reject: (error: CtiError) => void;
  timer: NodeJS.Timeout;
}

const DEFAULTS = {
  keepAliveIntervalMs: 20_000,
  keepAliveTimeoutMs: 10_000,
  actionTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  reconnectBaseDelayMs: 1_000,
  reconnectMaxDelayMs: 60_000,
};

/** Exponential backoff with jitter in [half, full] of the step so many bridges do not reconnect in lockstep. */
export function reconnectDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

export class AmiClient {
  private readonly options: Required<Omit<AmiClientOptions, 'logger' | 'onEvent' | 'onConnected' | 'onDisconnected' | 'onFatal'>> & AmiClientOptions;
  private socket: net.Socket | undefined;
  private currentState: AmiClientState = 'idle';
  private readonly pending = new Map<string, PendingAction>();
  private actionCounter = 0;
  private connectionCounter = 0;
  private failedAttempts = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private pingInFlight = false;
  /** Ends the current socket, remembering why, so the close handler reports the real cause. */
  private dropCurrent: ((error: CtiError) => void) | undefined;
  private bannerVersion = '';
  private firstLogin: { promise: Promise<void>; resolve: () => void; reject: (e: CtiError) => void } | undefined;
  private closed: Promise<void> | undefined;

  constructor(options: AmiClientOptions) {
    for (const field of ['host', 'username', 'secret'] as const) {
      if (!options[field]) throw new CtiError('AMI_CONFIG', `AMI ${field} is required`, { field });
    }
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      throw new CtiError('AMI_CONFIG', 'AMI port must be a TCP port number (Asterisk uses 5038)', { field: 'port' });
    }
    this.options = { ...DEFAULTS, random: Math.random, ...options };
  }

  get state(): AmiClientState {
    return this.currentState;
  }

  /** The AMI version from the banner of the current (or last) connection, e.g. "7.0.3". */
  get version(): string {
    return this.bannerVersion;
  }

  /**
   * Starts connecting. Resolves at the first successful login; rejects with AMI_AUTH_FAILED on refused
   * credentials. While Asterisk is unreachable it keeps retrying and the promise stays pending.
   */
  start(): Promise<void> {
    if (!this.firstLogin) {
      let resolve!: () => void;
      let reject!: (e: CtiError) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.firstLogin = { promise, resolve, reject };
      this.connect();
    }
    return this.firstLogin.promise;
  }

  /** Sends an action and resolves with its Response (whatever Response: says; callers judge Error). */
  action(fields: AmiAction, timeoutMs = this.options.actionTimeoutMs): Promise<AmiMessage> {
    if (this.currentState !== 'connected') {
      return Promise.reject(new CtiError('AMI_DISCONNECTED', 'not connected to the Asterisk Manager Interface'));
    }
    return this.send(fields, timeoutMs);
  }

  /** Click-to-dial: rings `channel`, then connects it to `exten@context`. Async so it answers at once. */
  async originate(request: OriginateRequest): Promise<OriginateResult> {
    for (const field of ['channel', 'exten', 'context'] as const) {
      if (!request[field]) throw new CtiError('AMI_INVALID_ACTION', `originate needs "${field}"`, { field });
    }
    const fields: AmiAction = [
      ['Action', 'Originate'],
      ['Channel', request.channel],
      ['Exten', request.exten],
      ['Context', request.context],
      ['Priority', String(request.priority ?? 1)],
    ];
    if (request.callerId) fields.push(['CallerID', request.callerId]);
    if (request.timeoutMs) fields.push(['Timeout', String(request.timeoutMs)]);
    if (request.account) fields.push(['Account', request.account]);
    fields.push(['Async', 'true']);
    for (const [name, value] of Object.entries(request.variables ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_()]*$/.test(name)) {
        throw new CtiError('AMI_INVALID_ACTION', `originate variable name "${name}" must be letters, digits or _`, { field: 'variables' });
      }
      fields.push(['Variable', `${name}=${value}`]);
    }
    const response = await this.action(fields);
    if (response.Response !== 'Success') {
      throw new CtiError('AMI_ORIGINATE_FAILED', `Asterisk refused the call: ${response.Message ?? 'no reason given'}`, {
        channel: request.channel,
      });
    }
    return { actionId: response.ActionID, message: response.Message ?? '' };
  }

  /** Logs off and stops reconnecting; pending actions fail with AMI_DISCONNECTED. */
  close(): Promise<void> {
    if (this.closed) return this.closed;
    const wasFailed = this.currentState === 'failed';
    this.currentState = 'closed';
    clearTimeout(this.reconnectTimer);
    this.stopKeepAlive();
    if (!wasFailed) this.firstLogin?.reject(new CtiError('AMI_DISCONNECTED', 'the AMI client was closed before it logged in'));
    const socket = this.socket;
    this.closed = new Promise<void>((resolve) => {
      if (!socket || socket.destroyed) return resolve();
      const fallback = setTimeout(() => socket.destroy(), 1_000);
      socket.once('close', () => {
        clearTimeout(fallback);
        resolve();
      });
      if (socket.writable && socket.readyState === 'open') socket.end(formatAction([['Action', 'Logoff']]));
      else socket.destroy();
    });
    return this.closed;
  }

  private connect(): void {
    if (this.currentState === 'closed' || this.currentState === 'failed') return;
    this.currentState = 'connecting';
    const connection = ++this.connectionCounter;
    const { host, port, logger } = this.options;
    const parser = new AmiParser();
    const socket = net.connect({ host, port });
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.setNoDelay(true);
    let lostBecause: CtiError | undefined;
    const drop = (error: CtiError): void => {
      lostBecause ??= error;
      socket.destroy();
    };
    this.dropCurrent = drop;
    const handshakeTimer = setTimeout(
      () => drop(new CtiError('AMI_TIMEOUT', `no AMI login within ${this.options.connectTimeoutMs} ms from ${host}:${port}`)),
      this.options.connectTimeoutMs,
    );

    socket.on('data', (chunk: string) => {
      let frames;
      try {
        frames = parser.push(chunk);
      } catch (error) {
        return drop(error instanceof CtiError ? error : new CtiError('AMI_PROTOCOL', String(error)));
      }
      const receivedAt = new Date();
      for (const frame of frames) {
        if (frame.kind === 'banner') {
          this.bannerVersion = frame.version;
          this.login(socket, connection, handshakeTimer);
        } else this.dispatch(frame.message, receivedAt);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      lostBecause ??= new CtiError('AMI_DISCONNECTED', `AMI connection to ${host}:${port} failed: ${error.code ?? error.message}`);
    });
    socket.on('close', () => {
      clearTimeout(handshakeTimer);
      this.stopKeepAlive();
      const error = lostBecause ?? new CtiError('AMI_DISCONNECTED', `Asterisk closed the AMI connection ${host}:${port}`);
      for (const [actionId, pending] of this.pending) {
        clearTimeout(pending.timer);
        pending.reject(new CtiError('AMI_DISCONNECTED', 'the AMI connection closed before Asterisk answered', { actionId }));
      }
      this.pending.clear();
      if (this.socket === socket) this.socket = undefined;
      if (this.currentState === 'closed' || this.currentState === 'failed') return;
      const wasConnected = this.currentState === 'connected';
      if (wasConnected) this.options.onDisconnected?.(error);
      this.failedAttempts++;
      const delayMs = reconnectDelayMs(
        this.failedAttempts,
        this.options.reconnectBaseDelayMs,
        this.options.reconnectMaxDelayMs,
        this.options.random,
      );
      this.currentState = 'waiting';
      logger?.warn?.({ host, port, code: error.code, reason: error.message, delayMs, attempt: this.failedAttempts }, 'AMI connection lost; reconnecting');
      this.reconnectTimer = setTimeout(() => this.connect(), delayMs);
    });
  }

  private login(socket: net.Socket, connection: number, handshakeTimer: NodeJS.Timeout): void {
    const { host, port, username, logger } = this.options;
    // The Login action carries the secret: it goes to the socket only, never to a log line or an error.
    this.send(
      [
        ['Action', 'Login'],
        ['Username', username],
        ['Secret', this.options.secret],
        ['Events', 'on'],
      ],
      this.options.connectTimeoutMs,
    ).then(
      (response) => {
        clearTimeout(handshakeTimer);
        if (this.socket !== socket || this.currentState !== 'connecting') return;
        if (response.Response !== 'Success') return this.fail(response.Message);
        this.currentState = 'connected';
        this.failedAttempts = 0;
        logger?.info?.({ host, port, username, version: this.bannerVersion, connection }, 'AMI logged in');
        this.startKeepAlive(socket);
        this.firstLogin?.resolve();
        this.options.onConnected?.({ version: this.bannerVersion, connection });
      },
      () => undefined, // a lost socket during login is handled by the close handler
    );
  }

  private fail(asteriskMessage: string | undefined): void {
    const { host, port, username, logger } = this.options;
    const error = new CtiError(
      'AMI_AUTH_FAILED',
      `${asteriskMessage || 'Authentication failed'}: check the AMI username and secret (manager.conf) and the permit/deny ACL for this host`,
      { host, port, username },
    );
    this.currentState = 'failed';
    logger?.error?.({ host, port, username, code: error.code }, error.message);
    this.dropCurrent?.(error);
    this.firstLogin?.reject(error);
    this.options.onFatal?.(error);
  }

  private send(fields: AmiAction, timeoutMs: number): Promise<AmiMessage> {
    const socket = this.socket;
    if (!socket || socket.destroyed) {
      return Promise.reject(new CtiError('AMI_DISCONNECTED', 'not connected to the Asterisk Manager Interface'));
    }
    const actionId = `ctib-${++this.actionCounter}`;
    let text: string;
    try {
      text = formatAction([...fields.slice(0, 1), ['ActionID', actionId], ...fields.slice(1)]);
    } catch (error) {
      return Promise.reject(error);
    }
    const actionName = fields[0]?.[1];
    return new Promise<AmiMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(actionId);
        reject(new CtiError('AMI_TIMEOUT', `Asterisk did not answer ${actionName} within ${timeoutMs} ms`, { actionId }));
      }, timeoutMs);
      this.pending.set(actionId, { resolve, reject, timer });
      socket.write(text);
    });
  }

  private dispatch(message: AmiMessage, receivedAt: Date): void {
    if (message.Response !== undefined && message.Event === undefined) {
      const pending = message.ActionID === undefined ? undefined : this.pending.get(message.ActionID);
      if (pending) {
        this.pending.delete(message.ActionID);
        clearTimeout(pending.timer);
        pending.resolve(message);
      }
      return;
    }
    if (message.Event !== undefined && this.currentState === 'connected') this.options.onEvent?.(message, receivedAt);
  }

  private startKeepAlive(socket: net.Socket): void {
    this.stopKeepAlive();
    this.keepAliveTimer = setInterval(() => {
      if (this.pingInFlight || this.socket !== socket) return;
      this.pingInFlight = true;
      this.send([['Action', 'Ping']], this.options.keepAliveTimeoutMs)
        .catch((error: CtiError) => {
          if (error.code !== 'AMI_TIMEOUT' || this.socket !== socket) return;
          this.dropCurrent?.(new CtiError('AMI_TIMEOUT', `no Pong within ${this.options.keepAliveTimeoutMs} ms: the AMI link is dead`));
        })
        .finally(() => {
          this.pingInFlight = false;
        });
    }, this.options.keepAliveIntervalMs);
  }

  private stopKeepAlive(): void {
    clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
    this.pingInFlight = false;
  }
}
