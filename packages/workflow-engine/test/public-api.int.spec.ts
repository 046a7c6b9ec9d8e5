// Uses only the public entry point, as a developer embedding @bear/workflow-engine would.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { WorkflowEngine, WorkflowValidationError, type StepHandler, type WorkflowEvent } from "@bear/workflow-engine";

// The workflow shown in README.md.
const REVIEW_YAML = `
name: clause-digest
description: Collect high-risk clauses from a JSON export and write a digest.
inputs:
  export_file: { type: string }
  min_risk: { type: number, default: 7 }
steps:
  - id: read
    type: file_operations
    parameters: { operation: read, path: "{{ inputs.export_file }}" }
  - id: parse
    type: json_parse
    depends_on: [read]
    parameters: { text: "{{ steps.read.output.content }}" }
  - id: risky
    type: data_processing
    depends_on: [parse]
    parameters:
      operation: filter
      input: "{{ steps.parse.output.clauses }}"
      where: { field: risk, op: gte, value: "{{ inputs.min_risk }}" }
  - id: titles
    type: data_processing
    depends_on: [risky]
    parameters: { operation: map, input: "{{ steps.risky.output }}", field: title }
  - id: write
    type: file_operations
    depends_on: [titles]
    when: "steps.titles.output"
    retry: { attempts: 3, backoff: { initial: 100ms, factor: 2, jitter: 0.5 } }
    timeout: 5s
    for_each: "{{ steps.titles.output }}"
    parameters: { operation: write, path: "digest/{{ index }}.txt", content: "High risk: {{ item }}" }
`;

const jsonParse: StepHandler<{ text: string }> = {
  type: "json_parse",
  execute: async (ctx) => JSON.parse(ctx.parameters.text),
};

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "wf-public-"));
  fs.mkdirSync(path.join(dir, "ws"));
  fs.writeFileSync(
    path.join(dir, "ws", "export.json"),
    JSON.stringify({ clauses: [{ title: "Term", risk: 3 }, { title: "Indemnity", risk: 9 }, { title: "Liability cap", risk: 8 }] }),
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("@bear/workflow-engine public API", () => {
  it("runs the README's YAML workflow end to end with SQLite persistence", async () => {
    const engine = await WorkflowEngine.open({ dbPath: path.join(dir, "runs.db"), workspaceRoot: path.join(dir, "ws"), handlers: [jsonParse as StepHandler<never>] });
    try {
      const handle = engine.start(REVIEW_YAML, { export_file: "export.json" });
      const seen: WorkflowEvent["type"][] = [];
      handle.events.subscribe((e) => seen.push(e.type));
      const result = await handle.result;
      expect(result.status).toBe("completed");
      expect(result.outputs["titles"]).toEqual(["Indemnity", "Liability cap"]);
      expect(fs.readFileSync(path.join(dir, "ws", "digest", "1.txt"), "utf8")).toBe("High risk: Liability cap");
      expect(seen[0]).toBe("run.started");
      expect(seen.at(-1)).toBe("run.completed");
      expect(engine.getRun(handle.runId).progress).toMatchObject({ total: 5, completed: 5 });
      expect(engine.listRuns({ status: "completed" }).map((r) => r.workflow)).toEqual(["clause-digest"]);
    } finally {
      await engine.dispose();
    }
  });

  it("validation lists every problem with its path before anything runs", async () => {
    const engine = await WorkflowEngine.open({ dbPath: ":memory:" });
    try {
      const broken = REVIEW_YAML.replace("depends_on: [read]", "depends_on: [raed]");
      const result = engine.validate(broken);
      expect(result.ok).toBe(false);
      expect(result.issues).toEqual(
        expect.arrayContaining([
          { path: "steps[0].type", message: "unknown step type 'file_operations' (registered: data_processing)" },
          { path: "steps[1].depends_on[0]", message: "step 'raed' does not exist (known steps: read, parse, risky, titles, write)" },
        ]),
      );
      expect(() => engine.start(broken)).toThrow(WorkflowValidationError);
      expect(engine.listRuns()).toEqual([]);
    } finally {
      await engine.dispose();
    }
  });
});
