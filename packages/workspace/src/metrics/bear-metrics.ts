import type { AgentSnapshot } from "@bear/agents";
import { CACHE_KINDS, type CacheStats } from "@bear/core";
import type { PrometheusText } from "./prometheus-text";

/** Request counts per route pattern (the server's RequestMetrics snapshot). */
export interface RequestMetricsSnapshot {
  readonly routes: ReadonlyArray<{ readonly route: string; readonly method: string; readonly count: number; readonly errors: number; readonly meanMs: number; readonly maxMs: number }>;
}

/** What `Workspace.metricsText` exposes; numbers, ids and route patterns only (never document text). */
export interface BearMetricsInput {
  readonly agents: readonly AgentSnapshot[];
  readonly activeWorkflows: number;
  readonly documents: number;
  readonly requests?: RequestMetricsSnapshot;
  readonly memory?: NodeJS.MemoryUsage;
  /** The workspace cache's statistics (this process's counts, L1 and L2 sizes). */
  readonly cache?: CacheStats;
}

const HEALTH_STATES = ["healthy", "stuck", "failing"] as const;

/** The agents' health, load and task outcomes, and the process's workflows, documents, requests, cache and memory. */
export function writeBearMetrics(text: PrometheusText, input: BearMetricsInput): PrometheusText {
  const agents = input.agents;
  const agent = (a: AgentSnapshot) => ({ agent: a.id, type: a.type });
  text
    .gauge("bear_agent_healthy", "1 when the monitor judges the agent healthy; 0 when stuck or failing (the balancer skips it)", agents.map((a) => ({ labels: agent(a), value: a.health === "healthy" ? 1 : 0 })))
    .gauge(
      "bear_agent_health",
      "The agent's health as a state set: 1 for its current state",
      agents.flatMap((a) => HEALTH_STATES.map((state) => ({ labels: { ...agent(a), state }, value: a.health === state ? 1 : 0 }))),
    )
    .gauge("bear_agents_unhealthy", "Agents the monitor judges stuck or failing", [{ value: agents.filter((a) => a.health !== "healthy").length }])
    .counter(
      "bear_agent_tasks_total",
      "Tasks the agent finished, by outcome",
      agents.flatMap((a) => [
        { labels: { ...agent(a), outcome: "completed" }, value: a.metrics.tasksCompleted },
        { labels: { ...agent(a), outcome: "failed" }, value: a.metrics.tasksFailed },
        { labels: { ...agent(a), outcome: "cancelled" }, value: a.metrics.tasksCancelled },
        { labels: { ...agent(a), outcome: "refused" }, value: a.metrics.tasksRefused },
      ]),
    )
    .gauge("bear_agent_tasks_running", "Tasks the agent is working on", agents.map((a) => ({ labels: agent(a), value: a.load.running })))
    .gauge("bear_agent_tasks_queued", "Tasks waiting for one of the agent's slots", agents.map((a) => ({ labels: agent(a), value: a.load.queued })))
    .gauge("bear_agent_task_slots", "Tasks the agent runs at once", agents.map((a) => ({ labels: agent(a), value: a.load.capacity })))
    .gauge("bear_agent_success_ratio", "Share of the agent's recent tasks that completed (1 before any)", agents.map((a) => ({ labels: agent(a), value: a.metrics.successRate })))
    .gauge(
      "bear_agent_task_duration_seconds",
      "Task duration percentiles over the agent's recent tasks",
      agents.flatMap((a) =>
        ([["0.5", a.metrics.latency.p50Ms], ["0.95", a.metrics.latency.p95Ms], ["0.99", a.metrics.latency.p99Ms]] as const).map(([quantile, ms]) => ({
          labels: { ...agent(a), quantile },
          value: ms / 1000,
        })),
      ),
    )
    .gauge("bear_workflows_active", "Workflow runs in progress in this process", [{ value: input.activeWorkflows }])
    .gauge("bear_documents", "Documents in the index", [{ value: input.documents }]);
  if (input.requests) {
    const routes = input.requests.routes;
    const route = (r: RequestMetricsSnapshot["routes"][number]) => ({ method: r.method, route: r.route });
    text
      .counter("bear_http_requests_total", "HTTP requests answered, by route pattern", routes.map((r) => ({ labels: route(r), value: r.count })))
      .counter("bear_http_request_errors_total", "HTTP requests answered with a 4xx or 5xx status, by route pattern", routes.map((r) => ({ labels: route(r), value: r.errors })))
      .gauge("bear_http_request_duration_seconds_mean", "Mean time to answer, by route pattern", routes.map((r) => ({ labels: route(r), value: r.meanMs / 1000 })));
  }
  if (input.cache) writeCacheMetrics(text, input.cache);
  if (input.memory) {
    text
      .gauge("bear_process_resident_memory_bytes", "Resident set size of this process", [{ value: input.memory.rss }])
      .gauge("bear_process_heap_used_bytes", "V8 heap in use", [{ value: input.memory.heapUsed }]);
  }
  return text;
}

/** The cache's hits by level, misses, stores, evictions and expiries per entry kind (this process), and L1 / L2 sizes. */
function writeCacheMetrics(text: PrometheusText, cache: CacheStats): void {
  const per = (value: (k: CacheStats["kinds"][keyof CacheStats["kinds"]]) => number) => CACHE_KINDS.map((kind) => ({ labels: { kind }, value: value(cache.kinds[kind]) }));
  text
    .counter(
      "bear_cache_hits_total",
      "Cache lookups answered, by entry kind and level (l1: in-process LRU; l2: disk or Redis)",
      CACHE_KINDS.flatMap((kind) => [
        { labels: { kind, level: "l1" }, value: cache.kinds[kind].l1Hits },
        { labels: { kind, level: "l2" }, value: cache.kinds[kind].l2Hits },
      ]),
    )
    .counter("bear_cache_misses_total", "Cache lookups that found nothing usable (expired entries included), by entry kind", per((k) => k.misses))
    .counter("bear_cache_sets_total", "Values stored in the cache, by entry kind", per((k) => k.sets))
    .counter("bear_cache_evictions_total", "Values dropped from L1 to stay under its byte cap, by entry kind", per((k) => k.evictions))
    .counter("bear_cache_expired_total", "Values found past their time to live, by entry kind", per((k) => k.expired))
    .gauge("bear_cache_l1_entries", "Entries in the in-process L1", [{ value: cache.l1.entries }])
    .gauge("bear_cache_l1_bytes", "Bytes held by the in-process L1 (its cap: bear_cache_l1_max_bytes)", [{ value: cache.l1.bytes }])
    .gauge("bear_cache_l1_max_bytes", "The in-process L1's byte cap", [{ value: cache.l1.maxBytes }]);
  const l2 = cache.l2;
  if (!l2) return;
  const backend = { backend: l2.backend };
  if (l2.entries !== undefined) text.gauge("bear_cache_l2_entries", "Entries in L2", [{ labels: backend, value: l2.entries }]);
  if (l2.bytes !== undefined) text.gauge("bear_cache_l2_bytes", "Bytes held by L2", [{ labels: backend, value: l2.bytes }]);
  if (l2.evictions !== undefined) text.counter("bear_cache_l2_evictions_total", "Values L2 dropped to stay under its cap (this process)", [{ labels: backend, value: l2.evictions }]);
  text.gauge("bear_cache_l2_up", "1 when L2 answered its statistics; 0 when it could not (Redis unreachable, say)", [{ labels: backend, value: l2.error === undefined ? 1 : 0 }]);
}
