import { EventEmitter } from 'node:events';
import type { InteractionEvent } from '../domain/interaction.ts';
import type { Job } from '../store/types.ts';

/**
 * In-process fan-out of what just happened, for live views: the CTI softphone (an agent's calls) and the
 * admin UI (deliveries). Durable state is in the store; this only carries news.
 */
export interface LiveEvents {
  event: [InteractionEvent];
  job: [Job, { ok: boolean; result?: Record<string, unknown>; errorCode?: string; message?: string; dead?: boolean }];
}

export class LiveBus extends EventEmitter<LiveEvents> {
  constructor() {
    super();
    // Every open softphone subscribes; hundreds of agents are normal.
    this.setMaxListeners(0);
  }
}
