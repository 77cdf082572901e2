/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { collectionNames } from '../../src/persistence/collections.js';
import { parkedCollection } from '../../src/persistence/parked-nominations.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline } from '../helpers/pipeline.js';
import { elementScreenshot, launchBrowser, screenshot, watchedPage } from './browser.js';

const token = 'curator-token-for-the-parked-test';

describe('parked nominations in the console inside `run`, in chromium', () => {
  it('when TMDb is down beyond the retry horizon, then the parked nominations are on the review page with their film and source, the gauge counts them, and a curator re-drives one once TMDb is back: it is resolved and leaves the parked list', async () => {
    const world = generateWorld({ seed: 29, size: 4, ratios: { tmdbFindMiss: 0 } });
    const lineup = worldNominations(world, { seed: 6 });
    const pipeline = await startPipeline({
      world,
      // TMDb down until the test ends the outage.
      twinOptions: { tmdb: { outage: { startsAt: Date.now(), endsAt: null } } },
      env: {
        RETRY_HORIZON: '2s',
        RETRY_BASE_DELAY_MS: '200',
        RETRY_MAX_DELAY_MS: '1000',
        // No automatic re-drive during the test: only the curator's.
        PARK_REDRIVE_INTERVAL: '1h',
        ENRICHMENT_ENABLED: 'false',
        CONSOLE_TOKEN: token,
        CONSOLE_PORT: '0',
      },
    });
    const service = await pipeline.startInstance({}, { opsServer: true });
    const base = service.console!.url;
    await pipeline.publish(lineup.map((l) => l.nomination));
    const parked = pipeline.db.collection(parkedCollection);
    const nominations = pipeline.db.collection(collectionNames.nominations);
    await pipeline.waitFor(
      'the lineup parked',
      async () => (await parked.countDocuments()) === lineup.length,
      90_000,
    );
    expect(await nominations.countDocuments()).toBe(0);
    const gauge = async () =>
      Object.fromEntries(
        (
          (await service.metrics.registry.getSingleMetric('festival_resolver_parked_nominations')?.get())
            ?.values ?? []
        ).map((v) => [String(v.labels.source), v.value]),
      );
    // Set by the parks themselves (the re-driver's next pass is an hour away).
    await pipeline.waitFor(
      'the gauge at the parked count',
      async () => (await gauge()).tmdb === lineup.length,
      10_000,
    );

    const browser = await launchBrowser();
    const { page, dialogs, errors } = await watchedPage(browser);
    await page.goto(`${base}/review`);
    await expect
      .poll(() => page.textContent('[data-testid=parked-notice]'))
      .toMatch(new RegExp(`${lineup.length} nomination\\(s\\) parked.*tmdb ${lineup.length}`, 's'));
    await page.fill('[data-testid=signin] input[name=token]', token);
    await page.click('[data-testid=signin] button');
    await page.click('[data-testid=parked-notice] a');
    await expect.poll(() => page.locator('[data-testid=parked-item]').count()).toBe(lineup.length);
    expect(await page.locator('select[name=status]').inputValue()).toBe('parked');

    const first = lineup[0]!;
    const item = page.locator('[data-testid=parked-item]', {
      has: page.locator('[data-testid=parked-title]', { hasText: first.nomination.film.title }),
    });
    await expect.poll(() => item.count()).toBe(1);
    const facts = (await item.locator('[data-testid=parked-facts]').textContent()) ?? '';
    expect(facts).toContain(first.nomination.nominationId);
    expect(facts).toContain(first.nomination.festival);
    if (first.nomination.film.imdbId !== null) expect(facts).toContain(first.nomination.film.imdbId);
    expect(await item.locator('[data-testid=parked-source]').textContent()).toBe('tmdb');
    expect(await item.locator('[data-testid=parked-reason]').textContent()).toMatch(/\S/);
    expect(await item.locator('[data-testid=parked-attempts]').textContent()).toMatch(/tmdb \d+/);
    // As this process's re-driver sees TMDb: no answer since the parking, the pass an hour away.
    expect(await item.locator('[data-testid=next-redrive]').getAttribute('data-kind')).toMatch(
      /^(probe|after_probe|circuit_open)$/,
    );
    expect(await item.locator('[data-testid=next-redrive]').textContent()).toMatch(/\d\d:\d\d:\d\d UTC/);
    await screenshot(page, 'console-parked');

    // TMDb is back; the curator does not wait for the re-driver.
    pipeline.twin.setOptions({ tmdb: { outage: null } });
    await item.locator('[data-testid=redrive]').click();
    const outcome = page.locator(
      `[data-testid=parked-outcome][data-nomination-id="${first.nomination.nominationId}"]`,
    );
    await expect.poll(() => outcome.getAttribute('data-kind')).toBe('redriven');
    expect(await outcome.textContent()).toContain('Re-driven');
    await expect
      .poll(() => outcome.locator('[data-testid=redrive-status]').getAttribute('data-kind'), {
        timeout: 60_000,
      })
      .toBe('recorded');
    expect(await outcome.locator('[data-testid=redrive-status]').textContent()).toMatch(/full/);
    await elementScreenshot(outcome, 'console-parked-redriven-card');
    const recorded = await nominations.findOne({ nominationId: first.nomination.nominationId });
    expect(recorded).not.toBeNull();
    const movie = await pipeline.db.collection(collectionNames.movies).findOne({ key: recorded!.movieKey });
    expect(movie).toMatchObject({ importType: 'full', imdbId: first.answer.imdbId });

    // It left the parking, the page and the gauge; the others are still parked.
    await page.goto(`${base}/review?status=parked`);
    await expect.poll(() => page.locator('[data-testid=parked-item]').count()).toBe(lineup.length - 1);
    expect(await page.textContent('main')).not.toContain(first.nomination.nominationId);
    expect((await gauge()).tmdb).toBe(lineup.length - 1);
    expect(dialogs).toEqual([]);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  }, 240_000);
});
