import { createHash } from 'node:crypto';
import { sourceNames, type SourceName } from '../../domain/movie.js';
import { html, type Html } from '../html.js';
import type { AfterRedrive, ParkedCard, RedriveResult } from '../parked-queue.js';
import { csrfField, type PageContext } from './layout.js';

/** The "parked" section of the review queue: nominations waiting for a source to be healthy. */

/** A DOM id for a nomination id (ids hold colons and whatever a festival sends). */
function cardId(nominationId: string): string {
  return `parked-${createHash('sha1').update(nominationId).digest('hex').slice(0, 12)}`;
}

function at(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function ago(from: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min`;
  if (s < 172_800) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

function inFuture(when: Date, now: Date): string {
  const s = Math.round((when.getTime() - now.getTime()) / 1000);
  return s <= 0 ? 'now' : s < 120 ? `in ${s} s` : `in ${Math.round(s / 60)} min`;
}

function attempts(tierAttempts: Record<string, number>): string {
  const parts = Object.entries(tierAttempts).map(([tier, n]) => `${tier} ${n}`);
  return parts.length === 0 ? 'none counted (an open circuit spends none)' : parts.join(' · ');
}

/** When the re-driver will send it back, in the words a curator reads. */
function nextText(card: ParkedCard, now: Date, intervalMs: number): Html {
  const { next } = card;
  const source = card.entry.source;
  if (next === undefined && card.redriverHere)
    return html`<span class="bad"
      >never on its own: this resolver's chain does not call ${source} (TIER_ORDER, TIERS_DISABLED); re-drive
      it by hand</span
    >`;
  if (next === undefined)
    return html`<span class="muted"
      >decided by the running resolver (no re-driver in this process): it looks every
      ${Math.round(intervalMs / 1000)} s and sends it back once ${source} answers again</span
    >`;
  const when = html`<strong>${at(next.notBefore)}</strong> (${inFuture(next.notBefore, now)})`;
  switch (next.kind) {
    case 'next_pass':
      return html`${when}: ${source} has answered since it was parked`;
    case 'probe':
      return html`${when}, alone, as the probe: ${source} has not answered since it was parked`;
    case 'after_probe':
      return html`not before ${when}: the oldest parked nomination goes first as a probe, the rest once
      ${source} answers it`;
    case 'circuit_open':
      return html`not before ${when}: ${source}'s circuit is open until then`;
  }
}

function redriveForm(ctx: PageContext, entry: ParkedCard['entry']): Html {
  return html`<form
    method="post"
    action="/review/parked/redrive"
    hx-post="/review/parked/redrive"
    hx-target="#${cardId(entry.nominationId)}"
    hx-swap="outerHTML"
    class="actions"
  >
    ${csrfField(ctx)}
    <input type="hidden" name="nominationId" value="${entry.nominationId}" />
    <button type="submit" class="accept" data-testid="redrive">Re-drive now</button>
    <span class="muted small"
      >back to the input topic at once, whatever ${entry.source}'s health (as
      <code>replay-parked</code>)</span
    >
  </form>`;
}

function filmFacts(entry: ParkedCard['entry']): Html {
  const film = entry.film;
  if (film === undefined)
    return html`<dt>film</dt>
      <dd class="muted">not kept (parked before the film was stored with it)</dd>`;
  return html`<dt>title</dt>
    <dd class="title" data-testid="parked-title">${film.title}</dd>
    <dt>year</dt>
    <dd>${film.year ?? '—'}</dd>
    <dt>IMDb id</dt>
    <dd>${film.imdbId ?? '—'}</dd>
    <dt>festival</dt>
    <dd>${film.festival} · ${film.editionYear} · ${film.category}</dd>`;
}

/** One parked nomination as a card; with `outcome`, what the curator just did. */
export function parkedCard(
  ctx: PageContext,
  card: ParkedCard,
  now: Date,
  intervalMs: number,
  canRedrive: boolean,
  outcome?: Html,
): Html {
  const { entry } = card;
  return html`<article
    class="card parked"
    id="${cardId(entry.nominationId)}"
    data-testid="parked-item"
    data-nomination-id="${entry.nominationId}"
  >
    <header>
      <span class="badge bad">parked</span>
      <span class="badge reason">${entry.source}</span>
      <span class="muted">parked ${ago(entry.parkedAt, now)} ago</span>
    </header>
    ${outcome ?? ''}
    <dl class="facts" data-testid="parked-facts">
      <dt>nomination</dt>
      <dd><code>${entry.nominationId}</code></dd>
      ${filmFacts(entry)}
      <dt>source</dt>
      <dd data-testid="parked-source">${entry.source}</dd>
      <dt>reason</dt>
      <dd data-testid="parked-reason">${entry.reason}</dd>
      <dt>failing since</dt>
      <dd>${at(entry.since)} (${ago(entry.since, now)} ago)</dd>
      <dt>parked at</dt>
      <dd>${at(entry.parkedAt)}</dd>
      <dt>attempts per tier</dt>
      <dd data-testid="parked-attempts">${attempts(entry.tierAttempts)}</dd>
      <dt>next automatic re-drive</dt>
      <dd data-testid="next-redrive" data-kind="${card.next?.kind ?? 'unknown'}">
        ${nextText(card, now, intervalMs)}
      </dd>
    </dl>
    ${ctx.access === 'curator' && canRedrive ? redriveForm(ctx, entry) : ''}
  </article>`;
}

/** The parked section: how many, then a card each, oldest first. */
export function parkedSection(
  ctx: PageContext,
  parked: { cards: readonly ParkedCard[]; total: number },
  now: Date,
  intervalMs: number,
  canRedrive: boolean,
): Html {
  const { cards, total } = parked;
  return html`<p class="muted" data-testid="parked-count">
      ${total} nomination(s) parked: transient failures outlived RETRY_HORIZON; each goes back to the input
      topic once its source answers again${cards.length < total ? ` · ${cards.length} shown` : ''} · oldest
      first
    </p>
    ${canRedrive ? '' : html`<p class="muted">no Kafka producer in this console: use <code>festival-resolver replay-parked</code></p>`}
    ${cards.length === 0 ? html`<p class="empty">nothing parked under these filters</p>` : cards.map((c) => parkedCard(ctx, c, now, intervalMs, canRedrive))}`;
}

/** Above the queue: how many are parked, and a link to them. */
export function parkedNotice(counts: Partial<Record<SourceName, number>>): Html {
  const entries = sourceNames.flatMap((s) => ((counts[s] ?? 0) > 0 ? [[s, counts[s] ?? 0] as const] : []));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return html``;
  return html`<p class="outcome" data-testid="parked-notice">
    <a href="/review?status=parked">${total} nomination(s) parked</a>, waiting for a source
    (${entries.map(([s, n]) => `${s} ${n}`).join(', ')})
  </p>`;
}

/** Where the re-driven nomination is: asks again every 2 s until it is recorded or parked again. */
export function afterRedriveStatus(nominationId: string, since: number, state: AfterRedrive): Html {
  const poll = `/review/parked/status?nominationId=${encodeURIComponent(nominationId)}&since=${since}`;
  switch (state.kind) {
    case 'waiting':
      return html`<p
        data-testid="redrive-status"
        data-kind="waiting"
        hx-get="${poll}"
        hx-trigger="load delay:2s"
        hx-swap="outerHTML"
      >
        waiting for the resolver to consume it…
      </p>`;
    case 'recorded':
      return html`<p data-testid="redrive-status" data-kind="recorded">
        <strong>recorded</strong>: movie
        <a href="/movie?key=${encodeURIComponent(state.movieKey)}">${state.movieKey}</a>
        ${state.importType === undefined ? '' : html` · ${state.importType}`}${state.sources.length === 0 ? '' : html` from ${state.sources.join(' > ')}`};
        it is no longer parked
      </p>`;
    case 'parked_again':
      return html`<p class="bad" data-testid="redrive-status" data-kind="parked_again">
        parked again: ${state.source} still fails (${state.reason})
      </p>`;
    case 'gave_up':
      return html`<p class="muted" data-testid="redrive-status" data-kind="gave_up">
        not recorded yet after two minutes: the nomination is on the input topic; check that a resolver runs
        (consumer lag) and reload
      </p>`;
  }
}

/** The card after "re-drive now": what was done, and where the nomination is now. */
export function redriveOutcome(result: RedriveResult, status: Html): Html {
  if (result.kind === 'not_parked')
    return html`<article class="card parked" data-testid="parked-outcome" data-kind="not_parked">
      <div class="outcome error" role="alert" data-testid="action-error">
        <code>${result.nominationId}</code> is no longer parked: the re-driver or another curator sent it back
        already
      </div>
    </article>`;
  const { entry } = result;
  return html`<article
    class="card parked"
    id="${cardId(entry.nominationId)}"
    data-testid="parked-outcome"
    data-kind="redriven"
    data-nomination-id="${entry.nominationId}"
  >
    <div class="outcome" role="status" data-testid="outcome">
      <p>
        <strong>Re-driven</strong> at ${at(result.at)}:
        <code>${entry.nominationId}</code> (${entry.film?.title ?? 'film not kept'}) went back to
        <code>${result.topic}</code> as a first delivery and left the parking.
      </p>
      ${status}
    </div>
  </article>`;
}

/** An action on a parked nomination that failed, shown in place. */
export function redriveError(message: string): Html {
  return html`<article class="card parked" data-testid="parked-outcome" data-kind="error">
    <div class="outcome error" role="alert" data-testid="action-error">${message}</div>
  </article>`;
}
