import { describe, expect, it } from "@jest/globals";
import type { GenerateChunk, GenerateRequest, GenerateResult, Llm } from "@bear/core";
import { RxEventBus } from "@bear/core";
import { firstValueFrom, toArray } from "rxjs";
import { z } from "zod";
import { PermanentStepError, WorkflowValidationError } from "../errors";
import { InProcessExecutor, type Executor, type StepTask } from "../execution/executor";
import type { JsonValue } from "../execution/json-value";
import { dataProcessingHandler } from "../steps/data-processing-handler";
import { llmGenerationHandler } from "../steps/llm-generation-handler";
import type { StepHandler } from "../steps/step-handler";
import { StepHandlerRegistry } from "../steps/step-handler-registry";
import type { WorkflowEvent } from "./workflow-event";
import { WorkflowEngine } from "./workflow-engine";

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason as Error);
    });
  });

/** A step type for tests: waits `ms`, records its start/end, returns `value`; can fail N times. */
function testHandlers(log: string[] = []) {
  let concurrent = 0;
  let maxConcurrent = 0;
  const failures = new Map<string, number>();
  const work: StepHandler<{ ms?: number; value?: JsonValue; fail_times?: number; fail_always?: boolean }> = {
    type: "work",
    parameters: z.object({ ms: z.number().optional(), value: z.custom<JsonValue>(() => true).optional(), fail_times: z.number().optional(), fail_always: z.boolean().optional() }),
    async execute(ctx) {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      log.push(`start:${ctx.stepId}${ctx.index === undefined ? "" : `[${ctx.index}]`}`);
      try {
        await sleep(ctx.parameters.ms ?? 0, ctx.signal);
        const key = `${ctx.stepId}:${ctx.index ?? ""}`;
        const failed = failures.get(key) ?? 0;
        if (ctx.parameters.fail_always || failed < (ctx.parameters.fail_times ?? 0)) {
          failures.set(key, failed + 1);
          throw new Error(`planned failure ${failed + 1} of ${ctx.stepId}`);
        }
        log.push(`end:${ctx.stepId}${ctx.index === undefined ? "" : `[${ctx.index}]`}`);
        return ctx.parameters.value ?? ctx.item ?? null;
      } finally {
        concurrent--;
      }
    },
  };
  return { work, stats: () => ({ maxConcurrent }) };
}

function engineWith(handlers: StepHandler<never>[], options: { maxParallelSteps?: number } = {}): WorkflowEngine {
  const registry = new StepHandlerRegistry([dataProcessingHandler() as StepHandler<never>, ...handlers]);
  return WorkflowEngine.inMemory({ registry, ...options });
}

describe("WorkflowEngine execution", () => {
  it("runs every step through the Executor seam with JSON-only tasks (as a remote worker would receive them)", async () => {
    const { work } = testHandlers();
    const registry = new StepHandlerRegistry([work as StepHandler<never>]);
    const local = new InProcessExecutor(registry);
    const wire: string[] = [];
    // A stand-in for a queue worker: the task crosses a serialisation boundary both ways.
    const remote: Executor = {
      async execute(task, options) {
        const sent = JSON.stringify(task);
        wire.push(sent);
        await new Promise((r) => setImmediate(r));
        const output = await local.execute(JSON.parse(sent) as StepTask, options);
        return JSON.parse(JSON.stringify(output)) as JsonValue;
      },
    };
    const engine = WorkflowEngine.inMemory({ registry, executor: remote });
    const result = await engine.run({
      name: "remote",
      steps: [
        { id: "a", type: "work", agent: "reviewer", parameters: { value: { n: 1 } } },
        { id: "b", type: "work", depends_on: ["a"], for_each: [1, 2], parameters: { value: "{{ steps.a.output.n }}-{{ item }}" } },
      ],
    });
    expect(result.outputs).toEqual({ a: { n: 1 }, b: ["1-1", "1-2"] });
    expect(wire.map((w) => JSON.parse(w) as StepTask)).toEqual([
      { runId: result.runId, stepId: "a", type: "work", agent: "reviewer", parameters: { value: { n: 1 } }, attempt: 1 },
      { runId: result.runId, stepId: "b", type: "work", parameters: { value: "1-1" }, attempt: 1, item: 1, index: 0 },
      { runId: result.runId, stepId: "b", type: "work", parameters: { value: "1-2" }, attempt: 1, item: 2, index: 1 },
    ]);
  });

  it("passes outputs along dependencies through {{ references }} and returns every output", async () => {
    const { work } = testHandlers();
    const engine = engineWith([work as StepHandler<never>]);
    const result = await engine.run(
      {
        name: "pipeline",
        inputs: { names: { type: "array" } },
        steps: [
          { id: "list", type: "work", parameters: { value: "{{ inputs.names }}" } },
          { id: "count", type: "data_processing", depends_on: ["list"], parameters: { operation: "count", input: "{{ steps.list.output }}" } },
          { id: "say", type: "work", depends_on: ["count"], parameters: { value: "{{ steps.count.output }} names, first {{ steps.list.output[0] }}" } },
        ],
      },
      { names: ["ann", "bob", "cy"] },
    );
    expect(result.status).toBe("completed");
    expect(result.outputs).toEqual({ list: ["ann", "bob", "cy"], count: 3, say: "3 names, first ann" });
  });

  it("never runs more steps at once than the parallelism limit, and starts a step as soon as its dependencies finish", async () => {
    const log: string[] = [];
    const { work, stats } = testHandlers(log);
    const engine = engineWith([work as StepHandler<never>], { maxParallelSteps: 2 });
    const steps = [
      { id: "slow", type: "work", parameters: { ms: 300 } },
      { id: "fast", type: "work", parameters: { ms: 5 } },
      { id: "after_fast", type: "work", depends_on: ["fast"], parameters: { ms: 5 } },
      { id: "a", type: "work", parameters: { ms: 5 } },
      { id: "b", type: "work", parameters: { ms: 5 } },
    ];
    const result = await engine.run({ name: "par", steps });
    expect(result.status).toBe("completed");
    expect(stats().maxConcurrent).toBe(2);
    // after_fast starts while slow is still running.
    expect(log.indexOf("start:after_fast")).toBeLessThan(log.indexOf("end:slow"));
  });

  it("retries a failing step with backoff, emitting step.retried, until it succeeds", async () => {
    const { work } = testHandlers();
    const engine = engineWith([work as StepHandler<never>]);
    const handle = engine.start({
      name: "flaky",
      steps: [{ id: "flaky", type: "work", retry: { attempts: 3, backoff: { initial: 10, factor: 2, jitter: 0 } }, parameters: { fail_times: 2, value: "ok" } }],
    });
    const events = firstValueFrom(handle.events.pipe(toArray()));
    const result = await handle.result;
    expect(result).toMatchObject({ status: "completed", outputs: { flaky: "ok" } });
    const retried = (await events).filter((e) => e.type === "step.retried");
    expect(retried.map((e) => (e as { delayMs: number }).delayMs)).toEqual([10, 20]);
  });

  it("fails the run when a step exhausts its attempts, and skips the steps that never started", async () => {
    const { work } = testHandlers();
    const engine = engineWith([work as StepHandler<never>]);
    const result = await engine.run({
      name: "broken",
      steps: [
        { id: "bad", type: "work", retry: { attempts: 2, backoff: 1 }, parameters: { fail_always: true } },
        { id: "next", type: "work", depends_on: ["bad"] },
      ],
    });
    expect(result.status).toBe("failed");
    expect(result.error?.message).toContain("planned failure 2 of bad");
    const run = engine.getRun(result.runId);
    expect(run.steps.find((s) => s.stepId === "bad")).toMatchObject({ status: "failed", attempt: 2 });
    expect(run.steps.find((s) => s.stepId === "next")).toMatchObject({ status: "skipped" });
  });

  it("refuses a run id reserved for BEAR's own acts ('act-…', any case) with RUN_ID_RESERVED, starting nothing", () => {
    const { work } = testHandlers();
    const engine = engineWith([work as StepHandler<never>]);
    const wf = { name: "m", steps: [{ id: "act", type: "work", parameters: { value: 1 } }] };
    for (const runId of ["act-00000000-0000-4000-8000-000000000000", "ACT-1", "act-"]) {
      expect(() => engine.start(wf, {}, { runId })).toThrow(expect.objectContaining({ code: "RUN_ID_RESERVED", message: expect.stringContaining("reserved") }));
    }
    expect(engine.listRuns()).toEqual([]);
    expect(engine.start(wf, {}, { runId: "react-1" }).runId).toBe("react-1"); // only the prefix is reserved
  });

  it("lists in-memory runs by matter", async () => {
    const { work } = testHandlers();
    const engine = engineWith([work as StepHandler<never>]);
    const wf = { name: "m", steps: [{ id: "a", type: "work", parameters: { value: 1 } }] };
    await engine.start(wf, {}, { runId: "r1", matter: "acme" }).result;
    await engine.start(wf, {}, { runId: "r2", matter: "globex" }).result;
    await engine.start(wf, {}, { runId: "r3" }).result;
    expect(engine.listRuns({ matters: ["globex", "acme"] }).map((r) => r.id).sort()).toEqual(["r1", "r2"]);
    expect(engine.listRuns().length).toBe(3);
  });

  it("starts a run only under a matter id that follows the one rule (it names the run's file area)", () => {
    const { work } = testHandlers();
    const engine = engineWith([work as StepHandler<never>]);
    const wf = { name: "m", steps: [{ id: "a", type: "work", parameters: { value: 1 } }] };
    for (const matter of ["Acme v Roe", "client:42", "acme/2026", "Société-Générale", "", "a".repeat(65)]) {
      expect(() => engine.start(wf, {}, { matter })).toThrow(expect.objectContaining({ code: "MATTER_ID_INVALID", message: expect.stringContaining("the run's matter") }));
    }
    expect(engine.listRuns()).toEqual([]);
  });

  it("refuses a run whose new matter is a case twin of a known matter; an existing id, twin or not, is accepted", async () => {
    const registry = new StepHandlerRegistry([dataProcessingHandler() as StepHandler<never>]);
    const known = ["Acme-2026", "beta", "Beta"];
    const engine = WorkflowEngine.inMemory({ registry, knownMatters: { matters: () => known } });
    const wf = { name: "m", steps: [{ id: "a", type: "data_processing", parameters: { operation: "pick", input: { x: 1 }, fields: ["x"] } }] };
    expect(() => engine.start(wf, {}, { matter: "acme-2026" })).toThrow(expect.objectContaining({ code: "MATTER_ID_INVALID", message: expect.stringContaining(`the run's matter "acme-2026" differs only in letter case from the existing matter "Acme-2026"`) }));
    expect(() => engine.start(wf, {}, { matter: "BETA" })).toThrow(expect.objectContaining({ code: "MATTER_ID_INVALID" }));
    for (const matter of ["Acme-2026", "beta", "Beta", "gamma"]) expect((await engine.start(wf, {}, { matter }).result).status).toBe("completed");
    await engine.dispose();
  });

  it("audits a run's start as its actor and gives the actor to every step's task", async () => {
    const tasks: StepTask[] = [];
    const registry = new StepHandlerRegistry();
    const inner = new InProcessExecutor(registry);
    const executor: Executor = { execute: (task, options) => (tasks.push(task), inner.execute(task, options)) };
    const audited: Array<{ action: string; actor?: string }> = [];
    const { work } = testHandlers();
    registry.register(work as StepHandler<never>);
    const engine = WorkflowEngine.inMemory({ registry, executor, audit: { record: async (e) => void audited.push(e) } });
    const wf = { name: "m", steps: [{ id: "a", type: "work", parameters: {} }, { id: "b", type: "work", depends_on: ["a"], parameters: {} }] };
    await engine.run(wf, {}, { runId: "by-alice", actor: "alice" });
    await engine.run(wf, {}, { runId: "unnamed" });
    expect(tasks.map((t) => [t.runId, t.stepId, t.actor])).toEqual([
      ["by-alice", "a", "alice"],
      ["by-alice", "b", "alice"],
      ["unnamed", "a", undefined],
      ["unnamed", "b", undefined],
    ]);
    expect(audited.filter((e) => e.action === "workflow.run.start").map((e) => e.actor)).toEqual(["alice", "system"]);
    expect(engine.getRun("by-alice").actor).toBe("alice");
    expect(engine.getRun("unnamed").actor).toBeNull();
  });

  it("does not retry a failure its handler marks permanent (PermanentStepError or retryable: false)", async () => {
    let calls = 0;
    const strict: StepHandler<{ how: string }> = {
      type: "strict",
      parameters: z.object({ how: z.string() }),
      async execute(ctx) {
        calls++;
        if (ctx.parameters.how === "class") throw new PermanentStepError(ctx.stepId, "the contract text is empty");
        throw Object.assign(new Error("no agent offers 'risk_assessment'"), { retryable: false });
      },
    };
    const engine = engineWith([strict as StepHandler<never>]);
    for (const how of ["class", "flag"]) {
      calls = 0;
      const result = await engine.run({ name: "p", steps: [{ id: "s", type: "strict", retry: { attempts: 5, backoff: 1 }, parameters: { how } }] });
      expect(result.status).toBe("failed");
      expect(calls).toBe(1);
      expect(engine.getRun(result.runId).steps[0]).toMatchObject({ status: "failed", attempt: 1 });
    }
  });

  it("on_error continue lets dependents run; on_error fallback runs the fallback step in its place", async () => {
    const { work } = testHandlers();
    const engine = engineWith([work as StepHandler<never>]);
    const result = await engine.run({
      name: "recover",
      steps: [
        { id: "optional", type: "work", on_error: "continue", parameters: { fail_always: true } },
        { id: "primary", type: "work", on_error: { fallback: "backup" }, parameters: { fail_always: true } },
        { id: "backup", type: "work", parameters: { value: "from backup" } },
        { id: "unused_backup", type: "work", parameters: { value: "never" } },
        { id: "fine", type: "work", on_error: { fallback: "unused_backup" }, parameters: { value: "fine" } },
        {
          id: "end",
          type: "work",
          depends_on: ["optional", "primary", "fine"],
          parameters: { value: { optional: "{{ steps.optional.status }}", primary: "{{ steps.primary.output }}" } },
        },
      ],
    });
    expect(result.status).toBe("completed");
    expect(result.outputs["end"]).toEqual({ optional: "failed", primary: "from backup" });
    const steps = engine.getRun(result.runId).steps;
    expect(steps.find((s) => s.stepId === "unused_backup")?.status).toBe("skipped");
    expect(steps.find((s) => s.stepId === "primary")?.status).toBe("failed");
  });

  it("skips a step whose when condition is false and runs the one whose condition holds", async () => {
    const { work } = testHandlers();
    const engine = engineWith([work as StepHandler<never>]);
    const result = await engine.run(
      {
        name: "cond",
        inputs: { kind: { type: "string" } },
        steps: [
          { id: "classify", type: "work", parameters: { value: { kind: "{{ inputs.kind }}", pages: 12 } } },
          { id: "nda_review", type: "work", depends_on: ["classify"], when: "steps.classify.output.kind == 'nda' && steps.classify.output.pages > 10", parameters: { value: "nda" } },
          { id: "lease_review", type: "work", depends_on: ["classify"], when: "{{ steps.classify.output.kind == 'lease' }}", parameters: { value: "lease" } },
        ],
      },
      { kind: "nda" },
    );
    expect(result.status).toBe("completed");
    const steps = engine.getRun(result.runId).steps;
    expect(steps.find((s) => s.stepId === "nda_review")?.status).toBe("completed");
    expect(steps.find((s) => s.stepId === "lease_review")?.status).toBe("skipped");
  });

  it("fans out over a list with for_each and collects outputs in item order", async () => {
    const { work, stats } = testHandlers();
    const engine = engineWith([work as StepHandler<never>], { maxParallelSteps: 3 });
    const result = await engine.run({
      name: "fan",
      steps: [
        { id: "docs", type: "work", parameters: { value: ["a", "b", "c", "d", "e"] } },
        { id: "each", type: "work", depends_on: ["docs"], for_each: "{{ steps.docs.output }}", parameters: { ms: 5, value: "{{ index }}:{{ item }}" } },
      ],
    });
    expect(result.outputs["each"]).toEqual(["0:a", "1:b", "2:c", "3:d", "4:e"]);
    expect(stats().maxConcurrent).toBe(3);
  });

  it("audits a cancel as who asked (system when nobody is named) and refuses a malformed actor before cancelling", async () => {
    const audited: Array<{ action: string; actor?: string; resource?: string }> = [];
    const registry = new StepHandlerRegistry();
    const hold: StepHandler = { type: "hold", execute: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason as Error))) };
    registry.register(hold as StepHandler<never>);
    const engine = WorkflowEngine.inMemory({ registry, executor: new InProcessExecutor(registry), audit: { record: async (e) => void audited.push(e) } });
    const wf = { name: "hold", steps: [{ id: "h", type: "hold" }] };
    const byPaula = engine.start(wf, {}, { runId: "by-paula" });
    const unnamed = engine.start(wf, {}, { runId: "unnamed" });
    expect(() => engine.cancel("by-paula", "stop", { actor: "paula\n{\"forged\":1}" })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(engine.cancel("by-paula", "stop", { actor: "paula" })).toBe(true);
    expect(engine.cancel("unnamed")).toBe(true);
    await Promise.all([byPaula.result, unnamed.result]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(audited.filter((e) => e.action === "workflow.run.cancel").map((e) => [e.resource, e.actor])).toEqual([
      ["by-paula", "paula"],
      ["unnamed", "system"],
    ]);
  });

  it("times a step out after its timeout and reports STEP_TIMEOUT", async () => {
    const { work } = testHandlers();
    const engine = engineWith([work as StepHandler<never>]);
    const started = Date.now();
    const result = await engine.run({ name: "slow", steps: [{ id: "slow", type: "work", timeout: "50ms", parameters: { ms: 5000 } }] });
    expect(result.status).toBe("failed");
    expect(Date.now() - started).toBeLessThan(2000);
    expect(engine.getRun(result.runId).steps[0]?.error?.code).toBe("STEP_TIMEOUT");
  });

  it("times the whole run out after the workflow timeout even when a handler ignores its signal", async () => {
    const stubborn: StepHandler = { type: "stubborn", execute: () => new Promise(() => undefined) };
    const engine = engineWith([stubborn as StepHandler<never>]);
    const result = await engine.run({ name: "hang", timeout: 60, steps: [{ id: "hang", type: "stubborn" }] });
    expect(result.status).toBe("failed");
    expect(result.error?.code).toBe("RUN_TIMEOUT");
    expect(engine.getRun(result.runId).steps[0]?.status).toBe("cancelled");
  });

  it("cancelling a run aborts the signal of the running handler and marks the run cancelled", async () => {
    let sawAbort: unknown;
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const waiter: StepHandler = {
      type: "waiter",
      execute: (ctx) =>
        new Promise((_, reject) => {
          started();
          ctx.signal.addEventListener("abort", () => {
            sawAbort = ctx.signal.reason;
            reject(ctx.signal.reason as Error);
          });
        }),
    };
    const engine = engineWith([waiter as StepHandler<never>]);
    const handle = engine.start({ name: "wait", steps: [{ id: "wait", type: "waiter" }, { id: "later", type: "waiter", depends_on: ["wait"] }] });
    await running;
    expect(engine.cancel(handle.runId, "user pressed stop")).toBe(true);
    const result = await handle.result;
    expect(result.status).toBe("cancelled");
    expect(sawAbort).toMatchObject({ code: "RUN_CANCELLED" });
    expect(engine.getRun(handle.runId).steps.map((s) => s.status).sort()).toEqual(["cancelled", "cancelled"]);
    expect(engine.cancel(handle.runId)).toBe(false);
  });

  it("an external AbortSignal passed to start cancels the run", async () => {
    const { work } = testHandlers();
    const engine = engineWith([work as StepHandler<never>]);
    const controller = new AbortController();
    const handle = engine.start({ name: "x", steps: [{ id: "long", type: "work", parameters: { ms: 10_000 } }] }, {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect((await handle.result).status).toBe("cancelled");
  });

  it("emits run and step events per run, globally and on the core EventBus", async () => {
    const { work } = testHandlers();
    const bus = new RxEventBus();
    const registry = new StepHandlerRegistry([work as StepHandler<never>]);
    const engine = WorkflowEngine.inMemory({ registry, eventBus: bus });
    const global: WorkflowEvent[] = [];
    const onBus: string[] = [];
    engine.events.subscribe((e) => global.push(e));
    bus.on("workflow:*").subscribe((e) => onBus.push(e.type));
    const handle = engine.start({ name: "ev", steps: [{ id: "a", type: "work" }, { id: "b", type: "work", depends_on: ["a"] }] });
    const perRun = await firstValueFrom(handle.events.pipe(toArray()));
    expect(perRun.map((e) => `${e.type}${"stepId" in e ? `:${e.stepId}` : ""}`)).toEqual([
      "run.started",
      "step.started:a",
      "step.completed:a",
      "step.started:b",
      "step.completed:b",
      "run.completed",
    ]);
    expect(perRun.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(global).toEqual(perRun);
    expect(onBus).toContain("workflow:run.completed");
    expect(engine.history(handle.runId)).toEqual(perRun);
  });

  it("refuses to run an invalid workflow and names the exact path", () => {
    const engine = engineWith([]);
    expect(() => engine.start({ name: "bad", steps: [{ id: "a", type: "data_processing", depends_on: ["nope"] }] })).toThrow(WorkflowValidationError);
    expect(() => engine.start({ name: "bad", steps: [{ id: "a", type: "teleport" }] })).toThrow(
      new WorkflowValidationError("bad", [{ path: "steps[0].type", message: "unknown step type 'teleport' (registered: data_processing)" }]),
    );
  });

  it("refuses inputs that are missing or of the wrong type", () => {
    const engine = engineWith([]);
    const wf = { name: "in", inputs: { n: { type: "number" }, s: { type: "string", default: "x" } }, steps: [{ id: "a", type: "data_processing", parameters: { operation: "count", input: "{{ inputs.n }}" } }] };
    expect(() => engine.start(wf, {})).toThrow(/inputs\.n: required input is missing/);
    expect(() => engine.start(wf, { n: "3" })).toThrow(/inputs\.n: expected number, got string/);
    expect(() => engine.start(wf, { n: 3, extra: 1 })).toThrow(/inputs\.extra: unknown input/);
  });

  it("fails a step whose handler returns a value that is not JSON, without retrying", async () => {
    let calls = 0;
    const dated: StepHandler = {
      type: "dated",
      execute: async () => {
        calls++;
        return new Date() as unknown as JsonValue;
      },
    };
    const engine = engineWith([dated as StepHandler<never>]);
    const result = await engine.run({ name: "d", steps: [{ id: "d", type: "dated", retry: { attempts: 3, backoff: 1 } }] });
    expect(result.status).toBe("failed");
    expect(calls).toBe(1);
    expect(engine.getRun(result.runId).steps[0]?.error).toMatchObject({ code: "VALUE_NOT_JSON", message: expect.stringContaining("Date instance") });
  });
});

/** A deterministic Llm for tests: echoes the last user message word by word, honouring the signal. */
class EchoLlm implements Llm {
  readonly id = "echo-test";
  readonly contextSize = 4096;
  constructor(private readonly delayMs = 0) {}
  async countTokens(text: string): Promise<number> {
    return text.split(/\s+/).filter(Boolean).length;
  }
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const it = this.stream(request);
    for (;;) {
      const next = await it.next();
      if (next.done) return next.value;
    }
  }
  async *stream(request: GenerateRequest): AsyncGenerator<GenerateChunk, GenerateResult, undefined> {
    const text = request.messages?.at(-1)?.content ?? request.prompt ?? "";
    const words = `echo: ${text}`.split(" ");
    const out: string[] = [];
    for (const word of words.slice(0, request.maxTokens ?? words.length)) {
      if (request.signal?.aborted) return { text: out.join(" "), tokensUsed: out.length, promptTokens: 1, generationTime: 1, tokensPerSecond: 1, finishReason: "abort" };
      if (this.delayMs) await sleep(this.delayMs, request.signal).catch(() => undefined);
      out.push(word);
      yield { text: word };
    }
    return { text: out.join(" "), tokensUsed: out.length, promptTokens: 1, generationTime: 1, tokensPerSecond: 1, finishReason: "stop" };
  }
}

describe("llm_generation step", () => {
  it("sends the resolved prompt to the Llm and returns its text", async () => {
    const engine = engineWith([llmGenerationHandler(new EchoLlm()) as StepHandler<never>]);
    const result = await engine.run(
      { name: "gen", inputs: { topic: { type: "string" } }, steps: [{ id: "gen", type: "llm_generation", parameters: { prompt: "summarise {{ inputs.topic }}" } }] },
      { topic: "clause 7" },
    );
    expect(result.outputs["gen"]).toMatchObject({ text: "echo: summarise clause 7", model: "echo-test", finishReason: "stop" });
  });

  it("passes a bare prompt as a completion prompt, and system + prompt or messages as chat", async () => {
    const requests: GenerateRequest[] = [];
    const llm = new (class extends EchoLlm {
      override stream(request: GenerateRequest): AsyncGenerator<GenerateChunk, GenerateResult, undefined> {
        requests.push(request);
        return super.stream(request);
      }
    })();
    const engine = engineWith([llmGenerationHandler(llm) as StepHandler<never>]);
    const result = await engine.run({
      name: "gen",
      steps: [
        { id: "raw", type: "llm_generation", parameters: { prompt: "Once upon a time" } },
        { id: "chat", type: "llm_generation", parameters: { system: "Be brief.", prompt: "Summarise clause 7" } },
        { id: "msgs", type: "llm_generation", parameters: { messages: [{ role: "user", content: "Hello" }] } },
      ],
    });
    expect(result.status).toBe("completed");
    const byText = (t: string) => requests.find((r) => r.prompt === t || r.messages?.some((m) => m.content === t));
    expect(byText("Once upon a time")).toMatchObject({ prompt: "Once upon a time" });
    expect(byText("Once upon a time")?.messages).toBeUndefined();
    expect(byText("Summarise clause 7")?.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Summarise clause 7" },
    ]);
    expect(byText("Hello")?.messages).toEqual([{ role: "user", content: "Hello" }]);
  });

  it("cancelling the run stops a generation in progress", async () => {
    const engine = engineWith([llmGenerationHandler(new EchoLlm(20)) as StepHandler<never>]);
    const handle = engine.start({ name: "gen", steps: [{ id: "gen", type: "llm_generation", parameters: { prompt: Array.from({ length: 200 }, (_, i) => `w${i}`).join(" ") } }] });
    const progressed = firstValueFrom(handle.events.pipe(toArray()));
    setTimeout(() => engine.cancel(handle.runId), 100);
    const started = Date.now();
    const result = await handle.result;
    expect(result.status).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(2000); // the whole generation would take 4 s
    expect((await progressed).some((e) => e.type === "step.progress")).toBe(true);
  });

  it("checks a JSON answer against json_schema, including what the sampling grammar does not enforce", async () => {
    /** A model whose answer is scripted (the step's checks are under test, not the model). */
    const answering = (text: string) =>
      new (class extends EchoLlm {
        // eslint-disable-next-line require-yield
        override async *stream(): AsyncGenerator<GenerateChunk, GenerateResult, undefined> {
          return { text, tokensUsed: 1, promptTokens: 1, generationTime: 1, tokensPerSecond: 1, finishReason: "stop" };
        }
      })();
    const json_schema = { type: "object", properties: { path: { type: "string", pattern: "^[a-z]+\\.txt$" }, k: { type: "number", minimum: 1, maximum: 5 } }, required: ["path", "k"], additionalProperties: false };
    const run = (text: string) => engineWith([llmGenerationHandler(answering(text)) as StepHandler<never>]).run({ name: "gen", steps: [{ id: "gen", type: "llm_generation", parameters: { prompt: "extract", json_schema } }] });
    const fits = await run('{"path":"notes.txt","k":3}');
    expect(fits.status).toBe("completed");
    expect((fits.outputs["gen"] as { json: unknown }).json).toEqual({ path: "notes.txt", k: 3 });
    const outOfRange = await run('{"path":"notes.txt","k":99}');
    expect(outOfRange.status).toBe("failed");
    expect(outOfRange.error?.message).toMatch(/does not fit json_schema: k: Too big/);
    const traversal = await run('{"path":"../../etc/passwd","k":2}');
    expect(traversal.error?.message).toMatch(/does not fit json_schema: path: .*pattern/);
  });

  it("refuses a json_schema it cannot check answers against, before the model runs", async () => {
    const engine = engineWith([llmGenerationHandler(new EchoLlm()) as StepHandler<never>]);
    const result = await engine.run({ name: "gen", steps: [{ id: "gen", type: "llm_generation", parameters: { prompt: "x", json_schema: { type: "no-such-type" } } }] });
    expect(result.status).toBe("failed");
    expect(result.error?.message).toMatch(/json_schema.*is not a JSON Schema BEAR can check answers against/s);
  });

  it("rejects parameters that give neither prompt nor messages, naming the problem", async () => {
    const engine = engineWith([llmGenerationHandler(new EchoLlm()) as StepHandler<never>]);
    const result = await engine.run({ name: "gen", steps: [{ id: "gen", type: "llm_generation", parameters: { temperature: 0.2 } }] });
    expect(result.error?.message).toContain("give exactly one of prompt or messages");
  });
});

describe("cancellation before the first step", () => {
  it("a run cancelled right after start never runs a step and ends cancelled", async () => {
    let ran = 0;
    const counted: StepHandler = { type: "counted", execute: async () => (ran++, null) };
    const engine = engineWith([counted as StepHandler<never>]);
    const handle = engine.start({ name: "c", steps: [{ id: "a", type: "counted" }] });
    const events = firstValueFrom(handle.events.pipe(toArray()));
    expect(engine.cancel(handle.runId)).toBe(true);
    expect((await handle.result).status).toBe("cancelled");
    expect(ran).toBe(0);
    expect((await events).map((e) => e.type)).toEqual(["step.cancelled", "run.completed"]);
    expect(engine.getRun(handle.runId).status).toBe("cancelled");
  });
});

describe("for_each failures", () => {
  it("one item failing after its retries fails the step and aborts its running siblings", async () => {
    const aborted: number[] = [];
    const item: StepHandler = {
      type: "item",
      execute: (ctx) =>
        new Promise((resolve, reject) => {
          if (ctx.item === "bad") return reject(new Error("bad item"));
          ctx.signal.addEventListener("abort", () => (aborted.push(ctx.index!), reject(ctx.signal.reason as Error)));
          setTimeout(() => resolve(null), 5_000).unref();
        }),
    };
    const engine = engineWith([item as StepHandler<never>], { maxParallelSteps: 4 });
    const result = await engine.run({ name: "f", steps: [{ id: "each", type: "item", for_each: ["ok", "ok", "bad"], retry: { attempts: 2, backoff: 5 } }] });
    expect(result.status).toBe("failed");
    expect(aborted.sort()).toEqual([0, 1]);
    const rows = engine.getRun(result.runId).steps;
    expect(rows.map((r) => [r.key, r.status, r.attempt])).toEqual(
      expect.arrayContaining([
        ["each", "failed", 0],
        ["each[2]", "failed", 2],
        ["each[0]", "cancelled", 1],
      ]),
    );
  });

  it("a for_each reference that is not a list fails the step with a clear message", async () => {
    const engine = engineWith([]);
    const result = await engine.run({
      name: "f",
      steps: [
        { id: "n", type: "data_processing", parameters: { operation: "count", input: [1] } },
        { id: "each", type: "data_processing", depends_on: ["n"], for_each: "{{ steps.n.output }}", parameters: { operation: "count", input: "{{ item }}" } },
      ],
    });
    expect(result.error?.message).toBe("step 'each' failed: for_each resolved to number, expected a list");
  });
});
