import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ModelManager } from "@bear/model-manager";
import { AgentSystem, DelegationFailedError } from "../src/index";

// End to end with a real model: stories260K (a 260K-parameter llama) through @bear/model-manager,
// always with 1 thread on this 2-vCPU machine (see ../shared/models/README.md).
const modelDir = path.resolve(import.meta.dirname, "../../../../shared/models/stories260K");

describe("agents on a real GGUF model (stories260K)", () => {
  let dir: string;
  let manager: ModelManager;
  let system: AgentSystem;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agents-model-"));
    manager = await ModelManager.open({ modelDirs: [modelDir], threads: 1, maxConcurrentRequests: 1 });
    system = await AgentSystem.open({ dbPath: path.join(dir, "runs.db"), llm: manager.llm("stories260K") });
  });
  afterAll(async () => {
    await system?.dispose();
    await manager?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("delegates a generation task to the LLM executor, which runs the model through the engine", async () => {
    const result = await system.delegate({
      type: "story",
      requirements: ["llm_generation"],
      input: { prompt: "Once upon a time", max_tokens: 20, temperature: 0 },
      validate: { schema: "generation" },
    }).catch((e: unknown) => e);
    // no schema named 'generation' is registered: validation must refuse (proves the gate is real)
    expect(result).toBeInstanceOf(DelegationFailedError);
    expect((result as Error).message).toContain("no schema named 'generation' is registered with the validator");

    const ok = await system.delegate({ type: "story", requirements: ["llm_generation"], input: { prompt: "Once upon a time", max_tokens: 20, temperature: 0 } });
    const output = ok.results["llm_generation"] as { text: string; model: string; tokensUsed: number; finishReason: string };
    // a bare prompt is a completion prompt: at temperature 0 the agent's answer is exactly what
    // the model itself continues it with (stories260K writes a children's story)
    const direct = await manager.generate("stories260K", { prompt: "Once upon a time", maxTokens: 20, temperature: 0 });
    expect(output.text).toBe(direct.text);
    expect(output.text).toMatch(/there was a little/);
    expect(output).toMatchObject({ model: "stories260K", tokensUsed: 20, finishReason: "length" });
    expect(ok.assignments).toEqual([expect.objectContaining({ agentId: "llm-executor", capability: "llm_generation" })]);
    const report = system.monitor.check();
    expect(report.models[0]).toMatchObject({ modelId: "stories260K", generations: 2, tokensGenerated: 40, failures: 0 });
    expect(report.models[0]!.tokensPerSecond).toBeGreaterThan(0);
    expect(system.inspectAgent("llm-executor").metrics.latency.count).toBe(2);
  });

  it("cancelling a delegation aborts the generation; the agent counts it as cancelled, not failed", async () => {
    const controller = new AbortController();
    const failedBefore = system.inspectAgent("llm-executor").metrics.tasksFailed;
    const started = new Promise<void>((resolve) => {
      const sub = system.engine.events.subscribe((e) => {
        if (e.type === "step.started" && e.stepId === "llm_generation") {
          sub.unsubscribe();
          resolve();
        }
      });
    });
    const pending = system.delegate({ type: "long_story", requirements: ["llm_generation"], input: { prompt: "Once upon a time", max_tokens: 1500, temperature: 0.8, seed: 1 } }, { signal: controller.signal });
    await started;
    controller.abort();
    const error = (await pending.catch((e: unknown) => e)) as DelegationFailedError;
    expect(error).toBeInstanceOf(DelegationFailedError);
    expect(system.engine.getRun(error.runId).status).toBe("cancelled");
    const metrics = system.inspectAgent("llm-executor").metrics;
    expect(metrics.tasksFailed).toBe(failedBefore);
    expect(metrics.tasksCancelled).toBeGreaterThanOrEqual(1);
  });
});
