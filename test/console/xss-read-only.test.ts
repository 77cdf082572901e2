/// <reference lib="dom" />
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { NominationsRepository } from '../../src/persistence/nominations-repository.js';
import { ReviewQueueRepository } from '../../src/persistence/review-queue-repository.js';
import { startPipeline } from '../helpers/pipeline.js';
import { testServices } from '../helpers/services.js';
import { launchBrowser, screenshot, watchedPage } from './browser.js';
import { consoleWorld, imgTitle, scriptTitle, untilRecorded } from './console-fixture.js';

/** `festival-resolver console` in a child process; resolves with its address once it listens. */
async function startConsoleCommand(env: Record<string, string>): Promise<string> {
  const bin = fileURLToPath(new URL('../../bin/festival-resolver.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'console', '--port', '0', '--no-enrich'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  onTestFinished(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`console did not start: ${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /console: (http:\/\/\S+)/.exec(output)?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`console exited with ${code}: ${output}`)));
  });
}

/** What an injection would leave behind: elements or handlers that no page of ours has. */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes))
        if (/^on/i.test(attr.name)) found.push(`${el.tagName} ${attr.name}`);
    }
    for (const img of Array.from(document.querySelectorAll('img')))
      if (!/^https:\/\//.test(img.getAttribute('src') ?? '')) found.push(`img ${img.getAttribute('src')}`);
    for (const b of Array.from(document.querySelectorAll('b'))) found.push(`b ${b.outerHTML}`);
    for (const s of Array.from(document.querySelectorAll('script')))
      if (s.type !== 'application/json' && !/^\/assets\//.test(s.getAttribute('src') ?? ''))
        found.push(`script ${s.outerHTML.slice(0, 80)}`);
    return found;
  });
}

function get(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end();
  });
}

describe('the console command without a token, in chromium', () => {
  it('when films are titled like an attack, then every page shows them as text and nothing executes; without CONSOLE_TOKEN no action is offered and every POST is refused', async () => {
    const fixture = consoleWorld();
    const pipeline = await startPipeline({
      world: fixture.world,
      env: { RETRY_MAX_ATTEMPTS: '2', RETRY_BASE_DELAY_MS: '200' },
    });
    await pipeline.startInstance();
    await pipeline.publish(fixture.nominations);
    await untilRecorded(pipeline, fixture.nominations.length);
    const reviews = new ReviewQueueRepository(pipeline.db);
    const nominations = new NominationsRepository(pipeline.db);
    await pipeline.waitFor('five review items', async () => (await reviews.countOpen()) >= 5, 30_000);

    const base = await startConsoleCommand({
      MONGODB_URI: testServices().mongoUri,
      MONGODB_DATABASE: pipeline.config.mongo.database,
    });
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const browser = await launchBrowser();
    const { page, dialogs, errors } = await watchedPage(browser);

    await page.goto(`${base}/review`);
    await expect.poll(() => page.locator('[data-testid=review-item]').count()).toBe(5);
    const keyOf = async (title: string) => {
      const id = fixture.nominations.find((n) => n.film.title === title)!.nominationId;
      return (await nominations.get(id))!.movieKey;
    };
    const scriptKey = await keyOf(scriptTitle);
    const imgKey = await keyOf(imgTitle);
    const pages = [
      '/review',
      '/review?reason=all_sources_failed',
      `/movies?q=${encodeURIComponent('<script>')}`,
      '/movies?q=img',
      `/movie?key=${encodeURIComponent(scriptKey)}`,
      `/movie?key=${encodeURIComponent(imgKey)}`,
      `/movie?key=${encodeURIComponent('<img src=x onerror=alert(4)>')}`,
      `/review?festival=${encodeURIComponent('"><img src=x onerror=alert(5)>')}`,
      '/kpis?since=24h',
    ];
    for (const path of pages) {
      await page.goto(`${base}${path}`);
      await page.waitForLoadState('networkidle');
      expect(await injected(page), path).toEqual([]);
    }
    await page.goto(`${base}/review`);
    const text = (await page.textContent('main')) ?? '';
    expect(text).toContain(scriptTitle);
    expect(text).toContain(imgTitle);
    expect(text).toContain('<img src=x onerror=alert(2)>');
    expect(text).toContain('<b onmouseover=alert(3)>x</b>');
    // The attack-titled candidate is shown as text too.
    expect(
      await page.locator('[data-testid=candidate-title]', { hasText: imgTitle }).count(),
    ).toBeGreaterThan(0);
    await page.goto(`${base}/movies?q=img`);
    expect(await page.textContent('[data-testid=movie-results]')).toContain(imgTitle);

    // Read-only: no action rendered, no sign-in offered.
    await page.goto(`${base}/review`);
    expect(await page.textContent('[data-testid=access]')).toContain('read-only');
    expect(
      await page
        .locator('[data-testid=accept], [data-testid=dismiss], [data-testid=resolve], [data-testid=signin]')
        .count(),
    ).toBe(0);
    await screenshot(page, 'console-read-only-xss');

    // A POST with a valid CSRF token is still refused, and changes nothing.
    const refused = await page.evaluate(async (key) => {
      const csrf = document.querySelector('body')!.getAttribute('hx-headers')!;
      const token = (JSON.parse(csrf) as Record<string, string>)['x-csrf-token']!;
      const results: number[] = [];
      for (const path of ['/review/dismiss', '/review/resolve', '/review/accept', '/login']) {
        const r = await fetch(path, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': token },
          body: new URLSearchParams({
            movieKey: key,
            id: 'tt1234567',
            source: 'tmdb',
            candidateId: '1',
            token: 'guess-guess-guess-guess',
          }),
        });
        results.push(r.status);
      }
      return results;
    }, scriptKey);
    expect(refused).toEqual([403, 403, 403, 403]);
    expect((await reviews.get(scriptKey))?.status).toBe('open');
    expect(await reviews.countOpen()).toBe(5);

    // Loopback only: a request naming another host (DNS rebinding) is refused.
    expect(await get(`${base}/review`, 'attacker.example')).toBe(421);
    expect(await get(`${base}/review`, `127.0.0.1:${new URL(base).port}`)).toBe(200);

    expect(dialogs).toEqual([]);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  }, 180_000);
});
