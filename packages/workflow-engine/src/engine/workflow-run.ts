import type { Logger } from "@bear/core";
import { BearError } from "@bear/core";
import { Subject, type Observable } from "rxjs";
import { evaluateCondition, parseCondition, type Condition } from "../definition/condition";
import { resolveTemplates } from "../definition/reference";
import { durationMs, type StepDefinition, type WorkflowDefinition } from "../definition/workflow-definition";
import {
  NotJsonError,
  RunCancelledError,
  RunTimeoutError,
  StepFailedError,
  StepHandlerMissingError,
  StepParametersError,
  StepTimeoutError,
  errorMessage,
} from "../errors";
import { backoffDelay, backoffSettings, type BackoffSettings } from "../execution/backoff";
import type { Executor, StepTask } from "../execution/executor";
import { assertJson, type JsonObject, type JsonValue } from "../execution/json-value";
import { plainJson, plainOf, type StepOutput } from "../execution/raw-json";
import type { ErrorInfo, RunStatus, RunStore, StepRecord, StepStatus } from "../store/run-records";
import type { WorkflowEvent, WorkflowEventDraft } from "./workflow-event";

/** What a finished run returns. */
export interface RunResult {
  readonly runId: string;
  readonly status: Extract<RunStatus, "completed" | "failed" | "cancelled">;
  /** Outputs of the steps that produced one, by step id. */
  readonly outputs: Readonly<Record<string, JsonValue>>;
  readonly error?: ErrorInfo;
}

export interface RunSettings {
  /** Step executions (fan-out items included) running at once in this run. */
  readonly parallelism: number;
  readonly defaultStepTimeoutMs?: number;
  readonly runTimeoutMs?: number;
  /** Largest list a `for_each` may fan out over. */
  readonly maxFanOut: number;
  /** The run's matter: every step's task carries it (per-matter file areas). */
  readonly matter?: string;
  /** Who started the run: every step's task carries it (its acts are audited as them). */
  readonly actor?: string;
}

export interface RunDependencies {
  readonly store: RunStore;
  readonly executor: Executor;
  readonly logger: Logger;
  readonly publish: (event: WorkflowEvent) => void;
  readonly now: () => number;
  readonly random: () => number;
}

interface StepState {
  readonly def: StepDefinition;
  status: StepStatus;
  attempt: number;
  output: StepOutput | null;
  error: ErrorInfo | null;
  startedAt: number | null;
  finishedAt: number | null;
  waitingOn: number;
  readonly dependents: StepState[];
  fallback: StepState | null;
  fallbackFor: StepState | null;
  readonly maxAttempts: number;
  readonly backoff: BackoffSettings;
  readonly timeoutMs: number | undefined;
  readonly condition: Condition | undefined;
  /** Items of a `for_each` step once it is ready. */
  items: Unit[] | null;
  itemsLeft: number;
  readonly restoredItems: Map<number, StepRecord>;
  interrupted: boolean;
}

interface Unit {
  readonly step: StepState;
  readonly index: number | null;
  readonly key: string;
  readonly item: JsonValue | undefined;
  status: StepStatus;
  attempt: number;
  output: StepOutput | null;
  error: ErrorInfo | null;
  startedAt: number | null;
  finishedAt: number | null;
  interrupted: boolean;
  controller: AbortController | null;
}

type StepsScope = Record<string, { output: StepOutput | null; status: StepStatus; error: ErrorInfo | null }>;

const TERMINAL: ReadonlySet<StepStatus> = new Set(["completed", "failed", "cancelled", "skipped"]);
/** Errors that no retry can fix: the engine's own, and any error its thrower marks `retryable: false`. */
const PERMANENT = [StepParametersError, NotJsonError, StepHandlerMissingError];
function isPermanent(error: unknown): boolean {
  return PERMANENT.some((type) => error instanceof type) || (typeof error === "object" && error !== null && (error as { retryable?: unknown }).retryable === false);
}
const SIBLING_FAILED = Symbol("sibling-failed");

export function toErrorInfo(error: unknown): ErrorInfo {
  if (BearError.isInstance(error)) return { code: error.code, message: error.message };
  // duck-typed: an Error from another realm (node:fs under a VM context, a worker) fails instanceof
  const e = error as { message?: unknown; code?: unknown } | null;
  if (typeof error === "object" && e !== null && typeof e.message === "string") return { code: e.code === undefined ? "HANDLER_ERROR" : String(e.code), message: e.message };
  return { code: "HANDLER_ERROR", message: errorMessage(error) };
}

/** One run of one workflow: schedules its DAG, persists every transition, reports events. */
export class WorkflowRun {
  readonly #deps: RunDependencies;
  readonly #settings: RunSettings;
  readonly #steps = new Map<string, StepState>();
  readonly #order: StepState[] = [];
  readonly #queue: Unit[] = [];
  #queueHead = 0;
  #running = 0;
  /** Units whose handler is running now. */
  readonly #live = new Set<Unit>();
  readonly #retryTimers = new Set<ReturnType<typeof setTimeout>>();
  readonly #controller = new AbortController();
  readonly #events = new Subject<WorkflowEvent>();
  readonly #stepsScope: StepsScope = Object.create(null) as StepsScope;
  readonly #scope: { inputs: Readonly<Record<string, unknown>>; steps: StepsScope; run: { id: string } };
  #seq: number;
  #pumpScheduled = false;
  #status: RunStatus = "pending";
  #endStatus: RunResult["status"] | null = null;
  #endError: ErrorInfo | undefined;
  /** The last failed commit's error (a run whose end could not be written fails with it). */
  #flushError: ErrorInfo | undefined;
  #startedAt = 0;
  #runTimer: ReturnType<typeof setTimeout> | undefined;
  #resolve!: (result: RunResult) => void;
  readonly result: Promise<RunResult>;
  /** This run's events; completes after run.completed. */
  readonly events: Observable<WorkflowEvent> = this.#events.asObservable();

  constructor(
    readonly id: string,
    readonly workflow: WorkflowDefinition,
    readonly inputs: Readonly<Record<string, unknown>>,
    deps: RunDependencies,
    settings: RunSettings,
    lastSeq = 0,
  ) {
    this.#deps = deps;
    this.#settings = settings;
    this.#seq = lastSeq;
    this.#startedAt = deps.now();
    this.#scope = { inputs, steps: this.#stepsScope, run: { id } };
    this.result = new Promise<RunResult>((resolve) => (this.#resolve = resolve));
    for (const def of workflow.steps) {
      const state: StepState = {
        def,
        status: "pending",
        attempt: 0,
        output: null,
        error: null,
        startedAt: null,
        finishedAt: null,
        waitingOn: 0,
        dependents: [],
        fallback: null,
        fallbackFor: null,
        maxAttempts: def.retry?.attempts ?? 1,
        backoff: backoffSettings(def.retry),
        timeoutMs: def.timeout === undefined ? settings.defaultStepTimeoutMs : durationMs(def.timeout),
        condition: def.when === undefined ? undefined : parseCondition(def.when),
        items: null,
        itemsLeft: 0,
        restoredItems: new Map(),
        interrupted: false,
      };
      this.#steps.set(def.id, state);
      this.#order.push(state);
    }
    for (const state of this.#order) {
      for (const dep of state.def.depends_on) this.#steps.get(dep)!.dependents.push(state);
      if (typeof state.def.on_error === "object") {
        const fb = this.#steps.get(state.def.on_error.fallback)!;
        state.fallback = fb;
        fb.fallbackFor = state;
      }
    }
  }

  get status(): RunStatus {
    return this.#status;
  }

  /** Loads persisted step state of an interrupted run (before start). */
  restore(records: readonly StepRecord[]): void {
    for (const rec of records) {
      const step = this.#steps.get(rec.stepId);
      if (!step) continue;
      if (rec.index !== null) {
        step.restoredItems.set(rec.index, rec);
        continue;
      }
      step.attempt = rec.attempt;
      step.output = rec.output;
      step.error = rec.error;
      step.startedAt = rec.startedAt;
      step.finishedAt = rec.finishedAt;
      if (rec.status === "completed" || rec.status === "skipped" || rec.status === "failed") {
        step.status = rec.status;
        this.#stepsScope[step.def.id] = { output: step.output, status: step.status, error: step.error };
      } else {
        step.interrupted = rec.status === "running";
      }
    }
  }

  /** Starts (or resumes) scheduling. Call once. */
  start(resumed: boolean): void {
    if (this.#endStatus) return; // cancelled before it started: already finished
    const now = this.#deps.now();
    this.#status = "running";
    this.#startedAt = now;
    this.#deps.store.updateRun(this.id, { status: "running", startedAt: now }, now);
    this.#emit({ type: "run.started", runId: this.id, workflow: this.workflow.name, resumed });
    const timeoutMs = this.#settings.runTimeoutMs;
    if (timeoutMs !== undefined) {
      this.#runTimer = setTimeout(() => this.#abortRun("failed", new RunTimeoutError(this.id, timeoutMs)), timeoutMs);
    }
    for (const step of this.#order) {
      step.waitingOn = step.def.depends_on.filter((dep) => !this.#isSatisfied(this.#steps.get(dep)!)).length;
    }
    for (const step of this.#order) {
      if (this.#endStatus) break;
      if (step.status === "failed") {
        // Restored failure: re-apply its policy (the fallback may not have run yet).
        if (step.def.on_error === "fail") this.#abortRun("failed", stepFailure(step.def.id, step.error));
        else if (step.fallback && !TERMINAL.has(step.fallback.status)) this.#ready(step.fallback);
      } else if (!TERMINAL.has(step.status) && step.waitingOn === 0 && !step.fallbackFor) {
        this.#ready(step);
      }
    }
    this.#schedulePump();
  }

  /**
   * Writes every running step (or item) back as not yet attempted, for a graceful shutdown that
   * leaves the run resumable: the resumed run starts them afresh instead of counting the attempt
   * the shutdown cut short. Call just before the store stops taking writes.
   */
  suspend(): void {
    for (const unit of this.#live) {
      unit.attempt = Math.max(0, unit.attempt - 1);
      unit.status = "pending";
      if (unit.index === null) unit.step.attempt = unit.attempt;
      this.#saveUnit(unit);
    }
  }

  /** Cancels the run: running handlers see their AbortSignal fire. */
  cancel(reason?: string): boolean {
    if (this.#endStatus || TERMINAL.has(this.#status as StepStatus)) return false;
    this.#abortRun("cancelled", new RunCancelledError(this.id, reason));
    return true;
  }

  // ---- scheduling -------------------------------------------------------------------------

  #isSatisfied(step: StepState): boolean {
    if (step.status === "completed" || step.status === "skipped") return true;
    if (step.status !== "failed") return false;
    if (step.def.on_error === "continue") return true;
    const fb = step.fallback;
    return fb !== null && (fb.status === "completed" || (fb.status === "failed" && fb.def.on_error === "continue"));
  }

  #ready(step: StepState): void {
    if (this.#endStatus) return;
    try {
      if (step.condition && !evaluateCondition(step.condition, this.#scope)) {
        this.#finishStep(step, "skipped", null, null, "its 'when' condition is false");
        return;
      }
      if (step.def.for_each === undefined) {
        this.#enqueue(this.#unit(step, null, undefined, step.attempt, step.interrupted));
        return;
      }
      const list = plainOf(resolveTemplates(step.def.for_each, this.#scope) as JsonValue);
      if (!Array.isArray(list)) throw new StepFailedError(step.def.id, `for_each resolved to ${list === null ? "null" : typeof list}, expected a list`);
      if (list.length > this.#settings.maxFanOut) throw new StepFailedError(step.def.id, `for_each has ${list.length} items, more than the limit of ${this.#settings.maxFanOut}`);
      assertJson(list, `the for_each list of step '${step.def.id}'`, "for_each");
      step.items = list.map((item, i) => {
        const rec = step.restoredItems.get(i);
        const unit = this.#unit(step, i, item, rec?.attempt ?? 0, rec?.status === "running");
        if (rec?.status === "completed") {
          unit.status = "completed";
          unit.output = rec.output;
        }
        return unit;
      });
      step.itemsLeft = step.items.filter((u) => u.status !== "completed").length;
      if (step.itemsLeft === 0) {
        this.#finishStep(step, "completed", step.items.map((u) => u.output), null);
        return;
      }
      for (const unit of step.items) if (unit.status !== "completed") this.#enqueue(unit);
    } catch (error) {
      this.#failStep(step, toErrorInfo(error));
    }
  }

  #unit(step: StepState, index: number | null, item: JsonValue | undefined, attempt: number, interrupted: boolean): Unit {
    return {
      step,
      index,
      key: index === null ? step.def.id : `${step.def.id}[${index}]`,
      item,
      status: "pending",
      attempt,
      output: null,
      error: null,
      startedAt: null,
      finishedAt: null,
      interrupted,
      controller: null,
    };
  }

  #enqueue(unit: Unit): void {
    this.#queue.push(unit);
    this.#schedulePump();
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => this.#pump());
  }

  #pump(): void {
    this.#pumpScheduled = false;
    const launch: Array<{ unit: Unit; task: StepTask }> = [];
    while (!this.#endStatus && this.#running < this.#settings.parallelism && this.#queueHead < this.#queue.length) {
      const unit = this.#queue[this.#queueHead++]!;
      if (TERMINAL.has(unit.step.status)) continue;
      const task = this.#begin(unit);
      if (task) launch.push({ unit, task });
    }
    if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#queueHead);
      this.#queueHead = 0;
    }
    // A pump that starts nothing and ends the run leaves its writes (the last step's result) to the
    // commit that records the run's end (#finish): one commit a run less, in the same turn.
    if (launch.length === 0 && this.#isDone()) {
      this.#finish();
      return;
    }
    // Everything a handler may act on is committed before the handler starts.
    if (this.#flush()) {
      for (const { unit, task } of launch) this.#launch(unit, task);
    } else {
      for (const { unit } of launch) {
        this.#running--;
        this.#finishUnit(unit, "cancelled", null, null);
      }
    }
    this.#checkDone();
  }

  /** Marks a unit running and builds its task; null when it failed before starting. */
  #begin(unit: Unit): StepTask | null {
    const step = unit.step;
    if (unit.interrupted) {
      unit.interrupted = false;
      if (unit.index === null) step.interrupted = false;
      if (this.#deps.executor.joinsInterruptedAttempts && unit.attempt > 0) {
        // The same attempt again: the executor joins it (still running elsewhere, or finished
        // with a result not yet recorded) instead of running the step a second time.
        unit.attempt--;
      } else {
        const info: ErrorInfo = { code: "INTERRUPTED", message: `step '${step.def.id}' was running when the engine stopped` };
        if (unit.attempt >= step.maxAttempts) {
          this.#unitFailed(unit, info, false);
          return null;
        }
        this.#emit({ type: "step.retried", runId: this.id, stepId: step.def.id, ...indexOf(unit), attempt: unit.attempt, delayMs: 0, error: info });
      }
    }
    let parameters: JsonObject;
    let validate: JsonObject | undefined;
    try {
      const scope = unit.index === null ? this.#scope : { ...this.#scope, item: unit.item, index: unit.index };
      const resolved = resolveTemplates(step.def.parameters, scope);
      // earlier steps' outputs the executor kept as text (RawJson) are passed on unparsed
      assertJson(resolved, `the parameters of step '${step.def.id}'`, "parameters", true);
      parameters = resolved as JsonObject;
      if (step.def.validate !== undefined) {
        validate = plainJson(resolveTemplates(step.def.validate, scope) as JsonObject);
        assertJson(validate, `the validate checks of step '${step.def.id}'`, "validate");
      }
    } catch (error) {
      this.#unitFailed(unit, toErrorInfo(error), false);
      return null;
    }
    const now = this.#deps.now();
    unit.attempt++;
    unit.status = "running";
    unit.startedAt = now;
    unit.error = null;
    this.#running++;
    if (unit.index === null) {
      step.attempt = unit.attempt;
    }
    if (step.status !== "running") {
      step.status = "running";
      step.startedAt ??= now;
      if (unit.index !== null) this.#saveStep(step);
    }
    this.#saveUnit(unit);
    this.#emit({ type: "step.started", runId: this.id, stepId: step.def.id, ...indexOf(unit), attempt: unit.attempt });
    return {
      runId: this.id,
      stepId: step.def.id,
      type: step.def.type,
      ...(step.def.agent === undefined ? {} : { agent: step.def.agent }),
      ...(this.#settings.matter === undefined ? {} : { matter: this.#settings.matter }),
      ...(this.#settings.actor === undefined ? {} : { actor: this.#settings.actor }),
      parameters,
      attempt: unit.attempt,
      ...(unit.index === null ? {} : { item: unit.item ?? null, index: unit.index }),
      ...(validate === undefined ? {} : { validate }),
    };
  }

  #launch(unit: Unit, task: StepTask): void {
    const step = unit.step;
    const controller = new AbortController();
    unit.controller = controller;
    this.#live.add(unit);
    const runSignal = this.#controller.signal;
    const onRunAbort = (): void => controller.abort(runSignal.reason);
    runSignal.addEventListener("abort", onRunAbort, { once: true });
    const timeoutMs = step.timeoutMs;
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new StepTimeoutError(step.def.id, timeoutMs)), timeoutMs);
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener("abort", () => reject(controller.signal.reason as Error), { once: true });
    });
    let execution: Promise<StepOutput>;
    try {
      execution = this.#deps.executor.execute(task, {
        signal: controller.signal,
        onProgress: (progress) => this.#progress(unit, progress),
        onAssignment: (assignment) => this.#assigned(unit, task.attempt, assignment),
      });
    } catch (error) {
      execution = Promise.reject(error as Error);
    }
    Promise.race([execution, aborted]).then(
      (output) => this.#settle(unit, timer, onRunAbort, { ok: true, output }),
      (error: unknown) => this.#settle(unit, timer, onRunAbort, { ok: false, error }),
    );
  }

  #settle(unit: Unit, timer: ReturnType<typeof setTimeout> | undefined, onRunAbort: () => void, outcome: { ok: true; output: StepOutput } | { ok: false; error: unknown }): void {
    if (timer !== undefined) clearTimeout(timer);
    this.#controller.signal.removeEventListener("abort", onRunAbort);
    const siblingFailed = unit.controller?.signal.reason === SIBLING_FAILED;
    unit.controller = null;
    this.#live.delete(unit);
    this.#running--;
    if (this.#endStatus || siblingFailed || TERMINAL.has(unit.step.status)) {
      this.#finishUnit(unit, "cancelled", null, null);
    } else if (outcome.ok) {
      this.#unitCompleted(unit, outcome.output);
    } else {
      const retriable = !isPermanent(outcome.error);
      this.#unitFailed(unit, toErrorInfo(outcome.error), retriable);
    }
    this.#schedulePump();
  }

  #progress(unit: Unit, progress: { fraction?: number; message?: string }): void {
    if (unit.status !== "running" || this.#endStatus) return;
    const fraction = typeof progress.fraction === "number" && Number.isFinite(progress.fraction) ? Math.min(1, Math.max(0, progress.fraction)) : undefined;
    const message = typeof progress.message === "string" ? progress.message.slice(0, 200) : undefined;
    this.#emit({
      type: "step.progress",
      runId: this.id,
      stepId: unit.step.def.id,
      ...indexOf(unit),
      ...(fraction === undefined ? {} : { fraction }),
      ...(message === undefined ? {} : { message }),
    });
    this.#schedulePump();
  }

  #assigned(unit: Unit, attempt: number, assignment: JsonObject): void {
    // Only for the attempt still running: a late report from an abandoned attempt is dropped.
    if (unit.status !== "running" || unit.attempt !== attempt || this.#endStatus) return;
    try {
      assertJson(assignment, `the assignment of step '${unit.step.def.id}'`, "assignment");
    } catch (error) {
      this.#deps.logger.warn({ runId: this.id, stepId: unit.step.def.id, code: (error as { code?: string }).code }, "executor reported an assignment that is not JSON; dropped");
      return;
    }
    this.#emit({ type: "step.assigned", runId: this.id, stepId: unit.step.def.id, ...indexOf(unit), attempt, assignment });
  }

  #unitCompleted(unit: Unit, output: StepOutput): void {
    const step = unit.step;
    if (unit.index === null) {
      unit.status = "completed";
      this.#finishStep(step, "completed", output, null, undefined, unit);
      return;
    }
    this.#finishUnit(unit, "completed", output, null);
    step.itemsLeft--;
    if (step.itemsLeft === 0) this.#finishStep(step, "completed", step.items!.map((u) => u.output), null);
  }

  #unitFailed(unit: Unit, error: ErrorInfo, retriable: boolean): void {
    const step = unit.step;
    if (retriable && unit.attempt < step.maxAttempts) {
      const delayMs = backoffDelay(step.backoff, unit.attempt, this.#deps.random);
      unit.status = "pending";
      unit.error = error;
      this.#saveUnit(unit);
      this.#emit({ type: "step.retried", runId: this.id, stepId: step.def.id, ...indexOf(unit), attempt: unit.attempt, delayMs, error });
      const timer = setTimeout(() => {
        this.#retryTimers.delete(timer);
        this.#enqueue(unit);
      }, delayMs);
      this.#retryTimers.add(timer);
      return;
    }
    if (unit.index === null) {
      this.#failStep(step, error, unit);
      return;
    }
    this.#finishUnit(unit, "failed", null, error);
    this.#emit({ type: "step.failed", runId: this.id, stepId: step.def.id, index: unit.index, attempt: unit.attempt, error });
    // One item failing fails the step: stop its siblings.
    for (const sibling of step.items ?? []) sibling.controller?.abort(SIBLING_FAILED);
    this.#failStep(step, error);
  }

  #failStep(step: StepState, error: ErrorInfo, unit?: Unit): void {
    this.#finishStep(step, "failed", null, error, undefined, unit);
  }

  #finishUnit(unit: Unit, status: StepStatus, output: StepOutput | null, error: ErrorInfo | null): void {
    unit.status = status;
    unit.output = output;
    unit.error = error;
    unit.finishedAt = this.#deps.now();
    if (unit.index !== null) {
      this.#saveUnit(unit);
      if (status === "completed") {
        this.#emit({
          type: "step.completed",
          runId: this.id,
          stepId: unit.step.def.id,
          index: unit.index,
          attempt: unit.attempt,
          durationMs: unit.finishedAt - (unit.startedAt ?? unit.finishedAt),
        });
      }
    } else if (status === "cancelled" && unit.step.status === "running") {
      this.#finishStep(unit.step, "cancelled", null, null);
    }
  }

  #finishStep(step: StepState, status: StepStatus, output: StepOutput | null, error: ErrorInfo | null, reason?: string, unit?: Unit): void {
    const now = this.#deps.now();
    step.status = status;
    step.output = output;
    step.error = error;
    step.finishedAt = now;
    if (unit) step.attempt = unit.attempt;
    this.#saveStep(step);
    this.#stepsScope[step.def.id] = { output, status, error };
    const base = { runId: this.id, stepId: step.def.id };
    switch (status) {
      case "completed":
        this.#emit({ type: "step.completed", ...base, attempt: step.attempt, durationMs: now - (step.startedAt ?? now) });
        break;
      case "failed":
        this.#emit({ type: "step.failed", ...base, attempt: step.attempt, error: error! });
        break;
      case "skipped":
        this.#emit({ type: "step.skipped", ...base, reason: reason ?? "skipped" });
        break;
      default:
        this.#emit({ type: "step.cancelled", ...base });
        return;
    }
    if (this.#endStatus) return;

    const primary = step.fallbackFor;
    if (primary) {
      // A fallback stands in for the step that failed.
      if (status === "completed" || (status === "failed" && step.def.on_error === "continue")) {
        primary.output = output;
        this.#saveStep(primary);
        this.#stepsScope[primary.def.id] = { output, status: primary.status, error: primary.error };
        this.#release(primary);
      } else {
        this.#abortRun("failed", new StepFailedError(primary.def.id, `${primary.error?.message ?? "failed"}; its fallback '${step.def.id}' ${status === "skipped" ? "was skipped" : "failed too"}`));
      }
      return;
    }
    if (status === "failed") {
      if (step.def.on_error === "continue") this.#release(step);
      else if (step.fallback) this.#ready(step.fallback);
      else this.#abortRun("failed", stepFailure(step.def.id, error));
      return;
    }
    this.#release(step);
  }

  /** The step no longer holds back its dependents. */
  #release(step: StepState): void {
    for (const dependent of step.dependents) {
      dependent.waitingOn--;
      if (dependent.waitingOn === 0 && dependent.status === "pending" && !dependent.fallbackFor) this.#ready(dependent);
    }
  }

  #abortRun(status: RunResult["status"], reason: BearError): void {
    if (this.#endStatus) return;
    this.#endStatus = status;
    this.#endError = toErrorInfo(reason);
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
    this.#controller.abort(reason);
    this.#schedulePump();
  }

  #checkDone(): void {
    if (this.#isDone()) this.#finish();
  }

  /** Whether the run is over and not yet finished (all its work done: it completed, unless it ended otherwise). */
  #isDone(): boolean {
    if (this.#running > 0 || TERMINAL.has(this.#status as StepStatus)) return false;
    if (!this.#endStatus) {
      if (this.#retryTimers.size > 0 || this.#queueHead < this.#queue.length) return false;
      this.#endStatus = "completed";
    }
    return true;
  }

  #finish(): void {
    const endStatus = this.#endStatus!;
    const now = this.#deps.now();
    if (this.#runTimer !== undefined) clearTimeout(this.#runTimer);
    for (const step of this.#order) {
      if (TERMINAL.has(step.status)) continue;
      if (step.fallbackFor && endStatus === "completed") this.#finishStep(step, "skipped", null, null, "its step did not fail");
      else if (endStatus === "cancelled" || step.status === "running") this.#finishStep(step, "cancelled", null, null);
      else this.#finishStep(step, "skipped", null, null, `the run ${endStatus === "failed" ? "failed" : "ended"} first`);
    }
    let status = endStatus;
    let error = status === "completed" ? undefined : this.#endError;
    this.#deps.store.updateRun(this.id, { status, error: error ?? null, finishedAt: now }, now);
    const seq = ++this.#seq;
    const ended = (): WorkflowEvent => ({ type: "run.completed", runId: this.id, status, ...(error ? { error } : {}), durationMs: now - this.#startedAt, seq, at: now }) as WorkflowEvent;
    this.#record(ended());
    if (!this.#flush() && status !== "failed") {
      // the run's end (and what the last pump left to this commit) was not written: it failed, as a pump's failed commit fails it
      status = "failed";
      error = this.#flushError;
      this.#deps.store.updateRun(this.id, { status, error: error ?? null, finishedAt: now }, now);
      this.#record(ended());
      this.#flush();
    }
    this.#status = status;
    const event = ended();
    this.#events.next(event);
    this.#deps.publish(event);
    const finished = this.#order.filter((step) => step.status === "completed" || step.output !== null);
    this.#events.complete();
    this.#resolve(runResult({ runId: this.id, status, ...(error ? { error } : {}) }, finished));
  }

  // ---- persistence and events ------------------------------------------------------------

  #flush(): boolean {
    try {
      this.#deps.store.flush();
      return true;
    } catch (error) {
      this.#flushError = toErrorInfo(error);
      this.#deps.logger.error({ runId: this.id, err: toErrorInfo(error) }, "could not persist run state; failing the run");
      if (!this.#endStatus) {
        this.#endStatus = "failed";
        this.#endError = toErrorInfo(error);
        this.#controller.abort(error);
      }
      return false;
    }
  }

  #saveStep(step: StepState): void {
    this.#deps.store.saveStep({
      runId: this.id,
      key: step.def.id,
      stepId: step.def.id,
      index: null,
      status: step.status,
      attempt: step.attempt,
      output: step.output,
      error: step.error,
      startedAt: step.startedAt,
      finishedAt: step.finishedAt,
    });
  }

  #saveUnit(unit: Unit): void {
    if (unit.index === null) {
      const step = unit.step;
      this.#deps.store.saveStep({
        runId: this.id,
        key: unit.key,
        stepId: step.def.id,
        index: null,
        status: unit.status,
        attempt: unit.attempt,
        output: unit.output,
        error: unit.error,
        startedAt: step.startedAt,
        finishedAt: unit.finishedAt,
      });
      return;
    }
    this.#deps.store.saveStep({
      runId: this.id,
      key: unit.key,
      stepId: unit.step.def.id,
      index: unit.index,
      status: unit.status,
      attempt: unit.attempt,
      output: unit.output,
      error: unit.error,
      startedAt: unit.startedAt,
      finishedAt: unit.finishedAt,
    });
  }

  #emit(draft: WorkflowEventDraft): void {
    const event = { ...draft, seq: ++this.#seq, at: this.#deps.now() } as WorkflowEvent;
    this.#record(event);
    this.#events.next(event);
    this.#deps.publish(event);
  }

  /** Queues the event's write (committed with the run's next flush). */
  #record(event: WorkflowEvent): void {
    this.#deps.store.appendEvent({ runId: this.id, seq: event.seq, type: event.type, at: event.at, payload: event as unknown as JsonValue });
  }
}

/**
 * The run's result. Its `outputs` are made on first read: outputs an executor kept as text
 * (RawJson: a queue's workers' results) are parsed only if the caller looks at them, which many
 * never do (a server that answers with the run id, a bench). Read once, `outputs` is a plain data
 * property like any other.
 */
function runResult(base: Omit<RunResult, "outputs">, finished: readonly StepState[]): RunResult {
  // `outputs` in its place (after status), so the key order is as before
  const result = { runId: base.runId, status: base.status, outputs: {}, ...(base.error ? { error: base.error } : {}) } as RunResult;
  let outputs: Record<string, JsonValue> | undefined;
  const make = (): Readonly<Record<string, JsonValue>> => {
    if (outputs) return outputs;
    outputs = {};
    // defineProperty: a step id "__proto__" stays data
    for (const step of finished) Object.defineProperty(outputs, step.def.id, { value: step.output === null ? null : plainOf(step.output), enumerable: true, writable: true, configurable: true });
    try {
      Object.defineProperty(result, "outputs", { value: outputs, enumerable: true, writable: false, configurable: false });
    } catch {
      // a result the caller sealed or froze first keeps the accessor, which answers the same object
    }
    return outputs;
  };
  Object.defineProperty(result, "outputs", { get: make, enumerable: true, configurable: true });
  return result;
}

/** The run's error for a failed step, without repeating "step 'x' failed:". */
function stepFailure(stepId: string, error: ErrorInfo | null): StepFailedError {
  const prefix = `step '${stepId}' failed: `;
  const message = error?.message ?? "failed";
  return new StepFailedError(stepId, message.startsWith(prefix) ? message.slice(prefix.length) : message);
}

function indexOf(unit: Unit): { index?: number } {
  return unit.index === null ? {} : { index: unit.index };
}
