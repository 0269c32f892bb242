import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CtiError } from '../errors.ts';
import { SECRET_FIELDS, type AccountConfig } from '../domain/account.ts';

/**
 * Secrets at rest: AES-256-GCM under a 32-byte master key, a fresh 12-byte IV per value, and the value's
 * context (e.g. the account name) as additional authenticated data so a ciphertext cannot be moved to
 * another row. Format: `v1:<iv>:<tag>:<ciphertext>`, each part base64.
 */

const FORMAT = 'v1';
const KEY_BYTES = 32;
const KEY_FILE = 'master.key';

export interface MasterKey {
  key: Buffer;
  /** Where the key came from, to name it in errors (never the key itself). */
  origin: string;
}

/** 64 hex characters or base64 (standard or url-safe) of exactly 32 bytes. */
export function parseMasterKey(text: string, origin: string): MasterKey {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : Buffer.alloc(0);
  if (key.length !== KEY_BYTES) {
    throw new CtiError(
      'INVALID_MASTER_KEY',
      `${origin} must be 32 random bytes written as 64 hex characters or base64 (e.g. the output of \`openssl rand -base64 32\`)`,
    );
  }
  return { key, origin };
}

/**
 * The master key: CTIBRIDGE_MASTER_KEY when given, else `${dataDir}/master.key`, created (mode 0600) with a
 * random key the first time. Creation uses O_EXCL so two processes starting together agree on one key.
 */
export function loadMasterKey(options: { masterKey?: string; dataDir?: string }): MasterKey {
  if (options.masterKey) return parseMasterKey(options.masterKey, 'CTIBRIDGE_MASTER_KEY');
  if (!options.dataDir) {
    throw new CtiError('MASTER_KEY_MISSING', 'set CTIBRIDGE_MASTER_KEY or a data directory where master.key can be kept');
  }
  const file = path.join(options.dataDir, KEY_FILE);
  const origin = `the key file ${file} (or CTIBRIDGE_MASTER_KEY)`;
  mkdirSync(options.dataDir, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600); // the umask may have narrowed or the mode been ignored; make it exact
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return parseMasterKey(readFileSync(file, 'utf8'), origin);
}

export function encrypt(master: MasterKey, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', master.key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [FORMAT, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
}

export function decrypt(master: MasterKey, sealed: string, context: string): string {
  const [format, iv, tag, ciphertext] = sealed.split(':');
  if (format !== FORMAT || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new CtiError('SECRET_FORMAT_UNKNOWN', `stored secret for ${context} is not in a format this version reads (expected ${FORMAT})`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', master.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new CtiError(
      'MASTER_KEY_MISMATCH',
      `the stored secrets (${context}) were encrypted under another master key than ${master.origin}; start with the CTIBRIDGE_MASTER_KEY (or master.key file) used when they were saved`,
      { context },
    );
  }
}

type SecretField = (typeof SECRET_FIELDS)[number];
const SECRET_SET: ReadonlySet<string> = new Set(SECRET_FIELDS);

/** Split an account into what may be stored in plain JSON and the secret auth fields. */
export function splitSecrets(config: AccountConfig): { plain: AccountConfig; secrets: Partial<Record<SecretField, string>> } {
  const plainAuth: Record<string, unknown> = {};
  const secrets: Partial<Record<SecretField, string>> = {};
  for (const [field, value] of Object.entries(config.auth)) {
    if (SECRET_SET.has(field)) {
      if (value !== undefined) secrets[field as SecretField] = value as string;
    } else plainAuth[field] = value;
  }
  return { plain: { ...config, auth: plainAuth as AccountConfig['auth'] }, secrets };
}

export function joinSecrets(plain: AccountConfig, secrets: Partial<Record<SecretField, string>>): AccountConfig {
  return { ...plain, auth: { ...plain.auth, ...secrets } as AccountConfig['auth'] };
}

export const accountContext = (name: string): string => `account:${name}`;

/** A known value sealed once per database: lets `migrate()` refuse a wrong key at start, not at first use. */
export const KEY_CHECK = { name: 'master_key_check', plaintext: 'ctibridge master key check', context: 'store:key-check' } as const;
