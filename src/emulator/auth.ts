import type { EmuRequest } from './http-types.ts';

/** The token of `Authorization: Bearer X` (or the older `OAuth X`). */
export function bearerToken(req: EmuRequest): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim());
  return match?.[1];
}
