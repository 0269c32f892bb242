import { z } from 'zod';
import { CtiError } from '../../errors.ts';

/**
 * How an operator's dialplan maps onto interaction fields: which calls are inbound, which are the
 * agents' own, where recordings are served. Defaults fit FreePBX (from-pstn / from-trunk / from-internal).
 */
export const amiCallRulesSchema = z.object({
  /** Contexts where calls from the outside world enter the dialplan. */
  inboundContexts: z.array(z.string().min(1)).default(['from-pstn', 'from-trunk', 'from-pstn-toheader', 'from-pstn-e164-us', 'from-did-direct']),
  /** Contexts where the agents' phones place calls. */
  outboundContexts: z.array(z.string().min(1)).default(['from-internal']),
  /** Channel name prefixes of trunks (e.g. "PJSIP/telco-"): a call starting there is inbound, a leg going there is outbound. */
  trunkChannelPrefixes: z.array(z.string().min(1)).default([]),
  /** A number dialed from an extension that matches this is another extension: the call is internal. */
  internalExtensionPattern: z
    .string()
    .default('^\\d{2,5}$')
    .refine((source) => isValidRegex(source), 'must be a valid regular expression such as ^\\d{3,4}$'),
  /** Base URL the recordings are served from, e.g. https://pbx.example.com/recordings. No URL, no recordingUrl. */
  recordingBaseUrl: z.url().optional(),
  /** The directory MixMonitor writes to; removed from the file path before it is appended to the base URL. */
  recordingDirectory: z.string().default('/var/spool/asterisk/monitor/'),
  /** Extension added to CALLFILENAME (FreePBX sets it without one). */
  recordingFormat: z.string().regex(/^[a-z0-9]+$/, 'a file extension such as wav or mp3').default('wav'),
  /** Calls with no event for this long are forgotten (a Hangup lost while disconnected must not leak memory). */
  maxCallIdleHours: z.number().positive().max(24 * 7).default(6),
  /** Upper bound on calls tracked at once; the oldest are forgotten first. */
  maxTrackedCalls: z.number().int().positive().default(20_000),
  /** Wait this long after the last hangup for the Cdr event (its Duration and Disposition) before closing the call. 0 = don't wait. */
  cdrWaitMs: z.number().int().min(0).max(60_000).default(0),
});

export type AmiCallRulesInput = z.input<typeof amiCallRulesSchema>;
export type AmiCallRules = z.output<typeof amiCallRulesSchema>;

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export function parseAmiCallRules(input: AmiCallRulesInput = {}): AmiCallRules {
  const parsed = amiCallRulesSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `rules.${issue.path.join('.')}: ${issue.message}`);
  throw new CtiError('AMI_CONFIG', `invalid AMI call rules: ${problems.join('; ')}`, { problems });
}
