import { z } from 'zod';

/** What `POST /__emulator/faults` accepts; every key is optional and only the given ones change. */
export const faultRequestSchema = z.object({
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  errorRate5xx: z.number().min(0).max(1).optional(),
  lockErrorRate: z.number().min(0).max(1).optional(),
  dropAfterCommit: z.number().int().min(0).optional(),
  down: z.boolean().optional(),
  expireSessions: z.boolean().optional(),
  exhaustQuota: z.boolean().optional(),
  refillQuota: z.boolean().optional(),
}).strict();
export type FaultRequest = z.infer<typeof faultRequestSchema>;

export interface FaultSettings {
  latencyMs: number;
  errorRate5xx: number;
  lockErrorRate: number;
  dropAfterCommit: number;
  down: boolean;
}

/** Injected misbehaviour; rates are probabilities per request (or per record for lock errors). */
export class Faults {
  settings: FaultSettings;

  constructor(baseLatencyMs = 0, private readonly random: () => number = Math.random) {
    this.settings = { latencyMs: baseLatencyMs, errorRate5xx: 0, lockErrorRate: 0, dropAfterCommit: 0, down: false };
  }

  update(patch: Partial<FaultSettings>): void {
    this.settings = { ...this.settings, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
  }

  takeServerError(): boolean {
    return this.settings.errorRate5xx > 0 && this.random() < this.settings.errorRate5xx;
  }

  takeLockFailure(): boolean {
    return this.settings.lockErrorRate > 0 && this.random() < this.settings.lockErrorRate;
  }

  /** True when this committed write must lose its response; counts down the requested number. */
  takeDrop(): boolean {
    if (this.settings.dropAfterCommit <= 0) return false;
    this.settings.dropAfterCommit -= 1;
    return true;
  }
}
