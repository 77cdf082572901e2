import { createHash } from 'node:crypto';
import type { NominationDocument } from '../../persistence/nominations-repository.js';
import { html, safeUrl, type Html } from '../html.js';
import {
  ageBands,
  queuePageSize,
  reviewReasons,
  reviewStatuses,
  type CandidateView,
  type QueueFilter,
  type ReviewCard,
} from '../review-queue.js';
import { csrfField, type PageContext } from './layout.js';
import { movieSummary } from './movie-summary.js';

/** The review queue page: filters, then one card per item, escalated stubs first. */

const dayMs = 86_400_000;

/** A DOM id for a movie key (keys hold spaces and colons). */
function cardId(movieKey: string): string {
  return `item-${createHash('sha1').update(movieKey).digest('hex').slice(0, 12)}`;
}

function age(from: Date, now: Date): string {
  const ms = now.getTime() - from.getTime();
  return ms >= dayMs ? `${Math.floor(ms / dayMs)} d` : `${Math.floor(ms / 3_600_000)} h`;
}

function option(value: string, label: string, selected: string | undefined): Html {
  return html`<option value="${value}" ${value === selected ? html`selected` : ''}>${label}</option>`;
}

/** The queue's filters; `status` may be `parked`, the section of nominations waiting for a source. */
export function filters(
  filter: Omit<QueueFilter, 'status'> & { status: QueueFilter['status'] | 'parked' },
  festivals: readonly string[],
): Html {
  return html`<form class="filters" method="get" action="/review" data-testid="review-filters">
    <label
      >status
      <select name="status">
        ${reviewStatuses.map((s) => option(s, s, filter.status))}${option('parked', 'parked (waiting for a source)', filter.status)}
      </select></label
    >
    <label
      >reason
      <select name="reason">
        ${option('', 'any reason', filter.reason ?? '')}${reviewReasons.map((r) => option(r, r, filter.reason))}
      </select></label
    >
    <label
      >festival
      <select name="festival">
        ${option('', 'any festival', filter.festival ?? '')}${festivals.map((f) => option(f, f, filter.festival))}
      </select></label
    >
    <label
      >age
      <select name="age">
        ${Object.entries(ageBands).map(([k, b]) => option(k, b.label, filter.age))}
      </select></label
    >
    <button type="submit">Filter</button>
  </form>`;
}

function nominationRows(nominations: readonly NominationDocument[]): Html {
  if (nominations.length === 0) return html`<p class="muted">no nomination found for this item</p>`;
  return html`${nominations.map(
    (n) =>
      html`<dl class="facts nomination" data-testid="nomination">
        <dt>festival</dt>
        <dd>${n.festival}</dd>
        <dt>edition</dt>
        <dd>${n.editionYear}</dd>
        <dt>category</dt>
        <dd>${n.category}</dd>
        <dt>title</dt>
        <dd class="title" data-testid="nomination-title">${n.film.title}</dd>
        <dt>original title</dt>
        <dd>${n.film.originalTitle ?? '—'}</dd>
        <dt>year</dt>
        <dd>${n.film.year ?? '—'}</dd>
        <dt>directors</dt>
        <dd>${n.film.directors.join(', ') || '—'}</dd>
        <dt>IMDb id</dt>
        <dd>${n.film.imdbId ?? '—'}</dd>
      </dl>`,
  )}`;
}

function percent(value: number | null): string {
  return value === null ? 'unknown' : `${Math.round(value * 100)} %`;
}

function yearDistance(distance: number | null): string {
  if (distance === null) return 'unknown';
  if (distance === 0) return '0 (same year)';
  const years = Math.abs(distance);
  return `${years} year${years === 1 ? '' : 's'} ${distance < 0 ? 'earlier' : 'later'}`;
}

function idEvidence(c: CandidateView): Html {
  if (c.evidence.imdbIdAgrees === true) return html`<span class="ok">agrees (${c.imdbId ?? c.id})</span>`;
  if (c.evidence.imdbIdAgrees === false)
    return html`<span class="bad">contradicts (${c.imdbId ?? c.id})</span>`;
  return html`<span class="muted"
    >nothing to compare${c.imdbId === undefined ? '' : ` (candidate ${c.imdbId})`}</span
  >`;
}

function acceptForm(ctx: PageContext, card: ReviewCard, c: CandidateView): Html {
  return html`<form
    method="post"
    action="/review/accept"
    hx-post="/review/accept"
    hx-target="#${cardId(card.item.movieKey)}"
    hx-swap="outerHTML"
  >
    ${csrfField(ctx)}
    <input type="hidden" name="movieKey" value="${card.item.movieKey}" />
    <input type="hidden" name="source" value="${c.source}" />
    <input type="hidden" name="candidateId" value="${c.id}" />
    <button type="submit" class="accept" data-testid="accept">Accept this film</button>
  </form>`;
}

function candidate(ctx: PageContext, card: ReviewCard, c: CandidateView, canAct: boolean): Html {
  const poster = safeUrl(
    c.posterUrl ?? (card.movie?.data?.source === c.source ? card.movie.data.posterUrl : undefined),
  );
  return html`<div class="candidate" data-testid="candidate">
    <div class="poster">
      ${poster === undefined ? html`<div class="no-poster">no poster</div>` : html`<img src="${poster}" alt="poster of ${c.title}" loading="lazy" referrerpolicy="no-referrer" />`}
    </div>
    <div>
      <p class="candidate-title">
        <span class="source">${c.source}</span>
        <span data-testid="candidate-title">${c.title}</span
        >${c.year === undefined ? '' : html` <span class="muted">(${c.year})</span>`}
      </p>
      <dl class="facts">
        <dt>id</dt>
        <dd>${c.source}:${c.id}</dd>
        <dt>original title</dt>
        <dd>${c.originalTitle ?? '—'}</dd>
        <dt>directors</dt>
        <dd>${c.directors?.join(', ') ?? 'not known'}</dd>
        <dt>confidence</dt>
        <dd>
          <strong>${c.confidence.toFixed(2)}</strong
          >${c.rejectedBecause === undefined ? '' : html` <span class="bad">rejected: ${c.rejectedBecause}</span>`}
        </dd>
        <dt>title similarity</dt>
        <dd>${percent(c.evidence.titleSimilarity)} (${c.evidence.matchedTitle})</dd>
        <dt>year distance</dt>
        <dd>${yearDistance(c.evidence.yearDistance)}</dd>
        <dt>director overlap</dt>
        <dd>${percent(c.evidence.directorOverlap)}</dd>
        <dt>IMDb id</dt>
        <dd>${idEvidence(c)}</dd>
      </dl>
      ${c.evidenceRecomputed ? html`<p class="muted small">evidence recomputed from the nomination (this item was stored without it)</p>` : ''}
      ${canAct ? acceptForm(ctx, card, c) : ''}
    </div>
  </div>`;
}

function actions(ctx: PageContext, card: ReviewCard): Html {
  const target = `#${cardId(card.item.movieKey)}`;
  return html`<div class="actions">
    <form
      method="post"
      action="/review/resolve"
      hx-post="/review/resolve"
      hx-target="${target}"
      hx-swap="outerHTML"
      class="manual"
    >
      ${csrfField(ctx)}
      <input type="hidden" name="movieKey" value="${card.item.movieKey}" />
      <label
        >IMDb or TMDb id
        <input
          name="id"
          placeholder="tt1234567 or 12345"
          required
          pattern="(tt[0-9]{7,10}|[0-9]{1,10})"
          data-testid="manual-id"
      /></label>
      <button type="submit" data-testid="resolve">Use this id</button>
    </form>
    <form
      method="post"
      action="/review/dismiss"
      hx-post="/review/dismiss"
      hx-target="${target}"
      hx-swap="outerHTML"
    >
      ${csrfField(ctx)}
      <input type="hidden" name="movieKey" value="${card.item.movieKey}" />
      <button type="submit" class="dismiss" data-testid="dismiss">Dismiss</button>
    </form>
  </div>`;
}

/** One item as a card; with `outcome`, the result of what the curator just did. */
export function reviewCard(ctx: PageContext, card: ReviewCard, now: Date, outcome?: Html): Html {
  const { item } = card;
  const canAct = ctx.access === 'curator' && item.status === 'open';
  return html`<article
    class="card ${item.escalatedAt === undefined ? '' : 'escalated'}"
    id="${cardId(item.movieKey)}"
    data-testid="review-item"
    data-movie-key="${item.movieKey}"
    data-status="${item.status}"
  >
    <header>
      <span class="badge reason">${item.reason}</span>
      ${item.escalatedAt === undefined ? '' : html`<span class="badge bad" data-testid="escalated">escalated stub</span>`}
      <span class="badge">${item.status}</span>
      <span class="muted"
        >opened ${age(item.createdAt, now)} ago · movie
        <a href="/movie?key=${encodeURIComponent(item.movieKey)}">${item.movieKey}</a></span
      >
    </header>
    ${outcome ?? ''}
    <div class="columns">
      <section>
        <h3>Nomination</h3>
        ${nominationRows(card.nominations)}
        ${
          card.movie === null
            ? ''
            : html`<h3>Stored movie</h3>
                ${movieSummary(card.movie)}`
        }
      </section>
      <section>
        <h3>Candidates (${card.candidates.length})</h3>
        ${card.candidates.length === 0 ? html`<p class="muted">no source offered a candidate: enter the IMDb or TMDb id if you know it</p>` : card.candidates.map((c) => candidate(ctx, card, c, canAct))}
      </section>
    </div>
    ${canAct ? actions(ctx, card) : ''}
  </article>`;
}

export function reviewPage(
  ctx: PageContext,
  filter: QueueFilter,
  festivals: readonly string[],
  cards: readonly ReviewCard[],
  now: Date,
  notice: Html = html``,
): Html {
  return html`${filters(filter, festivals)} ${notice}
    <p class="muted" data-testid="review-count">
      ${cards.length >= queuePageSize ? `the first ${queuePageSize} items` : `${cards.length} item(s)`} ·
      escalated stubs first, then oldest first
    </p>
    ${cards.length === 0 ? html`<p class="empty">nothing to review under these filters</p>` : cards.map((c) => reviewCard(ctx, c, now))}`;
}
