import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/fixtures/real/: recorded answers of the real services (SOURCES.md, EXPECTED.md). */
const realFixturesDir =
  process.env.REAL_FIXTURES_DIR ?? fileURLToPath(new URL('../../../shared/fixtures/real/', import.meta.url));

export interface ExpectedEntry {
  service: 'imdb' | 'tmdb' | 'omdb' | 'zyte';
  endpoint: string;
  facts: Record<string, unknown>;
  notes?: string;
}

/** expected.json: one entry per fixture file, keyed by its path relative to the folder. */
export function loadExpected(): Record<string, ExpectedEntry> {
  return JSON.parse(readFileSync(join(realFixturesDir, 'expected.json'), 'utf8')) as Record<
    string,
    ExpectedEntry
  >;
}

/** Every fixture file (json or html) under the folder, as paths relative to it, sorted. */
export function fixtureFiles(under = ''): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(json|html)$/.test(name) && name !== 'expected.json')
        out.push(relative(realFixturesDir, path));
    }
  };
  walk(join(realFixturesDir, under));
  return out.sort();
}

export function readFixture(file: string): Buffer {
  return readFileSync(join(realFixturesDir, file));
}

export function readFixtureJson(file: string): unknown {
  return JSON.parse(readFixture(file).toString('utf8')) as unknown;
}

/** The JSON of `<script type="application/ld+json">` and `<script id="__NEXT_DATA__">` of an IMDb page. */
export function pageBlocks(html: string): {
  jsonLd: Record<string, unknown> | undefined;
  nextData: Record<string, unknown> | undefined;
} {
  const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)?.[1];
  const next = /<script id="__NEXT_DATA__" type="application\/json">([\s\S]*?)<\/script>/.exec(html)?.[1];
  return {
    jsonLd: ld === undefined ? undefined : (JSON.parse(ld) as Record<string, unknown>),
    nextData: next === undefined ? undefined : (JSON.parse(next) as Record<string, unknown>),
  };
}
