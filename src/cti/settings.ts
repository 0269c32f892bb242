import { z } from 'zod';
import { CtiError } from '../errors.ts';
import type { Store } from '../store/types.ts';

/**
 * The softphone's settings, kept in the store's settings table (key `cti.settings`) and edited through
 * `/api/cti/settings`. Secrets are never stored here: a dial adapter names the environment variable that
 * holds its credential, so the settings table and its API can be shown to any admin.
 */

const ENV_NAME = z.string().regex(/^[A-Z_][A-Z0-9_]{0,63}$/, 'the name of an environment variable, e.g. CTIBRIDGE_XCALLY_AUTH');

export const dialSettingsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('xcally'),
    /** Originate URL; {number} {extension} {agentId} {agentEmail} {recordId} are filled in (URL-encoded). */
    url: z
      .string()
      .url('a URL such as https://motion.example.com/api/originate/{number}')
      .refine((u) => /^https?:\/\//.test(u), 'an http(s) URL'),
    method: z.enum(['GET', 'POST']).default('POST'),
    /** Environment variable holding the whole Authorization header value (e.g. "Basic …" or "Bearer …"). */
    authorizationEnv: ENV_NAME.optional(),
    timeoutMs: z.number().int().min(500).max(60_000).default(10_000),
  }),
  z.object({
    kind: z.literal('ami'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(5038),
    username: z.string().min(1),
    /** Environment variable holding the AMI secret. */
    secretEnv: ENV_NAME,
    channelTemplate: z.string().includes('{extension}', { message: 'must contain {extension}, e.g. PJSIP/{extension}' }).default('PJSIP/{extension}'),
    context: z.string().min(1).default('from-internal'),
    ringTimeoutSec: z.number().int().min(5).max(120).default(30),
  }),
]);

export const ctiSettingsSchema = z.object({
  dial: dialSettingsSchema.default({ kind: 'none' }),
  /**
   * Lightning base URL per ctibridge account (https://NAME.lightning.force.com), for pop links. Without one,
   * a My Domain login URL is used.
   */
  orgUrls: z.record(z.string(), z.string().url()).default({}),
});

export type DialSettings = z.infer<typeof dialSettingsSchema>;
export type CtiSettings = z.infer<typeof ctiSettingsSchema>;

const SETTINGS_KEY = 'cti.settings';

export function parseCtiSettings(input: unknown): CtiSettings {
  const parsed = ctiSettingsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'settings';
    throw new CtiError('CTI_INVALID_SETTINGS', `${field}: ${issue.message}`, { field });
  }
  return parsed.data;
}

export async function loadCtiSettings(settings: Store['settings']): Promise<CtiSettings> {
  return parseCtiSettings(await settings.get<unknown>(SETTINGS_KEY));
}

export async function saveCtiSettings(settings: Store['settings'], input: unknown): Promise<CtiSettings> {
  const parsed = parseCtiSettings(input);
  await settings.set(SETTINGS_KEY, parsed);
  return parsed;
}
