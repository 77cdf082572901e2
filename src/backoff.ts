import { ExponentialBackoff, noJitterGenerator, type GeneratorFn, type IBackoff } from 'cockatiel';

/** The one backoff policy of the service: the retry topic, the resolver and the in-process source retries use it. */
export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * cockatiel's exponential schedule (base × 2^(n-1), capped) with "equal jitter": half of
 * the delay fixed, half random, so that failures that happened together do not come back
 * together while the delay never drops below half its step.
 */
function equalJitter(random: () => number): GeneratorFn<number> {
  return (state, options) => {
    const [delay, next] = noJitterGenerator(state, options);
    return [delay / 2 + (random() * delay) / 2, next];
  };
}

/**
 * The delay before try n + 1 (n ≥ 1, the failures so far), never shorter than `minimumMs`
 * (an upstream's Retry-After).
 */
export function backoffDelayMs(
  n: number,
  policy: BackoffPolicy,
  options: { minimumMs?: number; random?: () => number } = {},
): number {
  const factory = new ExponentialBackoff({
    generator: equalJitter(options.random ?? Math.random),
    initialDelay: policy.baseDelayMs,
    maxDelay: policy.maxDelayMs,
  });
  let backoff: IBackoff<unknown> = factory.next();
  for (let i = 1; i < Math.max(1, n); i++) backoff = backoff.next(undefined);
  return Math.round(Math.max(backoff.duration, options.minimumMs ?? 0));
}
