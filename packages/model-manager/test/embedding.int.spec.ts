import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type Llama, getLlama } from "node-llama-cpp";
import { EmbeddingError, LlamaCppEmbedder, ModelKindError, ModelManager, OnnxSessionPool, OnnxSessionError } from "../src/index";

const models = path.resolve(import.meta.dirname, "../../../../shared/models");
const m2v = path.join(models, "model2vec-vq128-bge-base");
const triplets = JSON.parse(fs.readFileSync(path.join(m2v, "sanity-triplets.json"), "utf8")) as Array<{ anchor: string; paraphrase: string; unrelated: string }>;
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] as number), 0);

let llama: Llama;
let manager: ModelManager;

beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: "never", progressLogs: false, logLevel: "error" as never });
  manager = await ModelManager.open({ modelDirs: [m2v, path.join(models, "stories260K")], threads: 1 }, { llama });
});
afterAll(async () => {
  await manager?.dispose();
  await llama?.dispose();
});

describe("LlamaCppEmbedder (core Embedder) on model2vec-vq128-bge-base.gguf", () => {
  it("returns L2-normalised 128-d vectors and knows its size before loading", async () => {
    const embedder = new LlamaCppEmbedder(manager, "model2vec-vq128-bge-base");
    expect(embedder.dimensions).toBe(128);
    expect(embedder.id).toBe("llama-cpp:model2vec-vq128-bge-base");
    const [v] = await embedder.embed(["The tenant must pay rent on the first day of each month."]);
    expect(v).toHaveLength(128);
    expect(Math.abs(dot(v as Float32Array, v as Float32Array) - 1)).toBeLessThan(1e-5);
    expect(await embedder.embed([])).toEqual([]);
  });

  it("ranks the paraphrase above the unrelated sentence in at least 11 of the 12 sanity triplets", async () => {
    const embedder = new LlamaCppEmbedder(manager, "model2vec-vq128-bge-base");
    const vectors = await embedder.embed(triplets.flatMap((t) => [t.anchor, t.paraphrase, t.unrelated]));
    let wins = 0;
    for (let i = 0; i < triplets.length; i++) {
      const [a, p, u] = vectors.slice(i * 3, i * 3 + 3) as [Float32Array, Float32Array, Float32Array];
      if (dot(a, p) > dot(a, u)) wins++;
    }
    expect(wins).toBeGreaterThanOrEqual(11);
    expect(dot(vectors[0] as Float32Array, vectors[1] as Float32Array)).toBeCloseTo(0.8054, 3);
  });

  it("embeds the same text to the same vector, also from concurrent callers", async () => {
    const embedder = new LlamaCppEmbedder(manager, "model2vec-vq128-bge-base");
    const texts = triplets.slice(0, 4).map((t) => t.anchor);
    const runs = await Promise.all([embedder.embed(texts), embedder.embed(texts), embedder.embed(texts)]);
    for (const run of runs.slice(1)) run.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(runs[0]?.[i] as Float32Array)));
  });

  it("truncates a text longer than the context instead of failing", async () => {
    const embedder = new LlamaCppEmbedder(manager, "model2vec-vq128-bge-base");
    const [v] = await embedder.embed(["rent ".repeat(2000)]);
    expect(v).toHaveLength(128);
  });

  it("refuses to embed with a causal model", async () => {
    await expect(new LlamaCppEmbedder(manager, "stories260K").embed(["x"])).rejects.toBeInstanceOf(ModelKindError);
  });

  it("honours an aborted signal", async () => {
    const embedder = new LlamaCppEmbedder(manager, "model2vec-vq128-bge-base");
    await expect(embedder.embed(["x"], { signal: AbortSignal.abort() })).rejects.not.toBeInstanceOf(EmbeddingError);
  });
});

describe("OnnxSessionPool", () => {
  const onnxFile = path.join(m2v, "onnx/model.onnx");

  it("caches one session per model file and runs it with plain feeds", async () => {
    const pool = new OnnxSessionPool({ maxSessions: 2, intraOpNumThreads: 1 });
    try {
      const a = await pool.session(onnxFile);
      const b = await pool.session(onnxFile);
      expect(a).toBe(b);
      expect(pool.size).toBe(1);
      // [CLS] x y [SEP] with made-up ids inside the vocab
      const ids = BigInt64Array.from([29525n, 1000n, 2000n, 29526n]);
      const out = await pool.run(onnxFile, {
        input_ids: { type: "int64", data: ids, dims: [1, 4] },
        attention_mask: { type: "int64", data: BigInt64Array.from([1n, 1n, 1n, 1n]), dims: [1, 4] },
        token_type_ids: { type: "int64", data: new BigInt64Array(4), dims: [1, 4] },
      });
      expect(out.sentence_embedding?.dims).toEqual([1, 64]);
      const v = out.sentence_embedding?.data as Float32Array;
      expect(Math.abs(dot(v, v) - 1)).toBeLessThan(1e-4);
    } finally {
      await pool.dispose();
    }
  });

  it("releases the least recently used session beyond its limit and reports unreadable files", async () => {
    const pool = new OnnxSessionPool({ maxSessions: 1 });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mm-onnx-"));
    const copy = path.join(tmp, "copy.onnx");
    fs.copyFileSync(onnxFile, copy);
    try {
      const first = await pool.session(onnxFile);
      await pool.session(copy);
      expect(pool.size).toBe(1);
      expect(await pool.session(onnxFile)).not.toBe(first);
      await expect(pool.session(path.join(m2v, "sanity-triplets.json"))).rejects.toBeInstanceOf(OnnxSessionError);
      expect(pool.size).toBe(1);
    } finally {
      await pool.dispose();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    await expect(pool.session(onnxFile)).rejects.toThrow(/disposed/);
  });

  it("is reachable from the manager for classifiers and rerankers", async () => {
    const session = await manager.onnx.session(onnxFile);
    expect(session.inputNames).toContain("input_ids");
  });
});
