import { hash } from 'node:crypto';
import { DocForbiddenError, DocUnauthenticatedError } from './errors.js';

export const ROLES = ['reader', 'analyst', 'ops'] as const;
export type Role = (typeof ROLES)[number];

/** One configured credential. Only the SHA-256 of the token is kept in memory. */
export interface TokenEntry {
  actor: string;
  role: Role;
  /** SHA-256 of the token. */
  hash: Buffer;
}

export interface Principal {
  actor: string;
  role: Role;
}

const RANK: Record<Role, number> = { reader: 0, analyst: 1, ops: 2 };

// One-shot hashing: no Hash object per request (this runs on every authenticated request).
export const hashToken = (token: string): Buffer => hash('sha256', token, 'buffer');

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/**
 * Parses `DOCUMENTOR_TOKENS` (`role:token` or `actor:role:token`, comma-separated, plain tokens hashed at once)
 * and `DOCUMENTOR_TOKEN_HASHES` (`actor:role:<sha256 hex>`, for tokens that must never sit in the env in clear).
 * Returns every problem at once.
 */
export function parseTokens(plain: string, hashed: string): { entries: TokenEntry[]; problems: string[] } {
  const entries: TokenEntry[] = [];
  const problems: string[] = [];
  const items = (raw: string) =>
    raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  items(plain).forEach((item, i) => {
    const parts = item.split(':');
    const [actor, role, token] = parts.length === 2 ? [parts[0]!, parts[0]!, parts[1]!] : parts;
    if (parts.length < 2 || parts.length > 3 || !actor || !role || !token)
      problems.push(`DOCUMENTOR_TOKENS[${i}]: must be role:token or actor:role:token`);
    else if (!isRole(role)) problems.push(`DOCUMENTOR_TOKENS[${i}]: role must be one of ${ROLES.join(', ')}`);
    else entries.push({ actor, role, hash: hashToken(token) });
  });
  items(hashed).forEach((item, i) => {
    const [actor, role, hex, ...rest] = item.split(':');
    if (!actor || !role || !hex || rest.length > 0 || !/^[0-9a-f]{64}$/i.test(hex))
      problems.push(`DOCUMENTOR_TOKEN_HASHES[${i}]: must be actor:role:<64 hex digits of SHA-256>`);
    else if (!isRole(role))
      problems.push(`DOCUMENTOR_TOKEN_HASHES[${i}]: role must be one of ${ROLES.join(', ')}`);
    else entries.push({ actor, role, hash: Buffer.from(hex, 'hex') });
  });
  return { entries, problems };
}

/**
 * Checks bearer tokens against the configured hashes. The presented token is hashed (SHA-256) and the digest is
 * looked up in a map of the configured digests. This is safe against timing attacks on the secret: what is
 * compared is the digest of the caller's input, so the time a lookup takes can only tell a caller something
 * about SHA-256 digests of strings they chose, never about a configured token (finding a token from its digest
 * is a preimage attack), and it does not depend on the secret's length. One map lookup instead of a loop of
 * `timingSafeEqual` over every entry keeps it cheap on every request.
 */
export class Authenticator {
  readonly #byDigest = new Map<string, Principal>();
  constructor(entries: readonly TokenEntry[]) {
    for (const entry of entries) {
      const key = entry.hash.toString('base64');
      // The first entry for a token wins, as the configuration lists it.
      if (!this.#byDigest.has(key))
        this.#byDigest.set(key, Object.freeze({ actor: entry.actor, role: entry.role }));
    }
  }

  /** The principal behind an `Authorization` header value (or a bare token), or 401. */
  authenticate(authorization: string | undefined, queryToken?: string): Principal {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : queryToken;
    if (!token) throw new DocUnauthenticatedError('missing bearer token (Authorization: Bearer <token>)');
    // Principals are frozen and shared: no object is built per request.
    const found = this.#byDigest.get(hash('sha256', token, 'base64'));
    if (found === undefined) throw new DocUnauthenticatedError('unknown token');
    return found;
  }
}

/** 403 unless the principal's role is at least `needed`. */
export function requireRole(principal: Principal, needed: Role): void {
  if (RANK[principal.role] < RANK[needed])
    throw new DocForbiddenError(`role ${principal.role} may not do this; needs ${needed}`);
}
