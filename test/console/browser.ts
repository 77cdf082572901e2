import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { onTestFinished } from 'vitest';

/**
 * Debian's chromium driven by playwright-core: no browser is downloaded; .ci/run installs
 * the `chromium` package as it installs prometheus. CHROMIUM_PATH points elsewhere.
 */

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? candidates.find((p) => existsSync(p));
  if (path === undefined || !existsSync(path))
    throw new Error(
      "no chromium binary: install Debian's chromium (apt-get install chromium; .ci/run does it as root) or set CHROMIUM_PATH",
    );
  return path;
}

/** The CI report folder of .ci/run (.stack/ci); screenshots go to its screenshots/ folder. */
const screenshotDir = fileURLToPath(new URL('../../.stack/ci/screenshots/', import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    // Root in CI containers has no user namespace for the sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  onTestFinished(() => browser.close());
  return browser;
}

/** A page that records every dialog, page error and console error it sees. */
export async function watchedPage(
  browser: Browser,
): Promise<{ page: Page; dialogs: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return { page, dialogs, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = `${screenshotDir}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A screenshot of one element (a review card after an action, say). */
export async function elementScreenshot(locator: Locator, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = `${screenshotDir}${name}.png`;
  await locator.screenshot({ path });
  return path;
}
