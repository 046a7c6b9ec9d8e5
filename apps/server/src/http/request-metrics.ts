/** Request counts and latency per route pattern (never per raw URL: ids and text stay out). */
export interface RouteMetrics {
  readonly route: string;
  readonly method: string;
  readonly count: number;
  readonly errors: number;
  readonly meanMs: number;
  readonly maxMs: number;
}

export class RequestMetrics {
  readonly #routes = new Map<string, { route: string; method: string; count: number; errors: number; totalMs: number; maxMs: number }>();
  readonly #byStatus = new Map<string, number>();
  #total = 0;

  record(method: string, route: string, status: number, ms: number): void {
    this.#total++;
    const cls = `${Math.floor(status / 100)}xx`;
    this.#byStatus.set(cls, (this.#byStatus.get(cls) ?? 0) + 1);
    const key = `${method} ${route}`;
    const m = this.#routes.get(key) ?? { route, method, count: 0, errors: 0, totalMs: 0, maxMs: 0 };
    m.count++;
    if (status >= 400) m.errors++;
    m.totalMs += ms;
    m.maxMs = Math.max(m.maxMs, ms);
    this.#routes.set(key, m);
  }

  snapshot(): { total: number; byStatus: Record<string, number>; routes: RouteMetrics[] } {
    return {
      total: this.#total,
      byStatus: Object.fromEntries(this.#byStatus),
      routes: [...this.#routes.values()].map((m) => ({
        route: m.route,
        method: m.method,
        count: m.count,
        errors: m.errors,
        meanMs: Math.round((m.totalMs / m.count) * 100) / 100,
        maxMs: Math.round(m.maxMs * 100) / 100,
      })),
    };
  }
}
