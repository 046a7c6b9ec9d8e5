import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ModelFileError, ModelNotFoundError, ModelRegistry, inspectOnnx } from "../src/index";

const shared = path.resolve(import.meta.dirname, "../../../../shared/models");
const STORIES_SHA = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

let dir: string;
let modelDir: string;
let registryFile: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-registry-"));
  modelDir = path.join(dir, "models");
  fs.mkdirSync(path.join(modelDir, "nested"), { recursive: true });
  registryFile = path.join(dir, "state", "models.json");
  const stories = fs.readFileSync(path.join(shared, "stories260K/stories260K.gguf"));
  fs.writeFileSync(path.join(modelDir, "stories260K.gguf"), stories);
  fs.writeFileSync(path.join(modelDir, "truncated.gguf"), stories.subarray(0, stories.length - 1000));
  fs.writeFileSync(path.join(modelDir, "nested", "noise.gguf"), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251)));
  fs.writeFileSync(path.join(modelDir, "broken.onnx"), "this is not protobuf at all, just text");
  fs.copyFileSync(path.join(shared, "model2vec-vq128-bge-base/onnx/model.onnx"), path.join(modelDir, "nested", "embedder.onnx"));
  fs.writeFileSync(path.join(modelDir, "notes.txt"), "ignored");
  // a download's claim on its name where the disk has no hard links: empty until the model is moved over it
  fs.writeFileSync(path.join(modelDir, "being-placed.gguf"), "");
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("ModelRegistry", () => {
  it("names a model by its path under the model dir even when that dir is reached through a symlink", async () => {
    const real = path.join(dir, "real-models");
    fs.mkdirSync(path.join(real, "bge"), { recursive: true });
    fs.copyFileSync(path.join(shared, "model2vec-vq128-bge-base/onnx/model.onnx"), path.join(real, "bge", "model.onnx"));
    const link = path.join(dir, "linked-models");
    fs.symlinkSync(real, link);
    const report = await new ModelRegistry().scan([link]);
    expect(report.models.map((m) => m.id)).toEqual(["bge/model"]);
  });

  it("scans the shared fixtures: two causal GGUFs, one embedding GGUF and one ONNX model", async () => {
    const registry = new ModelRegistry();
    const report = await registry.scan([shared]);
    expect(report.errors).toEqual([]);
    const byId = Object.fromEntries(report.models.map((m) => [m.id, m]));
    expect(byId["stories260K"]?.info).toMatchObject({ kind: "causal", architecture: "llama", contextLength: 2048 });
    expect(byId["llama-2-tiny-random"]?.info).toMatchObject({ kind: "causal", vocabularySize: 32000, contextLength: 4096, quantization: "MOSTLY_F16" });
    expect(byId["model2vec-vq128-bge-base"]?.info).toMatchObject({ kind: "embedding", embeddingLength: 128 });
    expect(byId["model2vec-vq128-bge-base/onnx/model"]?.info).toMatchObject({ format: "onnx", kind: "onnx" });
    expect(report.models.every((m) => m.status === "available")).toBe(true);
  });

  it("reports each corrupt or truncated file with its name and problem, and still registers the good ones", async () => {
    const registry = new ModelRegistry({ registryFile });
    const report = await registry.scan([modelDir]);
    const messages = report.errors.map((e) => e.message).sort();
    expect(report.errors.every((e) => e instanceof ModelFileError)).toBe(true);
    expect(messages).toHaveLength(3);
    expect(messages.find((m) => m.includes("truncated.gguf"))).toMatch(/truncated \(read .* of 1\.1 MB/);
    expect(messages.find((m) => m.includes("noise.gguf"))).toMatch(/not a GGUF file/);
    expect(messages.find((m) => m.includes("broken.onnx"))).toMatch(/onnxruntime cannot read it/);
    expect(registry.get("stories260K").status).toBe("available");
    expect(registry.get("truncated").status).toBe("error");
    expect(registry.get("embedder").info).toMatchObject({ format: "onnx" });
    // the empty claim of a placement in progress is neither a model nor an unusable one
    expect(report.models.map((m) => m.fileName)).not.toContain("being-placed.gguf");
  });

  it("persists the registry atomically and reloads it, with runtime states reset", async () => {
    const first = new ModelRegistry({ registryFile });
    await first.scan([modelDir]);
    first.setStatus("stories260K", "loaded");
    await first.recordPerformance("stories260K", { kind: "generate", ms: 12, generationTokensPerSecond: 900 });
    expect(fs.readdirSync(path.dirname(registryFile)).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const second = new ModelRegistry({ registryFile });
    await second.load();
    const record = second.get("stories260K");
    expect(record.status).toBe("available");
    expect(record.performance.at(-1)).toMatchObject({ kind: "generate", generationTokensPerSecond: 900 });
    expect(second.get("truncated").error?.message).toContain("truncated.gguf");
  });

  it("computes sha256 lazily, caches it, and recomputes after the file changes", async () => {
    const registry = new ModelRegistry({ registryFile });
    await registry.scan([modelDir]);
    expect(registry.get("stories260K").sha256).toBeUndefined();
    expect(await registry.sha256("stories260K")).toBe(STORIES_SHA);
    expect(registry.get("stories260K").sha256).toBe(STORIES_SHA);
    const file = path.join(modelDir, "stories260K.gguf");
    const later = new Date(Date.now() + 5000);
    fs.appendFileSync(file, Buffer.alloc(1));
    fs.utimesSync(file, later, later);
    expect(await registry.sha256("stories260K")).not.toBe(STORIES_SHA);
    fs.truncateSync(file, fs.statSync(file).size - 1);
  });

  it("drops records of files that were removed and names unknown ids with the known ones", async () => {
    const registry = new ModelRegistry();
    await registry.scan([modelDir]);
    const moved = path.join(dir, "broken.onnx.bak");
    fs.renameSync(path.join(modelDir, "broken.onnx"), moved);
    const report = await registry.scan([modelDir]);
    fs.renameSync(moved, path.join(modelDir, "broken.onnx"));
    expect(report.removed).toEqual(["broken"]);
    expect(() => registry.get("broken")).toThrow(ModelNotFoundError);
    expect(() => registry.get("broken")).toThrow(/no model with id 'broken'/);
  });

  it("reads the ONNX input and output signature", async () => {
    const info = await inspectOnnx(path.join(shared, "model2vec-vq128-bge-base/onnx/model.onnx"));
    expect(info.inputs.map((i) => i.name)).toEqual(["input_ids", "attention_mask", "token_type_ids"]);
    expect(info.inputs[0]?.type).toBe("int64");
    expect(info.outputs.map((o) => o.name)).toEqual(["last_hidden_state", "sentence_embedding"]);
    expect(info.outputs[1]?.shape?.[1]).toBe(64);
  });
});
