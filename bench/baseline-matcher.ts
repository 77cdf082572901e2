/**
 * The OLD TMDb matcher, reproduced for comparison only (DESIGN.md §2, "What the old TMDb
 * matcher did wrong"). Do not use it anywhere else. Its faults are kept on purpose:
 *  - six strategies, each with a fixed confidence whatever the candidate looks like;
 *  - strategies 3, 4 and 6 take the first search result unconditionally;
 *  - its defaults silently disabled strategies 4–6 (`enabledStrategies: 3`);
 *  - every error (429, 5xx, network, bad body) becomes "not found".
 * After a hit it fetched the film's details to build the record, so that call is counted.
 */

/** One old strategy and the confidence it always reported. */
const baselineStrategies = [
  { n: 1, name: 'find_by_imdb_id', confidence: 1.0 },
  { n: 2, name: 'exact_title_year', confidence: 0.95 },
  { n: 3, name: 'normalised_title', confidence: 0.9 },
  { n: 4, name: 'year_plus_minus_one', confidence: 0.85 },
  { n: 5, name: 'fuzzy_title', confidence: 0.7 },
  { n: 6, name: 'first_three_words', confidence: 0.5 },
] as const;

/** What the old matcher was asked. */
export interface BaselineQuery {
  imdbId?: string;
  title: string;
  year?: number;
}

/** What the old matcher answered: a TMDb id with a fixed confidence, or nothing. */
export interface BaselineResult {
  tmdbId: number | null;
  confidence: number;
  strategy: string | null;
  calls: number;
}

export interface BaselineOptions {
  baseUrl: string;
  readToken: string;
  /** The old default was 3: strategies 4–6 never ran. */
  enabledStrategies: 3 | 6;
}

interface SearchResult {
  id: number;
  title: string;
}

// The old "normalisation": lower case and punctuation stripped, nothing else.
function oldNormalise(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9 ]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

// The old fuzzy test: character overlap ratio, no notion of words, years or directors.
function oldFuzzy(a: string, b: string): number {
  const x = oldNormalise(a);
  const y = oldNormalise(b);
  if (x.length === 0 || y.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of x) counts.set(c, (counts.get(c) ?? 0) + 1);
  let common = 0;
  for (const c of y) {
    const k = counts.get(c) ?? 0;
    if (k > 0) {
      common++;
      counts.set(c, k - 1);
    }
  }
  return (2 * common) / (x.length + y.length);
}

/** The old matcher, one instance per run; counts its own calls. */
export class BaselineMatcher {
  constructor(private readonly options: BaselineOptions) {}

  private async get(
    path: string,
    params: Record<string, string | number | undefined>,
    counter: { calls: number },
  ): Promise<unknown> {
    const url = new URL(`${this.options.baseUrl.replace(/\/$/, '')}${path}`);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, String(v));
    counter.calls++;
    try {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${this.options.readToken}` } });
      // The old client: anything but 200 is "not found".
      if (res.status !== 200) return undefined;
      return await res.json();
    } catch {
      return undefined;
    }
  }

  private async search(
    query: string,
    year: number | undefined,
    counter: { calls: number },
  ): Promise<SearchResult[]> {
    const body = (await this.get(
      '/search/movie',
      { query, year, include_adult: 'false', page: 1 },
      counter,
    )) as { results?: SearchResult[] } | undefined;
    return Array.isArray(body?.results) ? body.results : [];
  }

  async lookup(query: BaselineQuery): Promise<BaselineResult> {
    const counter = { calls: 0 };
    const hit = await this.match(query, counter);
    if (!hit) return { tmdbId: null, confidence: 0, strategy: null, calls: counter.calls };
    await this.get(
      `/movie/${hit.id}`,
      { append_to_response: 'credits,external_ids,alternative_titles,release_dates' },
      counter,
    );
    return { tmdbId: hit.id, confidence: hit.confidence, strategy: hit.strategy, calls: counter.calls };
  }

  private async match(
    query: BaselineQuery,
    counter: { calls: number },
  ): Promise<{ id: number; confidence: number; strategy: string } | undefined> {
    const enabled = (n: number) => n <= this.options.enabledStrategies;
    const pick = (n: number, id: number | undefined) => {
      const s = baselineStrategies[n - 1]!;
      return id === undefined ? undefined : { id, confidence: s.confidence, strategy: s.name };
    };
    if (enabled(1) && query.imdbId) {
      const body = (await this.get(`/find/${query.imdbId}`, { external_source: 'imdb_id' }, counter)) as
        { movie_results?: SearchResult[] } | undefined;
      const found = pick(1, body?.movie_results?.[0]?.id);
      if (found) return found;
    }
    if (enabled(2)) {
      const results = await this.search(query.title, query.year, counter);
      const found = pick(2, results.find((r) => r.title.toLowerCase() === query.title.toLowerCase())?.id);
      if (found) return found;
    }
    if (enabled(3)) {
      const found = pick(3, (await this.search(oldNormalise(query.title), query.year, counter))[0]?.id);
      if (found) return found;
    }
    if (enabled(4) && query.year !== undefined) {
      for (const year of [query.year + 1, query.year - 1]) {
        const found = pick(4, (await this.search(query.title, year, counter))[0]?.id);
        if (found) return found;
      }
    }
    if (enabled(5)) {
      const results = await this.search(query.title, undefined, counter);
      const found = pick(5, results.find((r) => oldFuzzy(r.title, query.title) >= 0.8)?.id);
      if (found) return found;
    }
    if (enabled(6)) {
      const firstWords = query.title.split(/\s+/).slice(0, 3).join(' ');
      const found = pick(6, (await this.search(firstWords, undefined, counter))[0]?.id);
      if (found) return found;
    }
    return undefined;
  }
}
