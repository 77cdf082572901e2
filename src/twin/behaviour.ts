import type { Random } from './prng.js';
import type { ServiceBehaviour } from './options.js';

/** What the twin does with one request before (or instead of) answering it normally. */
export type Verdict =
  | { kind: 'outage' }
  | { kind: 'hang'; ms: number }
  | { kind: 'rate-limited'; retryAfterSeconds: number | null }
  | { kind: 'server-error' }
  | { kind: 'serve'; malformed: boolean };

/**
 * The failure model of one service: a fixed-window rate limiter and seeded draws for
 * errors, hangs and malformed bodies, so that a run with the same seed fails the same way.
 */
export class ServiceGate {
  private windowStart = 0;
  private windowCount = 0;

  constructor(
    private readonly random: Random,
    private readonly now: () => number = Date.now,
  ) {}

  reset(): void {
    this.windowStart = 0;
    this.windowCount = 0;
  }

  inOutage(b: ServiceBehaviour): boolean {
    if (!b.outage) return false;
    const t = this.now();
    return t >= b.outage.startsAt && (b.outage.endsAt === null || t < b.outage.endsAt);
  }

  /** Decides the fate of a request that passed authentication. */
  decide(b: ServiceBehaviour): Verdict {
    if (this.inOutage(b)) return { kind: 'outage' };
    if (b.timeoutRate > 0 && this.random() < b.timeoutRate) return { kind: 'hang', ms: b.hangMs };
    if (b.rateLimit) {
      const t = this.now();
      if (t - this.windowStart >= b.rateLimit.windowMs) {
        this.windowStart = t;
        this.windowCount = 0;
      }
      this.windowCount += 1;
      if (this.windowCount > b.rateLimit.requests) {
        const seconds = Math.max(1, Math.ceil((this.windowStart + b.rateLimit.windowMs - t) / 1000));
        const send =
          b.rateLimit.retryAfter === 'always' ||
          (b.rateLimit.retryAfter === 'sometimes' && this.random() < 0.5);
        return { kind: 'rate-limited', retryAfterSeconds: send ? seconds : null };
      }
    }
    if (b.errorRate > 0 && this.random() < b.errorRate) return { kind: 'server-error' };
    return { kind: 'serve', malformed: b.malformedRate > 0 && this.random() < b.malformedRate };
  }

  /** Latency of one answer: fixed plus a seeded jitter. */
  delayMs(b: ServiceBehaviour): number {
    return b.latencyMs + (b.jitterMs > 0 ? Math.floor(this.random() * (b.jitterMs + 1)) : 0);
  }
}
