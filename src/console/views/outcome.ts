import type { ActionResult } from '../curator-actions.js';
import { html, type Html } from '../html.js';

/** What the curator's action did: the decision, the enrichment it asked for, the events. */
export function actionOutcome(result: ActionResult): Html {
  const d = result.decision;
  const decided =
    result.kind === 'dismissed'
      ? html`Dismissed without an answer.`
      : html`${result.kind === 'accepted' ? 'Accepted' : 'Resolved with'}
        ${d?.imdbId === undefined ? '' : html`IMDb <code>${d.imdbId}</code> `}${d?.tmdbId === undefined ? '' : html`TMDb <code>${d.tmdbId}</code> `}by
        ${d?.by ?? ''}; the match is locked.`;
  const e = result.enrichment;
  const enrichment =
    e === undefined
      ? ''
      : e.enrichment === 'requested'
        ? html`<li>
            enrichment: <span data-testid="enrichment-result">${e.enrichmentResult ?? 'done'}</span>
          </li>`
        : e.enrichment === 'failed'
          ? html`<li class="bad">
              enrichment failed: <span data-testid="enrichment-result">${e.enrichmentError ?? ''}</span> (the
              decision stands; enrichment can run again)
            </li>`
          : html`<li class="muted" data-testid="enrichment-result">enrichment not wired here</li>`;
  const events =
    result.events.length === 0
      ? html`<li class="muted">no event announced for this movie yet</li>`
      : result.events.map(
          (ev) =>
            html`<li data-testid="event">
              ${ev.topic} · ${ev.state}${ev.isNew === true ? html` <span class="badge ok">new</span>` : ''}
            </li>`,
        );
  return html`<div class="outcome" role="status" data-testid="outcome" data-kind="${result.kind}">
    <p><strong>${decided}</strong></p>
    <ul>
      ${enrichment}
    </ul>
    <p class="small">Events announced for this movie:</p>
    <ul class="events">
      ${events}
    </ul>
  </div>`;
}

/** An action that was refused or failed, shown in place. */
export function actionError(message: string): Html {
  return html`<div class="outcome error" role="alert" data-testid="action-error">${message}</div>`;
}
