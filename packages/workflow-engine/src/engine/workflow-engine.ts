import { randomUUID } from "node:crypto";
import {
  assertMatterId,
  ConfigError,
  DisposedError,
  InvalidArgumentError,
  nullAuditSink,
  silentLogger,
  type AuditSink,
  type ContentCipher,
  type EventBus,
  type Llm,
  type Logger,
} from "@bear/core";
import { Observable, Subject, filter, takeWhile } from "rxjs";
import { parseWorkflowText, type WorkflowFormat } from "../definition/parse-workflow";
import { assertValidWorkflow, resolveInputs, validateWorkflow, type ValidationResult } from "../definition/validate-workflow";
import { ValidatedDefinitions } from "../definition/validated-definitions";
import { durationMs, type WorkflowDefinition } from "../definition/workflow-definition";
import { ACT_RUN_PREFIX, RunIdReservedError, RunNotFoundError, RunNotResumableError } from "../errors";
import { InProcessExecutor, type Executor } from "../execution/executor";
import { assertJson, type JsonObject, type JsonValue } from "../execution/json-value";
import { builtInStepRegistry } from "../steps/built-in-step-registry";
import type { StepHandler } from "../steps/step-handler";
import type { StepHandlerRegistry } from "../steps/step-handler-registry";
import { MemoryRunStore, type MemoryRunStoreOptions } from "../store/memory-run-store";
import type { ListRunsQuery, RunRecord, RunStore, StepRecord, StoredEvent } from "../store/run-records";
import { SqliteRunStore } from "../store/sqlite-run-store";
import { SuspendableRunStore } from "../store/suspendable-run-store";
import { workflowEngineConfigSchema, msOrUndefined, type WorkflowEngineConfigInput } from "../workflow-engine-config";
import type { WorkflowEvent } from "./workflow-event";
import { describeFileArea, mayResumeIn, runFileArea, type RunFileArea } from "./file-area";
import { assertRunActor } from "./run-actor";
import { WorkflowRun, type RunResult } from "./workflow-run";

/** Finished runs are kept 30 days unless the embedder says otherwise. */
const DEFAULT_RETENTION_MS = 30 * 24 * 3_600_000;
/** Runs a retention sweep deletes per turn of the event loop (a reviewed run is ~0.4 MB of rows). */
const SWEEP_SLICE = 50;
/** How often an engine from open() sweeps (autoPrune). */
const PRUNE_EVERY_MS = 3_600_000;

export interface WorkflowEngineOptions {
  readonly store: RunStore;
  readonly registry: StepHandlerRegistry;
  /** Default: an InProcessExecutor over `registry`. */
  readonly executor?: Executor;
  readonly logger?: Logger;
  /** Events are also published here as `workflow:<type>` (source "workflow-engine"). */
  readonly eventBus?: EventBus;
  readonly audit?: AuditSink;
  readonly maxParallelSteps?: number;
  readonly defaultStepTimeoutMs?: number;
  readonly defaultRunTimeoutMs?: number;
  /** Finished runs older than this are removed by prune() and by the retention sweeps (default 30 days). */
  readonly retentionMs?: number;
  /**
   * Applies the retention by itself: a sweep when the engine opens, then one every `pruneEveryMs`, each
   * removing the finished runs older than `retentionMs` a slice at a time (a turn of the event loop apart,
   * so runs in progress keep writing) and audited as `workflow.runs.prune` when it removed any. Unset
   * (the default of `new WorkflowEngine`): runs are removed only when prune() is called. `open()` sets it
   * to an hour unless `autoPrune: false`.
   */
  readonly pruneEveryMs?: number;
  readonly maxFanOut?: number;
  /**
   * Set when several engines (API instances) share one database and coordinate who runs what
   * (@bear/cluster's run leases): cancelling a run another engine executes is passed on, and its
   * events are followed from the shared store.
   */
  readonly coordination?: RunCoordination;
  /**
   * Where this engine's `file_operations` steps work (see `runFileArea`); recorded on each run it
   * starts, and only runs recorded with the same area are resumed. Default `none` for a registry
   * without `file_operations`, else an area no other engine's runs have.
   */
  readonly fileArea?: RunFileArea;
  /**
   * The matters the embedder already holds (a workspace's folders and grants): a run's *new* matter that
   * equals one of them but for letter case is refused (core's case rule; an existing id is never a conflict).
   */
  readonly knownMatters?: KnownMatters;
}

/** The matters that already exist where the engine runs (see WorkflowEngineOptions.knownMatters). */
export const KnownMatters = Symbol.for("@bear/workflow-engine:KnownMatters");
export interface KnownMatters {
  matters(): Iterable<string>;
}

/** Options of WorkflowEngine.cancel. */
export interface CancelRunOptions {
  /** Who cancels (a principal id, `cli`; RUN_ACTOR): the audit record's actor. Default `system`. */
  readonly actor?: string;
}

/** How engines sharing a database tell each other about runs (see WorkflowEngineOptions.coordination). */
export interface RunCoordination {
  /** A run not active in this engine was cancelled here (by `actor`): the engine running it should stop it. */
  cancelledElsewhere(runId: string, reason: string | undefined, actor?: string): void;
  /** How often events of a run executed elsewhere are read from the shared store (ms, default 250). */
  readonly pollMs?: number;
}

export interface OpenWorkflowEngineOptions extends WorkflowEngineConfigInput {
  /** Adds the built-in `llm_generation` step on this model. */
  readonly llm?: Llm;
  /** More step types (an agent's, a plugin's). */
  readonly handlers?: ReadonlyArray<StepHandler<never>>;
  /** A registry others already added step types to (the DI module's); default: the built-in step types. */
  readonly registry?: StepHandlerRegistry;
  readonly executor?: Executor;
  readonly logger?: Logger;
  readonly eventBus?: EventBus;
  readonly audit?: AuditSink;
  /** Encrypts run state at rest (core ContentCipher; e.g. an encrypted workspace's). */
  readonly cipher?: ContentCipher;
  /** Engines sharing the database (needs `sharedDatabase: true`). */
  readonly coordination?: RunCoordination;
  /** See WorkflowEngineOptions.knownMatters. */
  readonly knownMatters?: KnownMatters;
}

export interface StartRunOptions {
  /** Default: a random UUID. */
  readonly runId?: string;
  readonly parallelism?: number;
  /** Overrides the workflow's `timeout`. */
  readonly timeoutMs?: number;
  /** Aborting it cancels the run. */
  readonly signal?: AbortSignal;
  /** The matter the run works for, kept with the run so apps can scope who sees it. */
  readonly matter?: string;
  /**
   * Who starts the run (the authenticated principal's id, `cli`…; see RUN_ACTOR): kept with the run,
   * named by its `workflow.run.start` audit record, and given to every step (StepTask.actor), so
   * what its steps do — and the runs they start (a coordinator's subtasks) — is audited as them.
   * None: the steps act as the run (`workflow:<runId>`), the audit records say `system`.
   */
  readonly actor?: string;
}

/** A started run. */
export interface RunHandle {
  readonly runId: string;
  /** This run's events, from run.started to run.completed. */
  readonly events: Observable<WorkflowEvent>;
  readonly result: Promise<RunResult>;
}

/** Who executed one attempt of a step, as the executor reported it (`step.assigned` events). */
export interface StepAssignment {
  readonly stepId: string;
  readonly index: number | null;
  readonly attempt: number;
  readonly assignment: JsonObject;
}

/** A run with the progress of each step, for a progress view. */
export interface RunDetails extends RunRecord {
  readonly steps: readonly StepRecord[];
  /** Every attempt's assignment, in order (empty with an executor that reports none). */
  readonly assignments: readonly StepAssignment[];
  readonly progress: { readonly total: number; readonly completed: number; readonly failed: number; readonly skipped: number; readonly running: number; readonly pending: number; readonly cancelled: number };
}

/**
 * Runs workflows: validates them, schedules their DAG with a parallelism limit, persists every
 * transition, resumes interrupted runs, and reports events.
 */
export class WorkflowEngine {
  readonly registry: StepHandlerRegistry;
  readonly store: RunStore;
  readonly #executor: Executor;
  readonly #logger: Logger;
  readonly #audit: AuditSink;
  readonly #eventBus: EventBus | undefined;
  readonly #events = new Subject<WorkflowEvent>();
  readonly #active = new Map<string, WorkflowRun>();
  readonly #options: WorkflowEngineOptions;
  /** What runs write through; frozen by dispose({ suspend: true }). */
  readonly #runStore: SuspendableRunStore;
  /** Definitions validated lately, reused by the next run of the same one. */
  readonly #definitions: ValidatedDefinitions;
  #disposed = false;
  readonly #fileArea: RunFileArea;
  readonly #retentionTimers: Array<ReturnType<typeof setTimeout>> = [];
  #sweeping: Promise<void> | undefined;
  /** Every run's events. */
  readonly events: Observable<WorkflowEvent> = this.#events.asObservable();

  constructor(options: WorkflowEngineOptions) {
    this.#options = options;
    // Unsaid, a registry with a file step gives runs an area only this kind of engine shares (never "none", which resumes anything).
    this.#fileArea = options.fileArea ?? (options.registry.has("file_operations") ? "folder:(unrecorded)" : "none");
    this.store = options.store;
    this.#runStore = new SuspendableRunStore(options.store);
    this.registry = options.registry;
    this.#definitions = new ValidatedDefinitions(options.registry);
    this.#logger = (options.logger ?? silentLogger).child({ name: "workflow-engine:WorkflowEngine" });
    this.#executor = options.executor ?? new InProcessExecutor(options.registry, options.logger);
    this.#audit = options.audit ?? nullAuditSink;
    this.#eventBus = options.eventBus;
    const every = options.pruneEveryMs;
    if (every !== undefined) {
      if (!Number.isInteger(every) || every < 1_000) throw new InvalidArgumentError("pruneEveryMs", every, "an interval of at least 1000 ms");
      // unref'd: retention never keeps a process alive
      this.#retentionTimers.push(setTimeout(() => this.#sweep(), 0).unref(), setInterval(() => this.#sweep(), every).unref());
    }
  }

  /**
   * The common case: a SQLite-backed engine with the built-in steps (data_processing always;
   * file_operations with `workspaceRoot`; llm_generation with `llm`), resuming interrupted runs.
   */
  static async open(options: OpenWorkflowEngineOptions): Promise<WorkflowEngine> {
    const { llm, handlers, registry: given, executor, logger, eventBus, audit, cipher, coordination, knownMatters, ...rest } = options;
    const parsed = workflowEngineConfigSchema.safeParse(rest);
    if (!parsed.success) {
      throw new ConfigError("CONFIG_INVALID", `workflow engine options are invalid: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`, {
        hint: "See WorkflowEngine.open() options in the @bear/workflow-engine README.",
      });
    }
    const config = parsed.data;
    const registry = given ?? builtInStepRegistry(config, { ...(llm ? { llm } : {}), ...(audit ? { audit } : {}), ...(cipher ? { cipher } : {}) });
    for (const handler of handlers ?? []) registry.register(handler);
    const store = await SqliteRunStore.open({ dbPath: config.dbPath, synchronous: config.synchronous, shared: config.sharedDatabase, ...(config.announcePresence ? {} : { presence: false as const }), ...(cipher ? { cipher } : {}) });
    const engine = new WorkflowEngine({
      store,
      registry,
      ...(executor ? { executor } : {}),
      ...(logger ? { logger } : {}),
      ...(eventBus ? { eventBus } : {}),
      ...(audit ? { audit } : {}),
      ...(coordination ? { coordination } : {}),
      ...(knownMatters ? { knownMatters } : {}),
      // The area the config describes; else the constructor's default (a registry built elsewhere may carry a file step the config does not name).
      ...(config.workspaceRoot !== undefined && registry.has("file_operations") ? { fileArea: runFileArea(config) } : {}),
      maxParallelSteps: config.maxParallelSteps,
      maxFanOut: config.maxFanOut,
      retentionMs: durationMs(config.retention),
      ...(config.autoPrune ? { pruneEveryMs: PRUNE_EVERY_MS } : {}),
      ...(config.defaultStepTimeout === undefined ? {} : { defaultStepTimeoutMs: msOrUndefined(config.defaultStepTimeout)! }),
      ...(config.defaultRunTimeout === undefined ? {} : { defaultRunTimeoutMs: msOrUndefined(config.defaultRunTimeout)! }),
    });
    if (config.resumeOnOpen) engine.resumeInterrupted();
    return engine;
  }

  /**
   * An engine that keeps nothing on disk (tests, benchmarks, one-off runs, an embedder without a
   * database). It keeps the last `maxFinishedRuns` finished runs (default 1,000; see MemoryRunStore):
   * older ones are dropped as prune() drops them, runs not finished never. `retentionMs` and
   * `pruneEveryMs` apply as to any engine built by hand.
   */
  static inMemory(options: Omit<WorkflowEngineOptions, "store"> & MemoryRunStoreOptions): WorkflowEngine {
    const { keepEvents, maxFinishedRuns, ...rest } = options;
    return new WorkflowEngine({ ...rest, store: new MemoryRunStore({ keepEvents: keepEvents ?? true, ...(maxFinishedRuns === undefined ? {} : { maxFinishedRuns }) }) });
  }

  /** Parses JSON or YAML text into a validated definition (throws WorkflowValidationError). */
  load(text: string, options: { format?: WorkflowFormat; source?: string } = {}): WorkflowDefinition {
    return assertValidWorkflow(this.registry.expand(parseWorkflowText(text, options)), this.registry);
  }

  /** Validates without running; every issue names its path. */
  validate(definition: unknown): ValidationResult {
    return validateWorkflow(this.registry.expand(typeof definition === "string" ? parseWorkflowText(definition) : definition), this.registry);
  }

  /** Validates and starts a run. Events start flowing on the next tick, so subscribe right away. */
  start(definition: unknown, inputs: Readonly<Record<string, unknown>> = {}, options: StartRunOptions = {}): RunHandle {
    this.#assertOpen();
    const { raw, workflow } = this.#definitions.prepare(definition);
    const resolvedInputs = resolveInputs(workflow, inputs);
    assertJson(resolvedInputs, "the run inputs", "inputs");
    const runId = options.runId ?? randomUUID();
    if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(runId)) throw new InvalidArgumentError("runId", runId, "1-128 letters, digits, '_', '.', ':' or '-'");
    if (runId.toLowerCase().startsWith(ACT_RUN_PREFIX)) throw new RunIdReservedError(runId); // an act's, never a run's
    if (options.matter !== undefined) assertMatterId(options.matter, "the run's matter", this.#options.knownMatters?.matters());
    assertRunActor(options.actor);
    if (options.parallelism !== undefined && (!Number.isInteger(options.parallelism) || options.parallelism < 1)) {
      throw new InvalidArgumentError("parallelism", options.parallelism, "a positive integer");
    }
    const now = Date.now();
    this.store.insertRun({
      id: runId,
      workflow: workflow.name,
      definition: raw as JsonValue,
      inputs: resolvedInputs as JsonValue,
      matter: options.matter ?? null,
      actor: options.actor ?? null,
      files: this.#fileArea,
      status: "pending",
      error: null,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      finishedAt: null,
    });
    this.store.flush();
    const timeoutMs = options.timeoutMs ?? (workflow.timeout === undefined ? this.#options.defaultRunTimeoutMs : durationMs(workflow.timeout));
    const run = this.#createRun(runId, workflow, resolvedInputs, options.parallelism, timeoutMs, 0, { matter: options.matter, actor: options.actor });
    void this.#audit.record({ action: "workflow.run.start", outcome: "success", actor: options.actor ?? "system", resource: runId, details: { workflow: workflow.name } }).catch(() => undefined);
    if (options.signal) {
      const signal = options.signal;
      if (signal.aborted) queueMicrotask(() => run.cancel("the caller's signal was aborted"));
      else {
        const onAbort = (): void => void run.cancel("the caller's signal was aborted");
        signal.addEventListener("abort", onAbort, { once: true });
        void run.result.finally(() => signal.removeEventListener("abort", onAbort));
      }
    }
    queueMicrotask(() => run.start(false));
    return { runId, events: run.events, result: run.result };
  }

  /** Starts a run and waits for its result. */
  run(definition: unknown, inputs: Readonly<Record<string, unknown>> = {}, options: StartRunOptions = {}): Promise<RunResult> {
    return this.start(definition, inputs, options).result;
  }

  /**
   * Resumes the runs a previous engine left unfinished (a crash, a kill): completed steps keep
   * their outputs and do not run again; a step that was running is retried per its policy.
   */
  resumeInterrupted(): RunHandle[] {
    this.#assertOpen();
    const interrupted: RunRecord[] = [];
    let elsewhere = 0;
    for (let offset = 0; ; offset += 1000) {
      const batch = this.store.listRuns({ status: ["pending", "running"], limit: 1000, offset });
      for (const run of batch) {
        if (this.#active.has(run.id)) continue;
        if (mayResumeIn(run.files, this.#fileArea)) interrupted.push(run);
        else elsewhere++;
      }
      if (batch.length < 1000) break;
    }
    if (elsewhere) this.#logger.info({ runs: elsewhere }, "interrupted runs left for an engine with their own file area");
    const handles: RunHandle[] = [];
    for (const record of interrupted.reverse()) {
      const handle = this.#resume(record);
      if (handle) handles.push(handle);
    }
    return handles;
  }

  /**
   * Resumes one interrupted run: a run the store has as pending or running that no run of this
   * engine is executing (its process stopped). Steps that completed keep their outputs; see
   * `resumeInterrupted()`. Throws RUN_NOT_FOUND, or RUN_NOT_RESUMABLE for a finished or active run,
   * and for one whose workflow no longer validates (that run is marked failed).
   */
  resume(runId: string): RunHandle {
    this.#assertOpen();
    const record = this.store.getRun(runId);
    if (!record) throw new RunNotFoundError(runId);
    if (this.#active.has(runId)) throw new RunNotResumableError(runId, record.status, "it is running in this engine");
    if (record.status !== "pending" && record.status !== "running") throw new RunNotResumableError(runId, record.status, `it already ${record.status === "cancelled" ? "was cancelled" : record.status}`);
    if (!mayResumeIn(record.files, this.#fileArea)) {
      throw new RunNotResumableError(runId, record.status, `its file steps work in ${describeFileArea(record.files)}, and this engine's in ${describeFileArea(this.#fileArea)}`, {
        hint: "Resume it where it was started: `bear serve` for a run started over the API, `bear workflow resume <run-id>` (it picks the run's own area) for one started with `bear workflow run`.",
      });
    }
    const handle = this.#resume(record);
    if (!handle) throw new RunNotResumableError(runId, "failed", "its workflow no longer validates (a step type may be gone); it was marked failed");
    return handle;
  }

  #resume(record: RunRecord): RunHandle | undefined {
    const now = Date.now();
    let workflow: WorkflowDefinition;
    try {
      workflow = assertValidWorkflow(record.definition, this.registry);
    } catch (error) {
      this.#logger.warn({ runId: record.id }, "cannot resume run: its workflow no longer validates");
      this.store.updateRun(record.id, { status: "failed", error: { code: "WORKFLOW_INVALID", message: (error as Error).message }, finishedAt: now }, now);
      this.store.flush();
      return undefined;
    }
    const inputs = (record.inputs ?? {}) as Record<string, unknown>;
    const totalMs = workflow.timeout === undefined ? this.#options.defaultRunTimeoutMs : durationMs(workflow.timeout);
    const remaining = totalMs === undefined ? undefined : Math.max(1, totalMs - (now - (record.startedAt ?? now)));
    const run = this.#createRun(record.id, workflow, inputs, undefined, remaining, this.store.lastEventSeq(record.id), { matter: record.matter ?? undefined, actor: record.actor ?? undefined });
    run.restore(this.store.getSteps(record.id));
    this.#logger.info({ runId: record.id, workflow: workflow.name }, "resuming interrupted run");
    // On the next turn, so whoever opened the engine can subscribe to `events` first.
    setImmediate(() => run.start(true));
    return { runId: record.id, events: run.events, result: run.result };
  }

  #createRun(runId: string, workflow: WorkflowDefinition, inputs: Readonly<Record<string, unknown>>, parallelism: number | undefined, timeoutMs: number | undefined, lastSeq: number, owner: { readonly matter: string | undefined; readonly actor: string | undefined }): WorkflowRun {
    const run = new WorkflowRun(
      runId,
      workflow,
      inputs,
      {
        store: this.#runStore,
        executor: this.#executor,
        logger: this.#logger,
        publish: (event) => this.#publish(event),
        now: Date.now,
        random: Math.random,
      },
      {
        parallelism: parallelism ?? this.#options.maxParallelSteps ?? 4,
        maxFanOut: this.#options.maxFanOut ?? 10_000,
        ...(this.#options.defaultStepTimeoutMs === undefined ? {} : { defaultStepTimeoutMs: this.#options.defaultStepTimeoutMs }),
        ...(timeoutMs === undefined ? {} : { runTimeoutMs: timeoutMs }),
        ...(owner.matter === undefined ? {} : { matter: owner.matter }),
        ...(owner.actor === undefined ? {} : { actor: owner.actor }),
      },
      lastSeq,
    );
    this.#active.set(runId, run);
    void run.result.then(() => this.#active.delete(runId));
    return run;
  }

  #publish(event: WorkflowEvent): void {
    this.#events.next(event);
    if (this.#eventBus) {
      const { type, at, ...rest } = event;
      this.#eventBus.publish({ ...rest, type: `workflow:${type}`, source: "workflow-engine", timestamp: at });
    }
  }

  /** Events of one run until it completes (only live events; see history() for the past). */
  eventsOf(runId: string): Observable<WorkflowEvent> {
    const active = this.#active.get(runId);
    if (active) return active.events;
    if (this.#options.coordination) return this.#followStored(runId, this.#options.coordination.pollMs ?? 250);
    return this.events.pipe(
      filter((e) => e.runId === runId),
      takeWhile((e) => e.type !== "run.completed", true),
    );
  }

  /** New events of a run another engine executes, read from the shared store until run.completed. */
  #followStored(runId: string, pollMs: number): Observable<WorkflowEvent> {
    return new Observable<WorkflowEvent>((subscriber) => {
      let seq = this.store.lastEventSeq(runId);
      const timer = setInterval(() => {
        try {
          for (const event of this.history(runId, seq)) {
            seq = event.seq;
            subscriber.next(event);
            if (event.type === "run.completed") {
              subscriber.complete();
              return;
            }
          }
          const run = this.store.getRun(runId);
          if (run && run.status !== "pending" && run.status !== "running") subscriber.complete();
        } catch (error) {
          subscriber.error(error);
        }
      }, pollMs);
      return () => clearInterval(timer);
    });
  }

  /** The persisted event history of a run, in order. */
  history(runId: string, afterSeq = 0): WorkflowEvent[] {
    return this.store.getEvents(runId, afterSeq).map((e: StoredEvent) => e.payload as unknown as WorkflowEvent);
  }

  /** A run with per-step progress, or RunNotFoundError. */
  getRun(runId: string): RunDetails {
    const run = this.store.getRun(runId);
    if (!run) throw new RunNotFoundError(runId);
    const steps = this.store.getSteps(runId);
    const top = steps.filter((s) => s.index === null);
    const count = (status: StepRecord["status"]): number => top.filter((s) => s.status === status).length;
    const definition = run.definition as { steps?: unknown[] };
    const total = Array.isArray(definition.steps) ? definition.steps.length : top.length;
    const started = top.length;
    const assignments: StepAssignment[] = [];
    for (const e of this.store.getEvents(runId)) {
      if (e.type !== "step.assigned") continue;
      const p = e.payload as unknown as { stepId: string; index?: number; attempt: number; assignment: JsonObject };
      assignments.push({ stepId: p.stepId, index: p.index ?? null, attempt: p.attempt, assignment: p.assignment });
    }
    return {
      ...run,
      steps,
      assignments,
      progress: {
        total,
        completed: count("completed"),
        failed: count("failed"),
        skipped: count("skipped"),
        running: count("running"),
        cancelled: count("cancelled"),
        pending: total - started + count("pending"),
      },
    };
  }

  listRuns(query: ListRunsQuery = {}): RunRecord[] {
    return this.store.listRuns(query);
  }

  /**
   * Cancels a run: running handlers see their AbortSignal fire and the run ends `cancelled`.
   * A run left unfinished by a previous engine is marked cancelled so it is not resumed.
   * False when the run had already finished. `options.actor` (who asked; RUN_ACTOR, default `system`)
   * is named in the `workflow.run.cancel` audit record and passed on to the engine executing the run.
   */
  cancel(runId: string, reason?: string, options: CancelRunOptions = {}): boolean {
    assertRunActor(options.actor);
    const active = this.#active.get(runId);
    let cancelled: boolean;
    if (active) {
      cancelled = active.cancel(reason);
    } else {
      const record = this.store.getRun(runId);
      if (!record) throw new RunNotFoundError(runId);
      cancelled = record.status === "pending" || record.status === "running";
      if (cancelled) {
        this.#options.coordination?.cancelledElsewhere(runId, reason, options.actor);
        const now = Date.now();
        this.store.updateRun(runId, { status: "cancelled", error: { code: "RUN_CANCELLED", message: `run '${runId}' was cancelled: ${reason ?? "cancelled by request"}` }, finishedAt: now }, now);
        this.store.flush();
      }
    }
    if (cancelled) void this.#audit.record({ action: "workflow.run.cancel", outcome: "success", actor: options.actor ?? "system", resource: runId }).catch(() => undefined);
    return cancelled;
  }

  /** Deletes finished runs older than the retention (or `olderThanMs`) now; returns how many (audited as `workflow.runs.prune`). */
  prune(olderThanMs?: number): number {
    this.#assertOpen();
    const age = olderThanMs ?? this.#retentionMs;
    const before = Date.now() - age;
    const removed = this.#runStore.prune(before);
    this.#pruned(removed, before, age);
    return removed;
  }

  get #retentionMs(): number {
    return this.#options.retentionMs ?? DEFAULT_RETENTION_MS;
  }

  /** A retention sweep (see pruneEveryMs); one at a time. Resolves when it is done (tests). */
  #sweep(): Promise<void> {
    this.#sweeping ??= this.#sweepSlices().finally(() => (this.#sweeping = undefined));
    return this.#sweeping;
  }

  async #sweepSlices(): Promise<void> {
    const age = this.#retentionMs;
    const before = Date.now() - age;
    let removed = 0;
    try {
      while (!this.#disposed) {
        const slice = this.#runStore.prune(before, SWEEP_SLICE);
        removed += slice;
        if (slice < SWEEP_SLICE) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      this.#logger.warn({ removed, code: (error as { code?: string }).code }, "retention sweep stopped; the next one continues");
    }
    this.#pruned(removed, before, age);
  }

  #pruned(removed: number, before: number, age: number): void {
    if (removed === 0) return;
    this.#logger.info({ removed }, "pruned old workflow runs");
    void this.#audit
      .record({ action: "workflow.runs.prune", outcome: "success", actor: "system", resource: "workflow-runs", details: { removed, finishedBefore: new Date(before).toISOString(), retentionMs: age } })
      .catch(() => undefined);
  }

  /** Runs in progress in this engine. */
  get activeRuns(): string[] {
    return [...this.#active.keys()];
  }

  /**
   * Stops the engine: running runs are cancelled and awaited, then the store is closed. With
   * `suspend: true` (a server's graceful shutdown) their handlers are still aborted, but the runs
   * stay `running` on disk, the interrupted steps not counted as attempted, and the next open
   * resumes them.
   */
  async dispose(options: { readonly suspend?: boolean } = {}): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const timer of this.#retentionTimers) clearTimeout(timer);
    await this.#sweeping; // a slice in progress finishes before the store closes
    if (options.suspend) {
      for (const run of this.#active.values()) run.suspend();
      this.#runStore.freeze();
    }
    const pending = [...this.#active.values()].map((run) => {
      run.cancel("the engine is shutting down");
      return run.result;
    });
    await Promise.all(pending);
    this.#events.complete();
    this.store.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  #assertOpen(): void {
    if (this.#disposed) throw new DisposedError("WorkflowEngine");
  }
}
