import { html, type Html } from '../html.js';
import type { Access } from '../auth.js';

/** What every page needs to know about the request. */
export interface PageContext {
  access: Access;
  /** CSRF token for the forms of this page (the matching secret is in a signed cookie). */
  csrf: string;
  /** The path the navigation marks as current. */
  section: 'review' | 'movies' | 'kpis';
}

/** The hidden CSRF field every form carries. */
export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf}" />`;
}

function accessBadge(ctx: PageContext): Html {
  if (ctx.access === 'read_only')
    return html`<span class="badge muted" data-testid="access"
      >read-only (no CONSOLE_TOKEN configured)</span
    >`;
  if (ctx.access === 'signed_out')
    return html`<form class="signin" method="post" action="/login" data-testid="signin">
      ${csrfField(ctx)}
      <input
        type="password"
        name="token"
        placeholder="console token"
        autocomplete="current-password"
        required
      />
      <button type="submit">Sign in</button>
    </form>`;
  return html`<form class="signin" method="post" action="/logout">
    ${csrfField(ctx)}<span class="badge ok" data-testid="access">curator</span>
    <button type="submit" class="link">sign out</button>
  </form>`;
}

/** One whole page: navigation, the body, and only our own scripts from this server. */
export function page(ctx: PageContext, title: string, body: Html, options: { charts?: boolean } = {}): Html {
  const link = (section: PageContext['section'], href: string, label: string) =>
    html`<a href="${href}" class="${ctx.section === section ? 'current' : ''}">${label}</a>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta
          name="htmx-config"
          content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"...","swap":true}]}'
        />
        <title>${title} · festival-resolver console</title>
        <link rel="stylesheet" href="/assets/console.css" />
        <script src="/assets/htmx.min.js" defer></script>
        ${
          options.charts === true
            ? html`<script src="/assets/chart.umd.min.js" defer></script>
                <script src="/assets/charts.js" defer></script>`
            : ''
        }
      </head>
      <body hx-headers='{"x-csrf-token": "${ctx.csrf}"}'>
        <header>
          <strong class="brand">festival-resolver</strong>
          <nav>
            ${link('review', '/review', 'Review queue')}${link('movies', '/movies', 'Movies')}${link('kpis', '/kpis', 'KPIs')}
          </nav>
          ${accessBadge(ctx)}
        </header>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`;
}
