/// <reference lib="dom" />
import { collectionNames } from '../../src/persistence/collections.js';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { MoviesRepository } from '../../src/persistence/movies-repository.js';
import { ReviewQueueRepository, type ReviewItem } from '../../src/persistence/review-queue-repository.js';
import { startPipeline } from '../helpers/pipeline.js';
import { elementScreenshot, launchBrowser, screenshot, watchedPage } from './browser.js';
import { consoleWorld, festival, imgTitle, scriptTitle, untilRecorded } from './console-fixture.js';

const token = 'curator-token-for-the-console-test';

const squash = (text: string | null): string => (text ?? '').replace(/\s+/g, ' ');

async function card(page: Page, title: string) {
  const locator = page.locator('[data-testid=review-item]', {
    has: page.locator('[data-testid=nomination-title]', { hasText: title }),
  });
  await expect.poll(() => locator.count()).toBe(1);
  return locator;
}

async function chartData(
  page: Page,
  id: string,
): Promise<{ points: number; total: number; painted: number }> {
  return page.evaluate((chartId) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`canvas[data-chart="${chartId}"]`);
    const chart = canvas
      ? (
          window as unknown as {
            Chart: {
              getChart(c: HTMLCanvasElement): { data: { datasets: { data: number[] }[] } } | undefined;
            };
          }
        ).Chart.getChart(canvas)
      : undefined;
    if (!canvas || !chart) return { points: 0, total: 0, painted: 0 };
    const values = chart.data.datasets.flatMap((d) => d.data);
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted += 1;
    return { points: values.length, total: values.reduce((s, v) => s + v, 0), painted };
  }, id);
}

describe('the console inside `run`, on a real pipeline run, in chromium', () => {
  it('when a curator signs in, then the queue shows nominations beside candidates with evidence, accept / enter an id / dismiss go through the review actions with their result on the page, and movies and KPI charts show the run', async () => {
    const fixture = consoleWorld();
    const pipeline = await startPipeline({
      world: fixture.world,
      env: { RETRY_MAX_ATTEMPTS: '2', RETRY_BASE_DELAY_MS: '200', CONSOLE_TOKEN: token, CONSOLE_PORT: '0' },
    });
    const service = await pipeline.startInstance({}, { opsServer: true });
    expect(service.console?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const base = service.console!.url;
    await pipeline.publish(fixture.nominations);
    await untilRecorded(pipeline, fixture.nominations.length);
    const reviews = new ReviewQueueRepository(pipeline.db);
    const movies = new MoviesRepository(pipeline.db);
    await pipeline.waitFor('five review items', async () => (await reviews.countOpen()) >= 5, 30_000);
    // Every film in the queue stays a stub, the doubtful matches included: below the accept
    // threshold nothing is stored as full or minimal.
    const open = await pipeline.db
      .collection<ReviewItem>(collectionNames.reviewQueue)
      .find({ status: 'open' })
      .toArray();
    const openMovies = await Promise.all(open.map((i) => movies.get(i.movieKey)));
    expect(openMovies.map((m) => m?.importType)).toEqual(open.map(() => 'stub'));
    // The three stubs no tier could match are a month old, and are escalated (as housekeeping
    // does after STUB_ESCALATION_DAYS); the two doubtful matches are new and are not.
    const aMonthAgo = new Date(Date.now() - 31 * 86_400_000);
    const oldStubs = open.filter((i) => i.reason !== 'low_confidence').map((i) => i.movieKey);
    expect(oldStubs).toHaveLength(3);
    await pipeline.db
      .collection(collectionNames.movies)
      .updateMany({ key: { $in: oldStubs } }, { $set: { createdAt: aMonthAgo } });
    expect(await reviews.escalateStaleStubs(new Date(), 30)).toBe(3);

    const browser = await launchBrowser();
    const { page, dialogs, errors } = await watchedPage(browser);

    // Signed out: the queue is readable, and no action is offered.
    await page.goto(`${base}/review`);
    await expect.poll(() => page.locator('[data-testid=review-item]').count()).toBe(5);
    expect(
      await page.locator('[data-testid=accept], [data-testid=dismiss], [data-testid=resolve]').count(),
    ).toBe(0);
    const refused = await page.request.post(`${base}/review/dismiss`, { form: { movieKey: 'x' } });
    expect(refused.status()).toBe(403); // no CSRF token

    await page.fill('[data-testid=signin] input[name=token]', 'not-the-token-at-all');
    await page.click('[data-testid=signin] button');
    await expect.poll(() => page.textContent('body')).toContain('wrong token');
    await page.goto(`${base}/review`);
    await page.fill('[data-testid=signin] input[name=token]', token);
    await page.click('[data-testid=signin] button');
    await expect.poll(() => page.textContent('[data-testid=access]')).toContain('curator');

    // Escalated stubs first, then the rest oldest first.
    const statuses = await page
      .locator('[data-testid=review-item]')
      .evaluateAll((cards) => cards.map((c) => c.querySelector('[data-testid=escalated]') !== null));
    expect(statuses).toEqual([true, true, true, false, false]);

    // The nomination beside each candidate with its evidence and poster.
    const winter = await card(page, 'Winter Road');
    await expect
      .poll(() => winter.locator('.nomination').textContent())
      .toMatch(/cannes_2023.*2023.*competition.*Winter Road.*Ada Director/s);
    const best = winter.locator('[data-testid=candidate]').first();
    const bestText = (await best.textContent()) ?? '';
    expect(bestText).toContain(`tmdb:${fixture.winterRoad.tmdbId}`);
    expect(bestText).toMatch(/title similarity\s*100 %/);
    expect(bestText).toMatch(/year distance\s*2 years earlier/);
    expect(bestText).toMatch(/director overlap\s*unknown/);
    expect(await best.locator('.poster img').getAttribute('src')).toMatch(/^https:\/\/image\.tmdb\.org\//);
    const imgCard = await card(page, imgTitle);
    expect(await imgCard.locator('[data-testid=candidate]').first().textContent()).toMatch(
      /director overlap\s*0 %/,
    );
    await screenshot(page, 'console-review-queue');

    // Filters: by reason, festival and age.
    await page.goto(`${base}/review?reason=low_confidence`);
    await expect.poll(() => page.locator('[data-testid=review-item]').count()).toBe(2);
    await page.goto(`${base}/review?festival=${festival}&age=under_1d`);
    await expect.poll(() => page.locator('[data-testid=review-item]').count()).toBe(5);
    await page.goto(`${base}/review?age=over_7d`);
    await expect.poll(() => page.locator('[data-testid=review-item]').count()).toBe(0);
    await page.goto(`${base}/review?festival=venice_2023`);
    await expect.poll(() => page.locator('[data-testid=review-item]').count()).toBe(0);
    await page.goto(`${base}/review`);

    // Accept a candidate: locked, enriched, and the outcome replaces the card in place.
    const winterKey = (await (await card(page, 'Winter Road')).getAttribute('data-movie-key'))!;
    await (
      await card(page, 'Winter Road')
    )
      .locator('[data-testid=candidate]')
      .first()
      .locator('[data-testid=accept]')
      .click();
    const accepted = page.locator(`[data-movie-key="${winterKey}"] [data-testid=outcome]`);
    await expect.poll(() => accepted.count()).toBe(1);
    expect(squash(await accepted.textContent())).toContain(`Accepted TMDb ${fixture.winterRoad.tmdbId}`);
    expect(await page.locator(`[data-movie-key="${winterKey}"] [data-testid=locked]`).textContent()).toMatch(
      /match/,
    );
    expect(await page.locator(`[data-movie-key="${winterKey}"]`).getAttribute('data-status')).toBe(
      'resolved',
    );
    const winterMovie = await movies.get(winterKey);
    expect(winterMovie).toMatchObject({ tmdbId: fixture.winterRoad.tmdbId });
    expect(winterMovie?.locked).toEqual(expect.arrayContaining(['match', 'tmdbId']));
    expect(((await reviews.get(winterKey)) as ReviewItem).resolution).toMatchObject({
      tmdbId: fixture.winterRoad.tmdbId,
      by: 'console',
    });
    await screenshot(page, 'console-review-accepted');
    await elementScreenshot(page.locator(`[data-movie-key="${winterKey}"]`), 'console-review-accepted-card');

    // Enter an IMDb ID for the stub no tier found: enrichment upgrades it and announces it.
    const harbor = await card(page, 'Quiet Harbor');
    const harborKey = (await harbor.getAttribute('data-movie-key'))!;
    await harbor.locator('[data-testid=manual-id]').fill(fixture.harbourNights.imdbId);
    await harbor.locator('[data-testid=resolve]').click();
    const resolved = page.locator(`[data-movie-key="${harborKey}"] [data-testid=outcome]`);
    await expect.poll(() => resolved.count()).toBe(1);
    expect(squash(await resolved.textContent())).toContain(
      `Resolved with IMDb ${fixture.harbourNights.imdbId}`,
    );
    expect(await resolved.locator('[data-testid=enrichment-result]').textContent()).toMatch(
      /^upgraded stub -> (minimal|full) from (tmdb|omdb|imdb)$/,
    );
    expect(
      (await resolved.locator('[data-testid=event]').allTextContents()).map((t) => squash(t).trim()),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^movie\.resolved · (minimal|full):\S+ new$/)]));
    await elementScreenshot(page.locator(`[data-movie-key="${harborKey}"]`), 'console-review-resolved-card');
    const harbourMovie = await movies.get(harborKey);
    expect(harbourMovie).toMatchObject({ imdbId: fixture.harbourNights.imdbId });
    expect(harbourMovie?.importType).not.toBe('stub');

    // A malformed ID is refused in place and changes nothing.
    const paper = await card(page, 'Paper Birds');
    const paperKey = (await paper.getAttribute('data-movie-key'))!;
    const posted = await page.evaluate(async (key) => {
      const csrf = document.querySelector<HTMLInputElement>('input[name=_csrf]')!.value;
      const r = await fetch('/review/resolve', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, movieKey: key, id: 'nm0000001' }),
      });
      return { status: r.status, text: await r.text() };
    }, paperKey);
    expect(posted.status).toBe(409);
    expect(posted.text).toContain('enter an IMDb ID');
    expect((await reviews.get(paperKey))?.status).toBe('open');
    // An ID another movie already has is refused on the card, which keeps its actions.
    await paper.locator('[data-testid=manual-id]').fill(String(fixture.winterRoad.tmdbId));
    await paper.locator('[data-testid=resolve]').click();
    const refusedHere = page.locator(`[data-movie-key="${paperKey}"] [data-testid=action-error]`);
    await expect.poll(() => refusedHere.count()).toBe(1);
    expect(await refusedHere.textContent()).toContain('another movie already has');
    expect(await page.locator(`[data-movie-key="${paperKey}"] [data-testid=resolve]`).count()).toBe(1);
    expect((await reviews.get(paperKey))?.status).toBe('open');
    expect((await movies.get(paperKey))?.locked).toEqual([]);

    // Dismiss.
    const script = await card(page, scriptTitle);
    const scriptKey = (await script.getAttribute('data-movie-key'))!;
    await script.locator('[data-testid=dismiss]').click();
    await expect
      .poll(() =>
        page.locator(`[data-movie-key="${scriptKey}"] [data-testid=outcome]`).getAttribute('data-kind'),
      )
      .toBe('dismissed');
    expect((await reviews.get(scriptKey))?.status).toBe('dismissed');
    await page.goto(`${base}/review`);
    await expect.poll(() => page.locator('[data-testid=review-item]').count()).toBe(2);
    await page.goto(`${base}/review?status=resolved`);
    await expect.poll(() => page.locator('[data-testid=review-item]').count()).toBe(2);

    // Movies: search by title and by ID; a movie's state, nominations and lookup history.
    await page.goto(`${base}/movies?q=winter`);
    await expect.poll(() => page.locator('[data-testid=movie-results] tbody tr').count()).toBe(1);
    await page.goto(`${base}/movies?q=${fixture.harbourNights.imdbId}`);
    await page.locator('[data-testid=movie-results] a').first().click();
    await expect.poll(() => page.textContent('[data-testid=import-type]')).toBe(harbourMovie?.importType);
    expect(await page.textContent('[data-testid=hierarchy]')).toMatch(/tmdb|omdb|imdb/);
    expect(await page.locator('[data-testid=movie-nominations] tbody tr').count()).toBe(1);
    const history = await page.locator('[data-testid=lookup-history] tbody tr').allTextContents();
    expect(history.length).toBeGreaterThan(1);
    expect(history.join('\n')).toContain(fixture.harbourNights.imdbId);
    expect(history.join('\n')).toContain('Quiet Harbor');
    expect(await page.textContent('main')).not.toContain('last enrichment never');
    await screenshot(page, 'console-movie');

    // KPIs: the four indicators drawn from data, with the window and festival filters.
    for (const query of ['since=24h', `since=7d&festival=${festival}`]) {
      await page.goto(`${base}/kpis?${query}`);
      await page.waitForSelector('body[data-charts-drawn=true]');
      for (const chart of ['success', 'tiers', 'cost-daily', 'festivals', 'budgets']) {
        const drawn = await chartData(page, chart);
        expect(drawn.points, chart).toBeGreaterThan(0);
        expect(drawn.total, chart).toBeGreaterThan(0);
        expect(drawn.painted, chart).toBeGreaterThan(1000);
      }
    }
    expect(await page.textContent('[data-testid=kpi-festivals] table')).toContain(festival);
    await screenshot(page, 'console-kpis');
    await page.goto(`${base}/kpis?since=24h&festival=venice_2023`);
    await page.waitForSelector('body[data-charts-drawn=true]');
    expect((await chartData(page, 'success')).points).toBe(0);

    // No secret anywhere: not the console token, not the sources' keys, not the session cookie.
    const secrets = [
      token,
      pipeline.twin.keys.tmdbToken,
      pipeline.twin.keys.omdbKey,
      pipeline.twin.keys.zyteKey,
    ];
    for (const path of [
      '/review',
      '/review?status=resolved',
      `/movie?key=${encodeURIComponent(harborKey)}`,
      '/movies?q=a',
      '/kpis?since=all',
    ]) {
      await page.goto(`${base}${path}`);
      const htmlText = await page.content();
      for (const secret of secrets) expect(htmlText, `${path} shows a secret`).not.toContain(secret);
    }
    expect(await page.evaluate(() => document.cookie)).not.toMatch(/fr_console_auth/);
    expect(dialogs).toEqual([]);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  }, 240_000);
});
