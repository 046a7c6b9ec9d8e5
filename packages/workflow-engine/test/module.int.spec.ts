import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { coreModule, createContainer, defaultBearConfig, disposeContainer, DisposedError, Llm } from "@bear/core";
import { ContainerModule } from "inversify";
import { StepHandlerRegistryToken, WorkflowEngineToken, workflowEngineModule } from "../src/workflow-engine.module";
import type { WorkflowEngine } from "../src/engine/workflow-engine";
import type { StepHandlerRegistry } from "../src/steps/step-handler-registry";

describe("workflowEngineModule", () => {
  it("binds an engine on SQLite with the built-in steps, and closes it when the container is disposed", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wf-module-"));
    const llm: Llm = {
      id: "fixed",
      contextSize: 128,
      countTokens: async () => 1,
      generate: async () => ({ text: "ok", tokensUsed: 1, promptTokens: 1, generationTime: 1, tokensPerSecond: 1, finishReason: "stop" }),
      stream: async function* () {
        yield { text: "ok" };
        return { text: "ok", tokensUsed: 1, promptTokens: 1, generationTime: 1, tokensPerSecond: 1, finishReason: "stop" };
      },
    };
    const container = createContainer(
      coreModule({ config: defaultBearConfig(dir) }),
      new ContainerModule(({ bind }) => void bind(Llm).toConstantValue(llm)),
      workflowEngineModule({ dbPath: path.join(dir, "wf.db"), workspaceRoot: dir }),
    );
    try {
      const registry = container.get<StepHandlerRegistry>(StepHandlerRegistryToken);
      expect(registry.types().sort()).toEqual(["data_processing", "file_operations", "llm_generation"]);
      const engine = await container.getAsync<WorkflowEngine>(WorkflowEngineToken);
      const result = await engine.run({ name: "di", steps: [{ id: "g", type: "llm_generation", parameters: { prompt: "hi" } }] });
      expect(result.outputs["g"]).toMatchObject({ text: "ok" });
      await disposeContainer(container);
      expect(() => engine.start({ name: "x", steps: [{ id: "a", type: "llm_generation", parameters: { prompt: "x" } }] })).toThrow(DisposedError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses an invalid config with the field named", () => {
    expect(() => workflowEngineModule({ dbPath: "x.db", maxParallelSteps: 0 })).toThrow(/maxParallelSteps/);
  });
});
