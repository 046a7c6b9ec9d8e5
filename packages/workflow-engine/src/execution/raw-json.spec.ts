import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, jest } from "@jest/globals";
import fc from "fast-check";
import { z } from "zod";
import { WorkflowEngine } from "../engine/workflow-engine";
import type { StepHandler } from "../steps/step-handler";
import { StepHandlerRegistry } from "../steps/step-handler-registry";
import { InProcessExecutor, type ExecuteOptions, type Executor, type StepTask } from "./executor";
import type { JsonValue } from "./json-value";
import { plainJson, RawJson } from "./raw-json";

/** A step whose output its executor keeps as text (as a queue's workers' outputs arrive). */
const EXTRACT = { n: 2, list: ["a", "b"], nested: { deep: [1, { x: "y" }] } };

/**
 * An executor like @bear/cluster's queue: step type `remote.*` "runs elsewhere" and comes back as
 * RawJson; the tasks it was sent are kept. Other types run in-process.
 */
class TextExecutor implements Executor {
  readonly tasks: StepTask[] = [];
  readonly sent: RawJson[] = [];
  constructor(readonly local: Executor) {}
  async execute(task: StepTask, options: ExecuteOptions): Promise<JsonValue | RawJson> {
    if (!task.type.startsWith("remote.")) return this.local.execute(task, options);
    this.tasks.push(task);
    const raw = new RawJson(JSON.stringify(task.type === "remote.extract" ? EXTRACT : { got: Object.keys(task.parameters) }));
    this.sent.push(raw);
    return raw;
  }
}

function engineOver(options: { dbPath?: string } = {}): { engine: Promise<WorkflowEngine>; executor: TextExecutor; seen: unknown[] } {
  const seen: unknown[] = [];
  const echo: StepHandler<{ value?: unknown }> = {
    type: "echo",
    parameters: z.object({ value: z.unknown().optional() }),
    execute: async (ctx) => {
      seen.push(ctx.parameters.value);
      return (ctx.parameters.value ?? null) as JsonValue;
    },
  };
  const registry = new StepHandlerRegistry([echo as StepHandler<never>, { type: "remote.extract", execute: async () => null }, { type: "remote.report", execute: async () => null }]);
  const executor = new TextExecutor(new InProcessExecutor(registry));
  const engine = options.dbPath === undefined ? Promise.resolve(WorkflowEngine.inMemory({ registry, executor })) : WorkflowEngine.open({ dbPath: options.dbPath, registry, executor });
  return { engine, executor, seen };
}

const WORKFLOW = {
  name: "raw",
  steps: [
    { id: "extract", type: "remote.extract", parameters: {} },
    { id: "report", type: "remote.report", depends_on: ["extract"], parameters: { whole: "{{ steps.extract.output }}", nested: { again: "{{ steps.extract.output }}" }, n: "{{ steps.extract.output.n }}", mixed: "n is {{ steps.extract.output.n }}; all: {{ steps.extract.output }}" } },
    { id: "local", type: "echo", depends_on: ["extract"], parameters: { value: "{{ steps.extract.output }}" } },
    { id: "when_two", type: "echo", depends_on: ["extract"], when: "steps.extract.output.n == 2", parameters: { value: "two" } },
    { id: "when_three", type: "echo", depends_on: ["extract"], when: "steps.extract.output.n == 3", parameters: { value: "three" } },
    { id: "each", type: "echo", depends_on: ["extract"], for_each: "{{ steps.extract.output.list }}", parameters: { value: "{{ item }}" } },
  ],
};

describe("RawJson step outputs", () => {
  it("an output kept as text is passed on to later steps as it is, and parsed only where a field of it is read", async () => {
    const { engine: opened, executor, seen } = engineOver();
    const engine = await opened;
    const result = await engine.run(WORKFLOW);
    expect(result.status).toBe("completed");
    const [extract] = executor.sent;
    const report = executor.tasks.find((t) => t.stepId === "report")!;
    // the very object the executor returned, not a parsed copy, wherever the whole output is named
    expect(report.parameters["whole"]).toBe(extract);
    expect((report.parameters["nested"] as Record<string, unknown>)["again"]).toBe(extract);
    // a field of it, a condition and a for_each list read inside it; text splices it in as JSON
    expect(report.parameters["n"]).toBe(2);
    expect(report.parameters["mixed"]).toBe(`n is 2; all: ${JSON.stringify(EXTRACT)}`);
    expect(result.outputs["when_two"]).toBe("two");
    expect(result.outputs["when_three"]).toBeUndefined();
    expect(result.outputs["each"]).toEqual(["a", "b"]);
    // a handler in this process gets a plain value, never a RawJson
    expect(seen[0]).toEqual(EXTRACT);
    expect(RawJson.isInstance(seen[0])).toBe(false);
    // the run's result and its record give plain JSON
    expect(RawJson.isInstance(result.outputs["extract"])).toBe(false);
    expect(result.outputs["extract"]).toEqual(EXTRACT);
    expect(result.outputs["report"]).toEqual({ got: ["whole", "nested", "n", "mixed"] });
    expect(JSON.parse(JSON.stringify(result))).toEqual({ runId: result.runId, status: "completed", outputs: expect.objectContaining({ extract: EXTRACT }) });
    const steps = engine.getRun(result.runId).steps;
    expect(steps.find((s) => s.stepId === "extract")!.output).toEqual(EXTRACT);
    expect(steps.every((s) => !RawJson.isInstance(s.output))).toBe(true);
    await engine.dispose();
  });

  it("a run's outputs are parsed only when the caller reads them", async () => {
    const { engine: opened, executor } = engineOver();
    const engine = await opened;
    const result = await engine.run({ name: "one", steps: [{ id: "extract", type: "remote.extract", parameters: {} }] });
    const parse = jest.spyOn(JSON, "parse");
    try {
      expect(Object.keys(result)).toEqual(["runId", "status", "outputs"]);
      expect(parse).not.toHaveBeenCalled();
      expect(result.outputs).toEqual({ extract: EXTRACT });
      expect(result.outputs).toBe(result.outputs); // made once
      expect(Object.getOwnPropertyDescriptor(result, "outputs")).toMatchObject({ value: { extract: EXTRACT } });
    } finally {
      parse.mockRestore();
    }
    expect(executor.sent).toHaveLength(1);
    // frozen by its caller before its outputs were read: they are still there
    const frozen = Object.freeze(await engine.run({ name: "one", steps: [{ id: "extract", type: "remote.extract", parameters: {} }] }));
    expect(frozen.outputs).toEqual({ extract: EXTRACT });
    expect(frozen.outputs).toBe(frozen.outputs);
    await engine.dispose();
  });

  it("SqliteRunStore stores an output kept as text as that text, and reads it back as plain JSON", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-raw-json-"));
    try {
      const { engine: opened } = engineOver({ dbPath: path.join(dir, "runs.db") });
      const engine = await opened;
      const result = await engine.run(WORKFLOW);
      expect(result.status).toBe("completed");
      const steps = engine.getRun(result.runId).steps;
      expect(steps.find((s) => s.stepId === "extract")!.output).toEqual(EXTRACT);
      expect(steps.find((s) => s.stepId === "each")!.output).toEqual(["a", "b"]);
      await engine.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a RawJson's value is the JSON its text holds, and plainJson replaces every RawJson inside a value (copying only the way to them)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const text = JSON.stringify(a);
        const raw = new RawJson(text);
        expect(raw.value).toEqual(JSON.parse(text));
        expect(JSON.stringify(raw)).toBe(text);
        const holder = { keep: b, inner: [raw, { raw }] } as unknown;
        const plain = plainJson(holder) as { keep: unknown; inner: [unknown, { raw: unknown }] };
        expect(plain.keep).toBe((holder as { keep: unknown }).keep); // untouched parts are the same objects
        expect(plain.inner[0]).toEqual(JSON.parse(text));
        expect(plain.inner[1].raw).toEqual(JSON.parse(text));
        expect(plainJson(b)).toBe(b); // nothing to replace: nothing copied
      }),
      { numRuns: 200 },
    );
  });

  it("a text that is not JSON fails with VALUE_NOT_JSON naming the value, when it is read", () => {
    const raw = new RawJson('{"a":', "the output of step 'x'");
    expect(() => raw.value).toThrow(expect.objectContaining({ code: "VALUE_NOT_JSON", message: expect.stringContaining("the output of step 'x'") }));
  });
});
