import { z } from "zod";
import { durationMs, durationSchema } from "./definition/workflow-definition";

/** Settings of the workflow engine; the apps fill them from their config. */
export const workflowEngineConfigSchema = z.strictObject({
  /** SQLite file for run state, or ":memory:" (SQLite in memory: lost on exit). */
  dbPath: z.string().min(1),
  /** Folder `file_operations` steps are confined to; without it that step type is not registered. */
  workspaceRoot: z.string().min(1).optional(),
  /**
   * One area per matter under `workspaceRoot` (`matters/<matter>/`, folders 0700, files 0600): a
   * run's file steps see only its matter's files, and a run with no matter gets none. With a
   * ContentCipher bound (an encrypted workspace) what they write is sealed too.
   */
  matterFolders: z.boolean().default(false),
  /** Step executions running at once per run. */
  maxParallelSteps: z.number().int().min(1).max(1024).default(4),
  /** Applied to steps without a `timeout`. */
  defaultStepTimeout: durationSchema.optional(),
  /** Applied to workflows without a `timeout`. */
  defaultRunTimeout: durationSchema.optional(),
  /** Finished runs older than this are removed (default 30 days): by prune(), and hourly by the engine itself unless autoPrune is false. */
  retention: durationSchema.default("720h"),
  /** Apply the retention by itself: a sweep at open and every hour, audited (`workflow.runs.prune`). */
  autoPrune: z.boolean().default(true),
  /** Largest `for_each` list. */
  maxFanOut: z.number().int().min(1).max(1_000_000).default(10_000),
  /** Resume interrupted runs when the engine opens. */
  resumeOnOpen: z.boolean().default(true),
  /**
   * Several engines (API instances of one workspace) use this database at once: no single-owner
   * lock; they must coordinate through run leases (@bear/cluster) and open with resumeOnOpen false.
   */
  sharedDatabase: z.boolean().default(false),
  /**
   * Keep a marker in `<dbPath>.live/` and refuse to open beside openers this one cannot share the
   * database with (a standalone beside cluster instances, or the reverse; see SqliteRunStore). False
   * for a process that never runs runs of its own (a cluster worker: it executes queued steps only).
   */
  announcePresence: z.boolean().default(true),
  /** "full" also survives power loss (an fsync per commit); "normal" survives a killed process. */
  synchronous: z.enum(["normal", "full"]).default("normal"),
});
export type WorkflowEngineConfig = z.infer<typeof workflowEngineConfigSchema>;
export type WorkflowEngineConfigInput = z.input<typeof workflowEngineConfigSchema>;

/** DI token of the parsed config. */
export const WorkflowEngineConfig = Symbol.for("@bear/workflow-engine:WorkflowEngineConfig");

export function msOrUndefined(d: z.infer<typeof durationSchema> | undefined): number | undefined {
  return d === undefined ? undefined : durationMs(d);
}
