import { createVerify, X509Certificate } from 'node:crypto';

export interface JwtClaims {
  iss?: unknown;
  sub?: unknown;
  aud?: unknown;
  exp?: unknown;
}

/** Decodes a compact JWT and checks its RS256 signature against a PEM certificate; undefined when either fails. */
export function verifyRs256(assertion: string, certificatePem: string): JwtClaims | undefined {
  const parts = assertion.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts;
  try {
    const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string };
    if (alg !== 'RS256') return undefined;
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${header}.${payload}`);
    if (!verifier.verify(new X509Certificate(certificatePem).publicKey, Buffer.from(signature, 'base64url'))) return undefined;
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JwtClaims;
  } catch {
    return undefined;
  }
}

/** Reads the claims without checking anything, to find which app (iss) should verify the signature. */
export function peekClaims(assertion: string): JwtClaims | undefined {
  try {
    return JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as JwtClaims;
  } catch {
    return undefined;
  }
}
