import type { Logger } from 'pino';
import { interactionEventSchema, type InteractionEvent } from '../domain/interaction.ts';
import type { AmiSourceConfig, AmiSourceRepository } from '../sources/ami/config.ts';
import { startAmiSource, type AmiSource, type AmiSourceOptions } from '../sources/ami/source.ts';
import type { IngestResult } from './ingest.ts';

/**
 * Runs the configured AMI sources inside the service: starts the enabled ones at boot, restarts one whose
 * settings changed (on `reload()` after an admin edit, and by polling, so an edit made through another
 * instance on the same database also takes effect), stops removed or disabled ones. Their events go through
 * the same ingest as the webhook, with source name `ami`.
 *
 * Asterisk does not replay events it already sent, so an event the store could not take (database down,
 * failover) is kept in memory and retried with backoff rather than dropped. Events are deduplicated by id
 * (`ami:<linkedid>:<phase>`), so a retry of a batch that did commit, or several instances hearing the same
 * PBX, store each event once.
 */

export interface SourceRunnerDeps {
  repository: AmiSourceRepository;
  ingest: (events: InteractionEvent[], source: string) => Promise<IngestResult>;
  logger: Logger;
  /** Re-read the configuration this often (other instances' edits); 0 = only on reload(). */
  pollMs?: number;
  /** AMI connection timings (tests shorten them). */
  connection?: AmiSourceOptions['connection'];
  /** Backoff between ingest retries while the store refuses. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Events held in memory per source while ingest fails; beyond it the oldest are dropped, loudly. */
  maxBuffered?: number;
}

export interface SourceStatus {
  name: string;
  type: 'ami';
  state: AmiSource['state'];
  trackedCalls: number;
  /** Events heard but not yet stored. */
  buffered: number;
  /** The last ingest failure while events wait, else null. */
  lastError: string | null;
}

export const AMI_SOURCE_NAME = 'ami';
const INGEST_BATCH = 500;

/** Events of one source on their way to the store, in arrival order, one ingest at a time. */
class IngestQueue {
  private readonly pending: InteractionEvent[] = [];
  private draining: Promise<void> | null = null;
  private stopped = false;
  private wakeRetry: (() => void) | null = null;
  lastError: string | null = null;

  constructor(
    private readonly deps: Required<Pick<SourceRunnerDeps, 'ingest' | 'retryBaseMs' | 'retryMaxMs' | 'maxBuffered'>>,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  push(event: InteractionEvent): void {
    this.pending.push(event);
    if (this.pending.length > this.deps.maxBuffered) {
      const dropped = this.pending.splice(0, this.pending.length - this.deps.maxBuffered);
      this.logger.error({ dropped: dropped.length, firstDropped: dropped[0]?.id }, 'AMI events dropped: the store has refused them for too long and the memory buffer is full');
    }
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  private async drain(): Promise<void> {
    let delay = this.deps.retryBaseMs;
    while (this.pending.length > 0) {
      const batch = this.pending.slice(0, INGEST_BATCH);
      try {
        await this.deps.ingest(batch, AMI_SOURCE_NAME);
        this.pending.splice(0, batch.length);
        this.lastError = null;
        delay = this.deps.retryBaseMs;
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        if (this.stopped) return;
        this.logger.warn({ buffered: this.pending.length, retryInMs: delay, reason: this.lastError }, 'AMI events not stored yet; retrying');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wakeRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeRetry = null;
        delay = Math.min(delay * 2, this.deps.retryMaxMs);
      }
    }
  }

  /** Stop retrying after one last attempt. Returns how many events could not be stored. */
  async close(): Promise<number> {
    this.stopped = true;
    this.wakeRetry?.();
    await this.draining;
    return this.pending.length;
  }
}

interface Running {
  signature: string;
  source: AmiSource;
  queue: IngestQueue;
}

export class SourceRunner {
  private readonly running = new Map<string, Running>();
  private pollTimer: NodeJS.Timeout | null = null;
  /** Reloads run one after another: an admin edit and a poll must not start the same source twice. */
  private reloading: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly deps: SourceRunnerDeps) {}

  /** Starts the enabled sources; a source that cannot start is logged, never fatal to the service. */
  async start(): Promise<void> {
    await this.reload().catch((error: unknown) => this.deps.logger.error({ reason: (error as Error).message }, 'AMI sources not started'));
    const pollMs = this.deps.pollMs ?? 0;
    if (pollMs > 0) {
      this.pollTimer = setInterval(() => {
        this.reload().catch((error: unknown) => this.deps.logger.warn({ reason: (error as Error).message }, 'could not re-read the AMI sources'));
      }, pollMs);
      this.pollTimer.unref();
    }
  }

  /** Bring the running sources in line with the stored configuration. */
  reload(): Promise<void> {
    const next = this.reloading.then(() => this.apply());
    this.reloading = next.catch(() => undefined);
    return next;
  }

  status(): SourceStatus[] {
    return [...this.running].map(([name, { source, queue }]) => ({
      name,
      type: 'ami',
      state: source.state,
      trackedCalls: source.trackedCalls,
      buffered: queue.size,
      lastError: queue.lastError,
    }));
  }

  /** A running, logged-in source for click-to-dial: the named one, else the first connected. */
  dialSource(name?: string): AmiSource | undefined {
    const candidates = name ? [this.running.get(name)] : [...this.running.values()];
    return candidates.find((entry) => entry?.source.state === 'connected')?.source;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    await this.reloading;
    await Promise.all([...this.running.keys()].map((name) => this.stopOne(name)));
  }

  private async apply(): Promise<void> {
    if (this.closed) return;
    const wanted = new Map((await this.deps.repository.enabledConfigs()).map((config) => [config.name, config]));
    for (const name of [...this.running.keys()]) {
      const config = wanted.get(name);
      if (!config || signatureOf(config) !== this.running.get(name)?.signature) await this.stopOne(name);
    }
    for (const [name, config] of wanted) if (!this.running.has(name)) this.startOne(config);
  }

  private startOne(config: AmiSourceConfig): void {
    const logger = this.deps.logger.child({ component: 'ami', source: config.name });
    const queue = new IngestQueue(
      {
        ingest: this.deps.ingest,
        retryBaseMs: this.deps.retryBaseMs ?? 200,
        retryMaxMs: this.deps.retryMaxMs ?? 30_000,
        maxBuffered: this.deps.maxBuffered ?? 100_000,
      },
      logger,
    );
    const source = startAmiSource({
      host: config.host,
      port: config.port,
      username: config.username,
      secret: config.secret,
      rules: config.rules,
      originate: config.originate,
      connection: this.deps.connection,
      logger,
      onEvent: (event) => {
        const checked = interactionEventSchema.safeParse(event);
        if (checked.success) queue.push(checked.data);
        else logger.error({ eventId: event.id, problems: checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, 'AMI call produced an invalid interaction event; not stored');
      },
    });
    this.running.set(config.name, { signature: signatureOf(config), source, queue });
    logger.info({ host: config.host, port: config.port }, 'AMI source started');
  }

  private async stopOne(name: string): Promise<void> {
    const entry = this.running.get(name);
    if (!entry) return;
    this.running.delete(name);
    await entry.source.close();
    const lost = await entry.queue.close();
    if (lost > 0) this.deps.logger.error({ source: name, lost }, 'AMI source stopped with events the store would not take');
  }
}

/** What makes a restart necessary: any setting, the secret included (compared in memory only). */
function signatureOf(config: AmiSourceConfig): string {
  const { updatedAt: _updatedAt, ...settings } = config;
  return JSON.stringify(settings);
}
