import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type Llama, getLlama } from "node-llama-cpp";
import { lastValueFrom, toArray } from "rxjs";
import { GenerationError, InsufficientMemoryError, LlamaCppLlm, ModelKindError, ModelManager, type ModelEvent } from "../src/index";

const models = path.resolve(import.meta.dirname, "../../../../shared/models");
const STORY = "Once upon a time";
// One registry file for every manager here, so later scans reuse the parsed headers.
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-gen-"));
const registryFile = path.join(stateDir, "models.json");

let llama: Llama;
let manager: ModelManager;
const events: ModelEvent[] = [];

beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: "never", progressLogs: false, logLevel: "error" as never });
  manager = await ModelManager.open({ modelDirs: [models], registryFile, threads: 1 }, { llama });
  manager.onDidRecordMetric.subscribe((e) => events.push(e));
});
afterAll(async () => {
  await manager?.dispose();
  await llama?.dispose();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

describe("generation through the manager (stories260K)", () => {
  it("continues a story prompt deterministically at temperature 0", async () => {
    const result = await manager.generate("stories260K", { prompt: STORY, maxTokens: 20, temperature: 0 });
    expect(result.text).toContain("there was a little girl named Lily");
    expect(result).toMatchObject({ tokensUsed: 20, finishReason: "length" });
    expect(result.promptTokens).toBeGreaterThan(2);
    expect(result.tokensPerSecond).toBeGreaterThan(0);
    expect(result.generationTime).toBeGreaterThan(0);
  });

  it("stops at a stop sequence and reports finishReason 'stop'", async () => {
    const result = await manager.generate("stories260K", { prompt: STORY, maxTokens: 60, stop: ["Lily"] });
    expect(result.finishReason).toBe("stop");
    expect(result.text).toBe(", there was a little girl named");
  });

  it("samples reproducibly with a seed", async () => {
    const request = { prompt: STORY, maxTokens: 30, temperature: 0.9, topK: 40, topP: 0.95 };
    const a = await manager.generate("stories260K", { ...request, seed: 7 });
    const b = await manager.generate("stories260K", { ...request, seed: 7 });
    const c = await Promise.all([1, 2, 3].map((seed) => manager.generate("stories260K", { ...request, seed })));
    expect(b.text).toBe(a.text);
    expect(new Set([a.text, ...c.map((r) => r.text)]).size).toBeGreaterThan(1);
  });

  it("renders chat messages with the model's chat wrapper", async () => {
    const result = await manager.generate("stories260K", {
      messages: [
        { role: "system", content: "You tell stories." },
        { role: "user", content: "Tell me a story" },
      ],
      maxTokens: 12,
    });
    const rawTokens = await manager.countTokens("stories260K", "You tell stories.Tell me a story");
    expect(result.promptTokens).toBeGreaterThan(rawTokens);
    expect(result.tokensUsed).toBeGreaterThan(0);
  });

  it("constrains output to a JSON schema through the grammar", async () => {
    const schema = { type: "object", properties: { answer: { enum: ["yes", "no"] }, count: { type: "integer" } }, required: ["answer", "count"] };
    const result = await manager.generate("stories260K", { prompt: "Reply in JSON:", maxTokens: 60, jsonSchema: schema });
    const parsed = JSON.parse(result.text) as { answer: string; count: number };
    expect(["yes", "no"]).toContain(parsed.answer);
    expect(Number.isInteger(parsed.count)).toBe(true);
  });

  it("streams pieces as an async iterable whose return value is the whole result", async () => {
    const stream = manager.stream("stories260K", { prompt: STORY, maxTokens: 20 });
    const pieces: string[] = [];
    let next = await stream.next();
    while (!next.done) {
      pieces.push(next.value.text);
      next = await stream.next();
    }
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join("")).toBe(next.value.text);
    expect(next.value.text).toContain("little girl named Lily");
  });

  it("streams as an rxjs Observable: chunks, then the result", async () => {
    const all = await lastValueFrom(manager.observe("stories260K", { prompt: STORY, maxTokens: 10 }).pipe(toArray()));
    const last = all.at(-1);
    expect(last?.type).toBe("result");
    const text = all.flatMap((e) => (e.type === "chunk" ? [e.text] : [])).join("");
    expect(last?.type === "result" && last.result.text).toBe(text);
  });

  it("stops promptly when the AbortSignal fires mid-generation", async () => {
    const controller = new AbortController();
    const started = performance.now();
    let chunks = 0;
    const result = await manager.generate("stories260K", { prompt: STORY, maxTokens: 1500, signal: controller.signal }, () => {
      if (++chunks === 3) controller.abort();
    });
    expect(result.finishReason).toBe("abort");
    expect(result.tokensUsed).toBeLessThan(50);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("breaking out of a stream aborts the generation and frees the model", async () => {
    let pieces = 0;
    for await (const _piece of manager.stream("stories260K", { prompt: STORY, maxTokens: 1500 })) {
      if (++pieces === 2) break;
    }
    const after = await manager.generate("stories260K", { prompt: STORY, maxTokens: 5 });
    expect(after.finishReason).toBe("length");
  });

  it("returns an 'abort' result at once for an already aborted signal", async () => {
    const result = await manager.generate("stories260K", { prompt: STORY, signal: AbortSignal.abort() });
    expect(result).toMatchObject({ finishReason: "abort", tokensUsed: 0, text: "" });
  });

  it("serves 8 concurrent callers in FIFO order without cross-talk", async () => {
    const solo = await manager.generate("stories260K", { prompt: STORY, maxTokens: 24 });
    const before = events.length;
    const results = await Promise.all(Array.from({ length: 8 }, () => manager.generate("stories260K", { prompt: STORY, maxTokens: 24 })));
    expect(results.map((r) => r.text)).toEqual(Array(8).fill(solo.text));
    const done = events.slice(before).filter((e): e is Extract<ModelEvent, { type: "generation.completed" }> => e.type === "generation.completed");
    expect(done).toHaveLength(8);
    // With 2 slots, the later callers waited in the queue.
    expect(Math.max(...done.map((e) => e.queueWaitMs))).toBeGreaterThan(0);
  });

  it("validates requests at the boundary", async () => {
    await expect(manager.generate("stories260K", { prompt: STORY, messages: [{ role: "user", content: "x" }] })).rejects.toThrow(/exactly one of prompt and messages/);
    await expect(manager.generate("stories260K", { prompt: STORY, temperature: -1 })).rejects.toThrow(/temperature/);
    await expect(manager.generate("stories260K", { prompt: STORY, maxTokens: 0 })).rejects.toThrow(/maxTokens/);
  });

  it("refuses to generate with an embedding model", async () => {
    await expect(manager.generate("model2vec-vq128-bge-base", { prompt: STORY })).rejects.toBeInstanceOf(ModelKindError);
  });

  it("keeps per-model metrics as a snapshot", () => {
    const snapshot = manager.metrics.snapshot().find((s) => s.modelId === "stories260K");
    expect(snapshot?.loads).toBe(1);
    expect(snapshot?.generations).toBeGreaterThan(10);
    expect(snapshot?.generationTokensPerSecond).toBeGreaterThan(0);
    expect(snapshot?.promptTokensPerSecond).toBeGreaterThan(0);
    expect(snapshot?.lastLoadMs).toBeGreaterThan(0);
    const history = manager.registry.get("stories260K").performance;
    expect(history.map((p) => p.kind)).toEqual(expect.arrayContaining(["load", "generate"]));
    expect(history.find((p) => p.kind === "generate")).toMatchObject({ threads: 1, contextSize: 2048 });
  });
});

describe("LlamaCppLlm (core Llm) on llama-2-tiny-random", () => {
  it("counts tokens with the 32k Llama-2 vocabulary and reports the context size", async () => {
    const llm = new LlamaCppLlm(manager, "llama-2-tiny-random");
    expect(llm.contextSize).toBe(4096);
    expect(await llm.countTokens("Hello world")).toBe(2);
    const result = await llm.generate({ prompt: STORY, maxTokens: 8 });
    expect(result.tokensUsed).toBe(8);
    const pieces: string[] = [];
    for await (const chunk of llm.stream({ prompt: STORY, maxTokens: 8 })) pieces.push(chunk.text);
    expect(pieces.join("")).toBe(result.text);
  });

  it("rejects a prompt longer than the context with the token counts", async () => {
    await manager.unload("llama-2-tiny-random");
    await manager.load("llama-2-tiny-random", { contextSize: 256 });
    const error = await manager.generate("llama-2-tiny-random", { prompt: "word ".repeat(400) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenerationError);
    expect((error as Error).message).toMatch(/the prompt has 40\d tokens but the context holds 256/);
    await manager.unload("llama-2-tiny-random");
  });
});

describe("loading within a memory budget", () => {
  it("evicts the least recently used model to switch to another by id", async () => {
    const small = new ModelManager({ modelDirs: [models], registryFile, maxLoadedModels: 1, threads: 1 }, { llama });
    const seen: ModelEvent[] = [];
    small.onDidRecordMetric.subscribe((e) => seen.push(e));
    try {
      await small.generate("stories260K", { prompt: STORY, maxTokens: 4 });
      await small.generate("llama-2-tiny-random", { prompt: STORY, maxTokens: 4 });
      expect(small.loaded().map((m) => m.modelId)).toEqual(["llama-2-tiny-random"]);
      expect(seen).toContainEqual(expect.objectContaining({ type: "model.unloaded", modelId: "stories260K", reason: "evicted" }));
      expect(small.registry.get("stories260K").status).toBe("available");
      expect(small.registry.get("llama-2-tiny-random").status).toBe("loaded");
      const again = await small.generate("stories260K", { prompt: STORY, maxTokens: 20 });
      expect(again.text).toContain("little girl named Lily");
    } finally {
      await small.dispose();
    }
  });

  it("unloads an idle model to fit a new one into the memory budget", async () => {
    const probe = new ModelManager({ modelDirs: [models], registryFile, threads: 1 }, { llama });
    const a = await probe.load("stories260K");
    const b = await probe.load("llama-2-tiny-random");
    await probe.dispose();
    const budgetMb = Math.ceil((Math.max(a.memoryBytes, b.memoryBytes) * 1.2) / 1024 / 1024);
    const tight = new ModelManager({ modelDirs: [models], registryFile, memoryBudgetMb: budgetMb, threads: 1 }, { llama });
    try {
      await tight.load("stories260K");
      const loaded = await tight.load("llama-2-tiny-random");
      expect(loaded.contextSize).toBe(b.contextSize);
      expect(tight.loaded().map((m) => m.modelId)).toEqual(["llama-2-tiny-random"]);
    } finally {
      await tight.dispose();
    }
  });

  it("refuses a model that does not fit, saying what it needs and what is free", async () => {
    const tiny = new ModelManager({ modelDirs: [models], registryFile, memoryBudgetMb: 1, threads: 1 }, { llama });
    try {
      const error = await tiny.load("stories260K").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InsufficientMemoryError);
      expect((error as Error).message).toMatch(/model 'stories260K' needs 1\.1 MB but only 1\.0 MB of the memory budget is free/);
      expect(tiny.registry.get("stories260K").status).toBe("available");
      expect(tiny.loaded()).toEqual([]);
    } finally {
      await tiny.dispose();
    }
  });

  it("shrinks the context to fit the budget before refusing", async () => {
    const tight = new ModelManager({ modelDirs: [models], registryFile, memoryBudgetMb: 24, threads: 1 }, { llama });
    try {
      const loaded = await tight.load("stories260K");
      expect(loaded.contextSize).toBeLessThan(2048);
      expect(loaded.memoryBytes).toBeLessThanOrEqual(24 * 1024 * 1024);
      const result = await tight.generate("stories260K", { prompt: STORY, maxTokens: 10 });
      expect(result.text).toContain("there was a little girl");
    } finally {
      await tight.dispose();
    }
  });
});
