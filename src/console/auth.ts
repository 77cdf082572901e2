import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Who may change data. Without a configured token the console is read-only: no action is
 * rendered and every POST that changes data is refused. With one, a curator signs in once
 * with the token and gets a signed, httpOnly cookie holding an HMAC of it (never the token
 * itself), or a script sends `Authorization: Bearer <token>`.
 */

const authCookie = 'fr_console_auth';

/** What a request may do. */
export type Access = 'read_only' | 'signed_out' | 'curator';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Constant-time comparison of two strings of any length. */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The cookie value that proves a sign-in: an HMAC of the token, not the token. */
function sessionProof(token: string): string {
  return createHmac('sha256', token).update('festival-resolver console session').digest('hex');
}

export class ConsoleAuth {
  constructor(private readonly token: string | undefined) {}

  get readOnly(): boolean {
    return this.token === undefined;
  }

  /** True when `given` is the configured token. */
  accepts(given: string): boolean {
    return this.token !== undefined && sameSecret(given, this.token);
  }

  access(request: FastifyRequest): Access {
    if (this.token === undefined) return 'read_only';
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined && sameSecret(bearer, this.token)) return 'curator';
    const raw = request.cookies[authCookie];
    if (raw === undefined) return 'signed_out';
    const unsigned = request.unsignCookie(raw);
    if (unsigned.valid && unsigned.value !== null && sameSecret(unsigned.value, sessionProof(this.token)))
      return 'curator';
    return 'signed_out';
  }

  signIn(reply: FastifyReply): void {
    if (this.token === undefined) return;
    reply.setCookie(authCookie, sessionProof(this.token), {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      signed: true,
      maxAge: 12 * 3600,
    });
  }

  signOut(reply: FastifyReply): void {
    reply.clearCookie(authCookie, { path: '/' });
  }
}
