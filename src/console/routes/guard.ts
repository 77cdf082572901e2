import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteContext } from '../context.js';

/** Refuses a data-changing request unless it comes from a signed-in curator; true when allowed. */
export async function requireCurator(
  ctx: RouteContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  const access = ctx.auth.access(request);
  if (access === 'curator') return true;
  const message =
    access === 'read_only'
      ? 'read-only console: set CONSOLE_TOKEN to allow actions'
      : 'sign in with the console token first';
  await reply
    .code(access === 'read_only' ? 403 : 401)
    .type('text/plain; charset=utf-8')
    .send(message);
  return false;
}

/** True for a request made by htmx (it wants a fragment, not a page). */
export function isHtmx(request: FastifyRequest): boolean {
  return request.headers['hx-request'] === 'true';
}

export function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}
