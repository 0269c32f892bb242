import { z } from 'zod';
import { CtiError } from '../../errors.ts';
import { decrypt, encrypt, type MasterKey } from '../../store/secrets.ts';
import type { Store } from '../../store/types.ts';
import { describeIssues } from '../webhook.ts';
import { amiCallRulesSchema } from './rules.ts';
import type { AmiOriginateSettings } from './source.ts';

/**
 * AMI sources as the admin configures them (`/api/sources`), kept in the store's settings table under one key
 * so every instance on the same database sees the same list. The manager secret is sealed with AES-256-GCM
 * under the service's master key (the same key as the accounts' secrets), bound to the source's name, and is
 * never returned: the API shows `secret: {set: true}`.
 */

export const SOURCES_SETTING = 'sources';

const NAME = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/, 'letters, digits, "-" or "_", starting with a letter (at most 40)');

const originateSchema = z.object({
  channelTemplate: z.string().includes('{extension}', { message: 'must contain {extension}, e.g. PJSIP/{extension}' }).optional(),
  context: z.string().min(1).max(80).optional(),
  ringTimeoutSec: z.number().int().min(5).max(120).optional(),
});

/** What the admin sends. `secret` may be left out of an update to keep the stored one. */
export const amiSourceInputSchema = z
  .object({
    name: NAME,
    type: z.literal('ami'),
    host: z.string().min(1).max(255).regex(/^[^\s/:]+$/, 'a host name or IP address, without scheme or port (e.g. pbx.example.com)'),
    port: z.number().int().min(1).max(65535).default(5038),
    username: z.string().min(1).max(80),
    secret: z.string().min(1).max(256).optional(),
    /** The call rules as written (defaults are applied when the source starts, so they follow upgrades). */
    rules: z.record(z.string(), z.unknown()).default({}),
    originate: originateSchema.default({}),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((input, ctx) => {
    const rules = amiCallRulesSchema.safeParse(input.rules);
    if (!rules.success) for (const issue of rules.error.issues) ctx.addIssue({ ...issue, path: ['rules', ...issue.path] } as z.core.$ZodRawIssue);
  });

export type AmiSourceInput = z.input<typeof amiSourceInputSchema>;

/** At rest: the input without its secret, plus the sealed secret. */
export interface StoredAmiSource {
  name: string;
  type: 'ami';
  host: string;
  port: number;
  username: string;
  sealedSecret: string;
  rules: Record<string, unknown>;
  originate: AmiOriginateSettings;
  enabled: boolean;
  updatedAt: string;
}

/** What a running source needs: the stored settings with the secret opened. */
export interface AmiSourceConfig extends Omit<StoredAmiSource, 'sealedSecret'> {
  secret: string;
}

export type PublicAmiSource = Omit<StoredAmiSource, 'sealedSecret'> & { secret: { set: boolean } };

const secretContext = (name: string): string => `source:${name}`;

export function publicAmiSource(stored: StoredAmiSource): PublicAmiSource {
  const { sealedSecret, ...rest } = stored;
  return { ...rest, secret: { set: Boolean(sealedSecret) } };
}

export interface AmiSourceRepository {
  list(): Promise<StoredAmiSource[]>;
  get(name: string): Promise<StoredAmiSource | null>;
  /**
   * Create (no `existingName`) or replace the named source. Throws CtiError SOURCE_INVALID (with
   * `details.errors` [{field, message}]), SOURCE_EXISTS, or NOT_FOUND.
   */
  save(input: unknown, existingName?: string): Promise<StoredAmiSource>;
  remove(name: string): Promise<boolean>;
  /** Enabled sources with their secrets opened, for the runner. */
  enabledConfigs(): Promise<AmiSourceConfig[]>;
}

export function amiSourceRepository(settings: Store['settings'], master: MasterKey): AmiSourceRepository {
  const readAll = async (): Promise<StoredAmiSource[]> => (await settings.get<StoredAmiSource[]>(SOURCES_SETTING)) ?? [];

  return {
    list: readAll,
    async get(name) {
      return (await readAll()).find((source) => source.name === name) ?? null;
    },
    async save(input, existingName) {
      const all = await readAll();
      const body = { ...(typeof input === 'object' && input !== null ? input : {}), ...(existingName ? { name: existingName } : {}) } as Record<string, unknown>;
      const parsed = amiSourceInputSchema.safeParse(body);
      if (!parsed.success) {
        const errors = describeIssues(parsed.error.issues, body, 'source');
        throw new CtiError('SOURCE_INVALID', errors.map((e) => e.message).join('; '), { errors });
      }
      const { secret, ...plain } = parsed.data;
      const existing = all.find((source) => source.name === plain.name);
      if (existingName && !existing) throw new CtiError('NOT_FOUND', `no source named "${existingName}"`);
      if (!existingName && existing) throw new CtiError('SOURCE_EXISTS', `a source named "${plain.name}" exists: change it with PUT /api/sources/${plain.name}`);
      // Write-only: an update without a secret keeps the stored one.
      const sealedSecret = secret ? encrypt(master, secret, secretContext(plain.name)) : existing?.sealedSecret;
      if (!sealedSecret) {
        throw new CtiError('SOURCE_INVALID', 'secret: is required: the AMI manager user\'s secret from manager.conf', { errors: [{ field: 'secret', message: 'secret: is required' }] });
      }
      const stored: StoredAmiSource = { ...plain, sealedSecret, updatedAt: new Date().toISOString() };
      await settings.set(SOURCES_SETTING, [...all.filter((source) => source.name !== plain.name), stored]);
      return stored;
    },
    async remove(name) {
      const all = await readAll();
      const rest = all.filter((source) => source.name !== name);
      if (rest.length === all.length) return false;
      await settings.set(SOURCES_SETTING, rest);
      return true;
    },
    async enabledConfigs() {
      return (await readAll())
        .filter((source) => source.enabled)
        .map(({ sealedSecret, ...rest }) => ({ ...rest, secret: decrypt(master, sealedSecret, secretContext(rest.name)) }));
    },
  };
}
