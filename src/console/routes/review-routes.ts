import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isFestivalResolverError } from '../../errors.js';
import { UsageError } from '../../ops/usage-error.js';
import { acceptCandidate, dismissItem, resolveWithId, type ActionResult } from '../curator-actions.js';
import { html } from '../html.js';
import { festivalKeys } from '../kpi-data.js';
import { loadCard, loadQueue, parseQueueFilter } from '../review-queue.js';
import type { RouteContext } from '../context.js';
import { page } from '../views/layout.js';
import { actionError, actionOutcome } from '../views/outcome.js';
import { reviewCard, reviewPage } from '../views/review.js';
import { parkedNotice } from '../views/parked.js';
import { field, isHtmx, requireCurator } from './guard.js';
import { serveParkedPage } from './parked-routes.js';

/** Who the console records as the decider (the CLI records the OS user). */
const curator = 'console';

export function registerReviewRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: Record<string, unknown> }>('/review', async (request, reply) => {
    if (request.query.status === 'parked') return serveParkedPage(ctx, request, reply);
    const filter = parseQueueFilter(request.query);
    const now = ctx.now();
    const [cards, festivals, parked] = await Promise.all([
      loadQueue(ctx.deps.review, filter, now),
      festivalKeys(ctx.deps.db),
      ctx.deps.parked?.parking.counts() ?? Promise.resolve({}),
    ]);
    const pc = ctx.page(request, reply, 'review');
    return reply
      .type('text/html; charset=utf-8')
      .send(
        page(pc, 'Review queue', reviewPage(pc, filter, festivals, cards, now, parkedNotice(parked))).value,
      );
  });

  /** Runs an action and answers with the item's card: the outcome, or the error in place. */
  const act = async (
    request: FastifyRequest,
    reply: FastifyReply,
    run: (movieKey: string) => Promise<ActionResult>,
  ) => {
    if (!(await requireCurator(ctx, request, reply))) return reply;
    const movieKey = field(request.body, 'movieKey');
    const pc = ctx.page(request, reply, 'review');
    let status = 200;
    let outcome;
    try {
      outcome = actionOutcome(await run(movieKey));
    } catch (error) {
      if (error instanceof UsageError || isFestivalResolverError(error)) {
        status = error instanceof UsageError ? 409 : 503;
        outcome = actionError(error.message);
      } else {
        // Whatever it was, the curator sees that it failed, on the card, and may try again.
        ctx.deps.logger
          .child({ component: 'console' })
          .error({ err: error, movieKey }, 'console action failed');
        status = 500;
        outcome = actionError(
          'the action failed (see the service log); nothing was recorded unless the card says so',
        );
      }
    }
    const card = await loadCard(ctx.deps.review, movieKey);
    const fragment =
      card === null
        ? html`<article class="card">${outcome}</article>`
        : reviewCard(pc, card, ctx.now(), outcome);
    reply.code(status).type('text/html; charset=utf-8');
    if (isHtmx(request)) return reply.send(fragment.value);
    return reply.send(
      page(
        pc,
        'Review item',
        html`<p><a href="/review">back to the queue</a></p>
          ${fragment}`,
      ).value,
    );
  };

  const csrf = { preHandler: app.csrfProtection.bind(app) };
  app.post('/review/accept', csrf, async (request, reply) =>
    act(request, reply, (movieKey) =>
      acceptCandidate(ctx.deps.db, ctx.deps.review, {
        movieKey,
        source: field(request.body, 'source'),
        candidateId: field(request.body, 'candidateId'),
        by: curator,
      }),
    ),
  );
  app.post('/review/resolve', csrf, async (request, reply) =>
    act(request, reply, (movieKey) =>
      resolveWithId(ctx.deps.db, ctx.deps.review, { movieKey, id: field(request.body, 'id'), by: curator }),
    ),
  );
  app.post('/review/dismiss', csrf, async (request, reply) =>
    act(request, reply, (movieKey) => dismissItem(ctx.deps.db, ctx.deps.review, movieKey)),
  );
}
