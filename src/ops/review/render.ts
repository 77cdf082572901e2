import type { ReviewItem } from '../../persistence/review-queue-repository.js';
import type { ParkedNomination } from '../../resolver/ports.js';
import { formatTable } from '../table.js';
import type { ResolveOutcome, ReviewDetails } from './review-actions.js';

const day = 86_400_000;

function age(from: Date, now: Date): string {
  const days = Math.floor((now.getTime() - from.getTime()) / day);
  return days >= 1 ? `${days}d` : `${Math.floor((now.getTime() - from.getTime()) / 3_600_000)}h`;
}

/** The queue as a table, escalated items first (the repository's order). */
export function renderReviewList(items: readonly ReviewItem[], now = new Date()): string {
  if (items.length === 0) return 'no review items match\n';
  const rows = items.map((i) => {
    const best = [...i.candidates].sort((a, b) => b.confidence - a.confidence)[0];
    return [
      i.movieKey,
      i.reason,
      i.status,
      i.escalatedAt === undefined ? '' : `ESCALATED ${i.escalatedAt.toISOString().slice(0, 10)}`,
      age(i.createdAt, now),
      i.nominationIds.length,
      best === undefined
        ? ''
        : `${best.source}:${best.id} ${best.title} (${best.year ?? '?'}) ${best.confidence.toFixed(2)}`,
    ];
  });
  return `${formatTable(['movie key', 'reason', 'status', 'escalated', 'age', 'nominations', 'best candidate'], rows)}\n${items.length} item(s)\n`;
}

/** Parked nominations as a table, oldest first, with what they wait for. */
export function renderParkedList(
  entries: readonly ParkedNomination[],
  total: number,
  now = new Date(),
): string {
  if (entries.length === 0) return 'no parked nominations\n';
  const rows = entries.map((e) => [
    e.nominationId,
    e.film === undefined
      ? '(film not kept)'
      : `${e.film.title} (${e.film.year ?? '?'}) ${e.film.imdbId ?? '-'}`,
    e.film?.festival ?? '',
    e.source,
    e.reason,
    `${e.since.toISOString().slice(0, 16)}Z (${age(e.since, now)})`,
    `${e.parkedAt.toISOString().slice(0, 16)}Z`,
    Object.entries(e.tierAttempts)
      .map(([tier, n]) => `${tier} ${n}`)
      .join(', ') || '-',
  ]);
  return `${formatTable(['nomination', 'film', 'festival', 'source', 'reason', 'failing since', 'parked at', 'attempts'], rows)}\n${entries.length < total ? `${entries.length} of ${total}` : total} parked nomination(s): re-driven once the source answers again, or now with replay-parked [--nomination <id>]\n`;
}

/** One item with its movie, nominations and candidates. */
export function renderReviewDetails(details: ReviewDetails): string {
  const { item, movie, nominations } = details;
  const lines = [
    `movie key:   ${item.movieKey}`,
    `status:      ${item.status}${item.escalatedAt === undefined ? '' : ` (ESCALATED ${item.escalatedAt.toISOString()})`}`,
    `reason:      ${item.reason}`,
    `opened:      ${item.createdAt.toISOString()}   updated: ${item.updatedAt.toISOString()}`,
  ];
  if (item.resolution !== undefined)
    lines.push(
      `resolution:  ${item.resolution.imdbId ?? ''}${item.resolution.tmdbId === undefined ? '' : ` tmdb ${item.resolution.tmdbId}`} by ${item.resolution.by} at ${item.resolution.at.toISOString()}`,
    );
  if (item.dismissedAt !== undefined) lines.push(`dismissed:   ${item.dismissedAt.toISOString()}`);
  lines.push(
    movie === null
      ? 'movie:       (not found)'
      : `movie:       ${movie.title} (${movie.year ?? '?'}) ${movie.importType}, imdb ${movie.imdbId ?? '-'}, tmdb ${movie.tmdbId ?? '-'}, sources ${movie.dataSourceHierarchy.join('>') || '-'}, locked ${movie.locked.join(',') || '-'}`,
  );
  const ids =
    nominations.length > 0
      ? nominations.map((n) => `${n.nominationId} (${n.festival}, ${n.category})`)
      : item.nominationIds;
  lines.push(`nominations: ${ids.length}`, ...ids.map((id) => `  ${id}`));
  lines.push(
    '',
    item.candidates.length === 0
      ? 'candidates: none'
      : formatTable(
          ['source', 'id', 'title', 'year', 'confidence', 'rejected because'],
          item.candidates.map((c) => [
            c.source,
            c.id,
            c.originalTitle !== undefined && c.originalTitle !== c.title
              ? `${c.title} / ${c.originalTitle}`
              : c.title,
            c.year ?? '',
            c.confidence.toFixed(2),
            c.rejectedBecause ?? '',
          ]),
        ),
  );
  return `${lines.join('\n')}\n`;
}

export function renderResolved(outcome: ResolveOutcome): string {
  const enrichment = {
    requested: `enrichment: ${outcome.enrichmentResult ?? 'done'}`,
    not_wired: 'not enriched (--no-enrich): run `festival-resolver enrich` or resolve again later',
    failed: `enrichment failed (${outcome.enrichmentError ?? '?'}); the IDs stay locked`,
  }[outcome.enrichment];
  return `resolved ${outcome.item.movieKey}: locked ${outcome.movie.locked.join(',')} on movie ${outcome.movie.key}; ${enrichment}\n`;
}
