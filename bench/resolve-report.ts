import type { RunResult, SourceCalls } from './resolve-run.js';

/** One line of the throughput table. */
export interface ThroughputRow {
  label: string;
  nominations: number;
  recorded: number;
  seconds: number;
  perSecond: number;
  calls: SourceCalls;
  /** Seconds each source needs at least for its calls (calls / rate limit). */
  needs: SourceCalls;
  ceiling: number;
  ratio: number;
  /** The world's minimum calls for these nominations (src/twin/world-minimum.ts). */
  needed: SourceCalls;
  /** Seconds each source needs at least for the minimum calls. */
  neededSeconds: SourceCalls;
  /** Nominations per second the rate limits allow for the minimum calls (the slowest source bounds). */
  minimumCeiling: number;
  minimumRatio: number;
  failedRequests: Record<string, number>;
  /** Seconds from start-up to the first nomination recorded. */
  firstRecordedSeconds: number;
  /** CPU seconds of the bench process (service and twin) per wall second of the run. */
  cpuShare: number;
}

const sources = ['tmdb', 'omdb', 'zyte'] as const;

const pad = (text: string | number, width: number): string => String(text).padStart(width);

export function printThroughput(rows: readonly ThroughputRow[]): void {
  console.log('\nthroughput (nominations/s) against the ceiling the rate limits allow for the calls made');
  console.log(
    `${'run'.padEnd(16)}${pad('noms', 7)}${pad('rec.', 7)}${pad('secs', 8)}${pad('noms/s', 9)}${pad('tmdb calls/s-min', 18)}${pad('omdb', 12)}${pad('zyte', 12)}${pad('ceiling', 9)}${pad('ratio', 7)}`,
  );
  for (const r of rows) {
    const need = (calls: number, seconds: number) => `${calls}/${seconds.toFixed(1)}`;
    console.log(
      `${r.label.padEnd(16)}${pad(r.nominations, 7)}${pad(r.recorded, 7)}${pad(r.seconds.toFixed(1), 8)}${pad(r.perSecond.toFixed(2), 9)}${pad(need(r.calls.tmdb, r.needs.tmdb), 18)}${pad(need(r.calls.omdb, r.needs.omdb), 12)}${pad(need(r.calls.zyte, r.needs.zyte), 12)}${pad(r.ceiling.toFixed(2), 9)}${pad(r.ratio.toFixed(2), 7)}`,
    );
  }
  console.log('  (per source: calls made / seconds the rate limit needs for them; goal: ratio ≥ 0.9)');
  console.log(
    '\nthroughput against the ceiling the rate limits allow for the calls the world needs at least',
  );
  console.log(
    `${'run'.padEnd(16)}${pad('noms/s', 9)}${pad('min. ceiling', 14)}${pad('ratio', 7)}   bound by`,
  );
  for (const r of rows) {
    const slowest = sources.reduce((a, b) => (r.neededSeconds[b] > r.neededSeconds[a] ? b : a));
    console.log(
      `${r.label.padEnd(16)}${pad(r.perSecond.toFixed(2), 9)}${pad(r.minimumCeiling.toFixed(2), 14)}${pad(r.minimumRatio.toFixed(2), 7)}   ${slowest} (${r.needed[slowest]} calls need ${r.neededSeconds[slowest].toFixed(1)} s)`,
    );
  }
  console.log('\ncalls per source: made / needed (the world minimum) = ratio');
  console.log(`${'run'.padEnd(16)}${sources.map((s) => pad(s, 22)).join('')}`);
  for (const r of rows) {
    const cell = (s: (typeof sources)[number]) =>
      `${r.calls[s]}/${r.needed[s]} = ${r.needed[s] > 0 ? `${(r.calls[s] / r.needed[s]).toFixed(2)}×` : r.calls[s] === 0 ? '—' : '∞'}`;
    console.log(`${r.label.padEnd(16)}${sources.map((s) => pad(cell(s), 22)).join('')}`);
  }
  console.log('  (goal: TMDb ≤ 1.15×, OMDb ≤ 1.05×, throughput ≥ 0.85 of the minimum ceiling)');
  console.log('\nwhere the time goes');
  for (const r of rows) {
    const steady = (r.nominations - 1) / Math.max(0.001, r.seconds - r.firstRecordedSeconds);
    console.log(
      `  ${r.label}: ${r.firstRecordedSeconds.toFixed(1)} s to the first nomination recorded (connect, group join, first fetch); after it ${steady.toFixed(2)} noms/s = ${(steady / r.minimumCeiling).toFixed(2)} of the minimum ceiling, ${(steady / r.ceiling).toFixed(2)} of the made one; CPU ${r.cpuShare.toFixed(2)} s per second of the run (service and twin, one process)`,
    );
  }
  for (const r of rows) {
    const failed = Object.entries(r.failedRequests).sort((a, b) => b[1] - a[1]);
    console.log(
      `  ${r.label}: failed upstream requests ${failed.length === 0 ? 'none' : failed.map(([what, n]) => `${what} ×${n}`).join(', ')}`,
    );
  }
}

export function printLongRun(result: RunResult, warmup: number): void {
  const measured = result.nominations - warmup;
  console.log('\nlong run (films cached after the first pass)');
  console.log(
    `  nominations ${result.nominations} (warm-up ${warmup}), recorded ${result.recorded}, ${(result.durationMs / 1000).toFixed(1)} s, ${(result.nominations / (result.durationMs / 1000)).toFixed(1)} noms/s overall`,
  );
  console.log(
    `  upstream calls, warm-up included: tmdb ${result.calls.tmdb}, omdb ${result.calls.omdb}, zyte ${result.calls.zyte} (then ${measured} nominations of films already cached)`,
  );
  console.log(
    `  RSS after warm-up ${result.rss.startMb} MB → end ${result.rss.endMb} MB (×${(result.rss.endMb / result.rss.startMb).toFixed(2)}), peak ${result.rss.peakMb} MB`,
  );
  console.log(`  heap used after warm-up ${result.rss.heapStartMb} MB → end ${result.rss.heapEndMb} MB`);
  const rss = rssSummary(result, warmup);
  if (rss !== undefined)
    console.log(
      `  RSS over the ${rss.count} samples after warm-up: min ${rss.min} MB, median ${rss.median} MB, max ${rss.max} MB (start ${result.rss.startMb}, end ${result.rss.endMb})`,
    );
  if (result.samples.length > 0) {
    console.log(
      '  samples (s: processed, RSS MB): ' +
        result.samples.map((s) => `${(s.atMs / 1000).toFixed(0)}: ${s.processed}, ${s.rssMb}`).join(' | '),
    );
  }
}

/** Min, median and max RSS of the samples taken after the warm-up (all samples when there is none). */
export function rssSummary(
  result: Pick<RunResult, 'samples'>,
  warmup = 0,
): { count: number; min: number; median: number; max: number } | undefined {
  const values = result.samples
    .filter((s) => s.processed >= warmup)
    .map((s) => s.rssMb)
    .sort((a, b) => a - b);
  if (values.length === 0) return undefined;
  const mid = Math.floor(values.length / 2);
  const median =
    values.length % 2 === 1 ? (values[mid] ?? 0) : ((values[mid - 1] ?? 0) + (values[mid] ?? 0)) / 2;
  return {
    count: values.length,
    min: values[0] ?? 0,
    median: Math.round(median * 10) / 10,
    max: values[values.length - 1] ?? 0,
  };
}
