import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

const sha = (s: string) => createHash('sha256').update(s).digest();

/** Tokens are kept only as SHA-256 digests; `sha256:<hex>` entries let the env hold no plain token at all. */
export function hashTokens(tokens: string[]): Buffer[] {
  return tokens
    .map((t) => (t.startsWith('sha256:') ? Buffer.from(t.slice(7), 'hex') : sha(t)))
    .filter((d) => d.length === 32);
}

/** The token from `Authorization: Bearer <t>` or Basic auth (any user, token as password, for browsers). */
export function presentedToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const [scheme, value] = header.split(' ', 2);
  if (value === undefined) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return value.trim();
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : decoded.slice(colon + 1);
  }
  return undefined;
}

/** Compares digests in constant time against every configured token (no early exit that leaks which). */
export function isOpsToken(digests: Buffer[], token: string | undefined): boolean {
  if (token === undefined || digests.length === 0) return false;
  const given = sha(token);
  let ok = false;
  for (const d of digests) ok = timingSafeEqual(d, given) || ok;
  return ok;
}

/** A fastify onRequest hook that admits only the ops role. */
export function requireOpsToken(digests: Buffer[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (isOpsToken(digests, presentedToken(request.headers.authorization))) return;
    await reply
      .code(401)
      .header('www-authenticate', 'Basic realm="labeldocs ops", charset="UTF-8"')
      .send({ error: 'unauthorized', message: 'an ops token is required (Authorization: Bearer <token>)' });
  };
}
