import type { FastifyInstance } from 'fastify';
import { since } from '../../ops/duration.js';
import { festivalKeys, loadKpis } from '../kpi-data.js';
import type { RouteContext } from '../context.js';
import { kpiPage, windows, type KpiWindow } from '../views/kpis.js';
import { page } from '../views/layout.js';

export function registerKpiRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: { since?: string; festival?: string } }>('/kpis', async (request, reply) => {
    const window: KpiWindow = (windows as readonly string[]).includes(request.query.since ?? '')
      ? (request.query.since as KpiWindow)
      : '30d';
    const festival = typeof request.query.festival === 'string' ? request.query.festival.trim() : '';
    const now = ctx.now();
    const [data, festivals] = await Promise.all([
      loadKpis(
        ctx.deps.db,
        ctx.deps.ledger,
        {
          ...(window === 'all' ? {} : { since: since(window, now) }),
          ...(festival === '' ? {} : { festival }),
        },
        now,
      ),
      festivalKeys(ctx.deps.db),
    ]);
    const pc = ctx.page(request, reply, 'kpis');
    return reply
      .type('text/html; charset=utf-8')
      .send(page(pc, 'Lookup KPIs', kpiPage(data, { window, festival }, festivals), { charts: true }).value);
  });
}
