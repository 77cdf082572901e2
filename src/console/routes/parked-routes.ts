import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sourceNames, type SourceName } from '../../domain/movie.js';
import { festivalKeys } from '../kpi-data.js';
import {
  afterRedrive,
  loadParked,
  redriveNow,
  type ConsoleParkedDeps,
  type ParkedFilter,
} from '../parked-queue.js';
import type { RouteContext } from '../context.js';
import { html } from '../html.js';
import { page } from '../views/layout.js';
import { actionError } from '../views/outcome.js';
import {
  afterRedriveStatus,
  parkedCard,
  parkedSection,
  redriveError,
  redriveOutcome,
} from '../views/parked.js';
import { filters } from '../views/review.js';
import { field, isHtmx, requireCurator } from './guard.js';

/** Parked cards shown at most on one page. */
const pageSize = 50;

function parkedFilter(query: Record<string, unknown>): ParkedFilter {
  const festival = typeof query.festival === 'string' ? query.festival.trim() : '';
  const source = sourceNames.find((s) => s === query.source);
  return {
    ...(festival === '' ? {} : { festival }),
    ...(source === undefined ? {} : { source: source satisfies SourceName }),
  };
}

function parkedDeps(ctx: RouteContext, reply: FastifyReply): ConsoleParkedDeps | undefined {
  const deps = ctx.deps.parked;
  if (deps === undefined)
    void reply.code(404).type('text/plain; charset=utf-8').send('no parking in this console');
  return deps;
}

/** `/review?status=parked`: the review page's parked section. */
export async function serveParkedPage(
  ctx: RouteContext,
  request: FastifyRequest<{ Querystring: Record<string, unknown> }>,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const deps = parkedDeps(ctx, reply);
  if (deps === undefined) return reply;
  const filter = parkedFilter(request.query);
  const now = ctx.now();
  const [parked, festivals] = await Promise.all([
    loadParked(deps, filter, now, pageSize),
    festivalKeys(ctx.deps.db),
  ]);
  const pc = ctx.page(request, reply, 'review');
  const body = html`${filters({ status: 'parked', age: 'any', ...filter }, festivals)}
  ${parkedSection(pc, parked, now, deps.intervalMs, deps.republish !== undefined)}`;
  return reply.type('text/html; charset=utf-8').send(page(pc, 'Review queue: parked', body).value);
}

/** The re-drive action and the status its card asks for until the nomination is recorded. */
export function registerParkedRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const fragmentOrPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    fragment: ReturnType<typeof html>,
  ) => {
    reply.type('text/html; charset=utf-8');
    if (isHtmx(request)) return reply.send(fragment.value);
    const pc = ctx.page(request, reply, 'review');
    return reply.send(
      page(
        pc,
        'Parked nomination',
        html`<p><a href="/review?status=parked">back to the parked nominations</a></p>
          ${fragment}`,
      ).value,
    );
  };

  app.post('/review/parked/redrive', { preHandler: app.csrfProtection.bind(app) }, async (request, reply) => {
    if (!(await requireCurator(ctx, request, reply))) return reply;
    const deps = parkedDeps(ctx, reply);
    if (deps === undefined) return reply;
    const nominationId = field(request.body, 'nominationId');
    try {
      const result = await redriveNow(deps, nominationId);
      if (result.kind === 'not_parked') reply.code(409);
      const since = result.kind === 'redriven' ? result.at.getTime() : 0;
      const status =
        result.kind === 'redriven'
          ? afterRedriveStatus(
              nominationId,
              since,
              await afterRedrive(deps, ctx.deps.review, nominationId, since, ctx.now()),
            )
          : html``;
      return fragmentOrPage(request, reply, redriveOutcome(result, status));
    } catch (error) {
      // Whatever it was, the curator sees it on the card, which keeps its action if still parked.
      ctx.deps.logger.child({ component: 'console' }).error({ err: error, nominationId }, 're-drive failed');
      reply.code(503);
      const entry = await deps.parking.get(nominationId).catch(() => null);
      const message = 'the re-drive failed (see the service log); the nomination stays parked';
      const pc = ctx.page(request, reply, 'review');
      return fragmentOrPage(
        request,
        reply,
        entry === null
          ? redriveError(message)
          : parkedCard(
              pc,
              { entry, redriverHere: deps.outlook !== undefined },
              ctx.now(),
              deps.intervalMs,
              deps.republish !== undefined,
              actionError(message),
            ),
      );
    }
  });

  app.get<{ Querystring: Record<string, unknown> }>('/review/parked/status', async (request, reply) => {
    const deps = parkedDeps(ctx, reply);
    if (deps === undefined) return reply;
    const nominationId = typeof request.query.nominationId === 'string' ? request.query.nominationId : '';
    const since = Number(request.query.since);
    if (nominationId === '' || !Number.isFinite(since))
      return reply.code(400).type('text/plain; charset=utf-8').send('nominationId and since are required');
    const state = await afterRedrive(deps, ctx.deps.review, nominationId, since, ctx.now());
    return reply.type('text/html; charset=utf-8').send(afterRedriveStatus(nominationId, since, state).value);
  });
}
