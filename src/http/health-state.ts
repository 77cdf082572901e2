/** What /healthz and /readyz report: named problems (unhealthy) and readiness. */
export interface HealthSnapshot {
  healthy: boolean;
  ready: boolean;
  problems: Record<string, string>;
}

/**
 * Components report problems by name (for example `source:tmdb` after an auth failure) and
 * clear them when they recover; the HTTP server only reads the snapshot.
 */
export class HealthState {
  private readonly problems = new Map<string, string>();
  private isReady = false;

  setProblem(component: string, message: string): void {
    this.problems.set(component, message);
  }

  clearProblem(component: string): void {
    this.problems.delete(component);
  }

  setReady(ready: boolean): void {
    this.isReady = ready;
  }

  snapshot(): HealthSnapshot {
    const healthy = this.problems.size === 0;
    return { healthy, ready: healthy && this.isReady, problems: Object.fromEntries(this.problems) };
  }
}
