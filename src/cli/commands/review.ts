import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { MoviesRepository } from '../../persistence/movies-repository.js';
import { NominationsRepository } from '../../persistence/nominations-repository.js';
import { ReviewQueueRepository, type ReviewStatus } from '../../persistence/review-queue-repository.js';
import type { ReviewReason } from '../../resolver/ports.js';
import { enrichMovie } from '../../enrichment/enrich-movie.js';
import { openEnrichment } from '../../enrichment/open-enrichment.js';
import { opsLogger, opsMongo, print } from '../../ops/cli-context.js';
import { MongoParkedNominations } from '../../persistence/parked-nominations.js';
import {
  renderParkedList,
  renderResolved,
  renderReviewDetails,
  renderReviewList,
} from '../../ops/review/render.js';
import {
  describeEnrichOutcome,
  dismissReview,
  resolveReview,
  showReview,
  type ReviewDeps,
} from '../../ops/review/review-actions.js';
import { UsageError } from '../../ops/usage-error.js';

const reasons: ReviewReason[] = ['low_confidence', 'ambiguous', 'all_sources_failed', 'stale_stub'];
const statuses: ReviewStatus[] = ['open', 'resolved', 'dismissed', 'merged'];

async function withDeps<T>(
  work: (deps: ReviewDeps & { parking: MongoParkedNominations }) => Promise<T>,
  options: { enrich?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  const mongo = await opsMongo(config);
  // Enrichment opens its own chain (sources, budget, rate limits) and a producer for
  // movie.resolved, so only the command that needs it pays for it.
  const enrichment =
    options.enrich === true ? await openEnrichment(config, { logger: opsLogger(config) }) : undefined;
  try {
    const deps: ReviewDeps & { parking: MongoParkedNominations } = {
      parking: new MongoParkedNominations(mongo.db),
      reviews: new ReviewQueueRepository(mongo.db),
      movies: new MoviesRepository(mongo.db),
      nominations: new NominationsRepository(mongo.db),
    };
    if (enrichment !== undefined)
      deps.enrich = async (key) => describeEnrichOutcome(await enrichMovie(enrichment.deps, key));
    return await work(deps);
  } finally {
    await enrichment?.close();
    await mongo.close();
  }
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'curator';
  }
}

function oneOf<T extends string>(
  what: string,
  allowed: readonly T[],
  value: string | undefined,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${what} must be one of ${allowed.join(', ')}; got ${value}`);
  return value as T;
}

/** `festival-resolver review`: the curators' queue. */
export function register(program: Command): void {
  const review = program
    .command('review')
    .description('films waiting for a human: list, show, resolve (locks the match) or dismiss');

  review
    .command('list')
    .description('review items, escalated first, then oldest first')
    .option('--reason <reason>', `only one reason (${reasons.join(', ')})`)
    .option('--status <status>', 'open, resolved or dismissed', 'open')
    .option('--escalated', 'only stubs escalated after STUB_ESCALATION_DAYS')
    .option(
      '--parked',
      'the parked nominations instead (transient failures beyond RETRY_HORIZON), oldest first',
    )
    .option('--limit <n>', 'at most n items', '50')
    .option('--json', 'print JSON')
    .action(
      async (flags: {
        reason?: string;
        status: string;
        escalated?: boolean;
        parked?: boolean;
        limit: string;
        json?: boolean;
      }) => {
        const reason = oneOf('--reason', reasons, flags.reason);
        const status = oneOf('--status', statuses, flags.status);
        const limit = Number(flags.limit);
        if (!Number.isSafeInteger(limit) || limit < 1)
          throw new UsageError(`--limit must be a whole number >= 1; got ${flags.limit}`);
        if (flags.parked === true) {
          const { entries, total } = await withDeps(async (deps) => ({
            entries: await deps.parking.list({}, limit),
            total: Object.values(await deps.parking.counts()).reduce((sum, n) => sum + n, 0),
          }));
          print(
            flags.json === true
              ? JSON.stringify(entries.map(({ key: _key, value: _value, ...entry }) => entry))
              : renderParkedList(entries, total),
          );
          return;
        }
        const { items, parked } = await withDeps(async (deps) => ({
          items: await deps.reviews.list({
            ...(reason ? { reason } : {}),
            ...(status ? { status } : {}),
            ...(flags.escalated === true ? { escalated: true } : {}),
            limit,
          }),
          parked: Object.values(await deps.parking.counts()).reduce((sum, n) => sum + n, 0),
        }));
        if (flags.json === true) print(JSON.stringify(items));
        else
          print(
            renderReviewList(items) +
              (parked === 0
                ? ''
                : `${parked} nomination(s) parked, waiting for a source: review list --parked\n`),
          );
      },
    );

  review
    .command('show <movieKey>')
    .description('one item with its movie, nominations and candidates')
    .option('--json', 'print JSON')
    .action(async (movieKey: string, flags: { json?: boolean }) => {
      const details = await withDeps((deps) => showReview(deps, movieKey));
      if (details === null) throw new UsageError(`no review item for ${movieKey}`);
      print(flags.json === true ? JSON.stringify(details) : renderReviewDetails(details));
    });

  review
    .command('resolve <movieKey>')
    .description('record the right film, lock the match on the movie and ask for its enrichment')
    .option('--imdb <id>', 'the IMDb ID (tt…)')
    .option('--tmdb <id>', 'the TMDb ID')
    .option('--by <name>', 'who decided', currentUser())
    .option('--no-enrich', 'only record and lock; do not look the film up now')
    .action(
      async (movieKey: string, flags: { imdb?: string; tmdb?: string; by: string; enrich: boolean }) => {
        const decision = {
          by: flags.by,
          ...(flags.imdb === undefined ? {} : { imdbId: flags.imdb }),
          ...(flags.tmdb === undefined ? {} : { tmdbId: Number(flags.tmdb) }),
        };
        print(
          renderResolved(
            await withDeps((deps) => resolveReview(deps, movieKey, decision), { enrich: flags.enrich }),
          ),
        );
      },
    );

  review
    .command('dismiss <movieKey>')
    .description('close the item without an answer (not a film, duplicate …)')
    .action(async (movieKey: string) => {
      const item = await withDeps((deps) => dismissReview(deps, movieKey));
      print(`dismissed ${item.movieKey}`);
    });
}
