import { z } from "zod";

/** Settings of @bear/agents; the apps fill them from their config. */
export const agentsConfigSchema = z.strictObject({
  /** Task slots of each agent the system creates (more tasks wait in FIFO order). */
  maxConcurrentTasksPerAgent: z.number().int().min(1).max(256).default(2),
  /** Bounds of each agent's working memory per run, and of each run's shared context. */
  memory: z
    .strictObject({
      maxEntries: z.number().int().min(1).max(100_000).default(64),
      maxBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(1024 * 1024),
      maxRuns: z.number().int().min(1).max(10_000).default(16),
    })
    .prefault({}),
  balancer: z
    .strictObject({
      weights: z.strictObject({ capability: z.number().min(0), performance: z.number().min(0), load: z.number().min(0), completion: z.number().min(0) }).partial().default({}),
      defaultLatencyMs: z.number().positive().default(1000),
      priorSuccessRate: z.number().min(0).max(1).default(0.8),
      priorWeight: z.number().min(0).default(2),
    })
    .prefault({}),
  coordinator: z
    .strictObject({
      /** Attempts per subtask, the first included. */
      subtaskAttempts: z.number().int().min(1).max(20).default(3),
      retryBackoffMs: z.number().int().min(0).max(60_000).default(20),
      subtaskTimeoutMs: z.number().int().positive().optional(),
      /** Subtasks running at once per delegated task. */
      parallelism: z.number().int().min(1).max(256).default(4),
    })
    .prefault({}),
  monitor: z
    .strictObject({
      /** 0 = check only on request. */
      intervalMs: z.number().int().min(0).default(0),
      stuckAfterMs: z.number().int().positive().default(60_000),
      minSuccessRate: z.number().min(0).max(1).default(0.5),
      minSamples: z.number().int().min(1).default(4),
      /** Failures in a row that take an agent out of the balancer's pool at once. */
      maxConsecutiveFailures: z.number().int().min(1).default(3),
      /** Time out of the pool before a failing agent gets a trial task again. */
      recoverAfterMs: z.number().int().min(0).default(30_000),
    })
    .prefault({}),
  /** Folder the file executor is confined to; without it there is no file executor. */
  workspaceRoot: z.string().min(1).optional(),
});
export type AgentsConfig = z.infer<typeof agentsConfigSchema>;
export type AgentsConfigInput = z.input<typeof agentsConfigSchema>;

/** DI token of the parsed config. */
export const AgentsConfig = Symbol.for("@bear/agents:AgentsConfig");
