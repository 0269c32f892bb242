import { z } from 'zod';

/** Loopback hosts are the only ones allowed over plain http (the local emulator, tests). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

export const loginUrlSchema = z
  .string()
  .url('a URL such as https://login.salesforce.com, https://test.salesforce.com or https://NAME.my.salesforce.com')
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  }, 'must use https:// (http:// is allowed only for a local emulator on a loopback address)')
  .transform((value) => value.replace(/\/+$/, ''));

const secret = z.string().min(1);

export const authSchema = z.discriminatedUnion('flow', [
  z.object({
    flow: z.literal('password'),
    clientId: z.string().min(1),
    clientSecret: secret,
    username: z.string().min(1),
    password: secret,
    securityToken: z.string().optional(),
  }),
  z.object({
    flow: z.literal('webServer'),
    clientId: z.string().min(1),
    clientSecret: secret.optional(),
    refreshToken: secret.optional(),
  }),
  z.object({ flow: z.literal('clientCredentials'), clientId: z.string().min(1), clientSecret: secret }),
  z.object({ flow: z.literal('jwtBearer'), clientId: z.string().min(1), username: z.string().min(1), privateKey: secret }),
]);

export const accountSchema = z.object({
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/, 'letters, digits, "-" or "_", starting with a letter'),
  loginUrl: loginUrlSchema,
  apiVersion: z.string().regex(/^\d{2}\.0$/, 'a version such as 62.0').default('62.0'),
  auth: authSchema,
  fallbackOwner: z.string().nullable().default(null),
  externalIdField: z.string().nullable().default(null),
  /** Field that carries ctibridge's idempotency marker on records created without an External ID (Task: CallObject). */
  markerField: z.string().nullable().default(null),
  /** Share of the org's daily API limit that ctibridge may spend. */
  apiShare: z.number().gt(0).lte(1).default(0.2),
});

export type AccountConfig = z.infer<typeof accountSchema>;
export type AuthConfig = z.infer<typeof authSchema>;
export type AuthFlow = AuthConfig['flow'];

/** Field names in `auth` that are secrets: encrypted at rest, never returned, never logged. */
export const SECRET_FIELDS = ['clientSecret', 'password', 'securityToken', 'refreshToken', 'privateKey'] as const;
