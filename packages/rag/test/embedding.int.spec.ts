import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import { DiskCacheStore, TieredCache, type Embedder } from "@bear/core";
import { CachedEmbedder } from "../src/embedding/cached-embedder";
import { OnnxEmbedder } from "../src/embedding/onnx-embedder";
import { tempDir } from "./support/temp-dir";

const shared = path.resolve(import.meta.dirname, "../../../../shared");
const modelDir = path.join(shared, "models/model2vec-vq128-bge-base/onnx");
const triplets = JSON.parse(fs.readFileSync(path.join(shared, "models/model2vec-vq128-bge-base/sanity-triplets.json"), "utf8")) as unknown;

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

/** Counts calls, to prove the cache answers without the model. */
class CountingEmbedder implements Embedder {
  calls = 0;
  texts = 0;
  constructor(readonly inner: Embedder) {}
  get id(): string {
    return this.inner.id;
  }
  get dimensions(): number {
    return this.inner.dimensions;
  }
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.calls++;
    this.texts += texts.length;
    return this.inner.embed(texts);
  }
}

describe("OnnxEmbedder (real onnxruntime, real model file)", () => {
  let embedder: OnnxEmbedder;
  beforeAll(async () => {
    embedder = await OnnxEmbedder.load({ modelDir, threads: 1 });
  });
  afterAll(async () => embedder.dispose());

  it("produces L2-normalised vectors of the model's size, identical alone and in a batch", async () => {
    expect(embedder.dimensions).toBe(64);
    expect(embedder.id).toMatch(/^onnx:model2vec-vq128-bge-base@[0-9a-f]{12}:model:/);
    const texts = ["The tenant must pay rent on the first day of each month.", "short", "A much longer sentence about the governing law of the State of Delaware and venue."];
    const batch = await embedder.embed(texts);
    for (const [i, v] of batch.entries()) {
      expect(v).toHaveLength(64);
      expect(Math.abs(dot(v, v) - 1)).toBeLessThan(1e-4);
      const [alone] = await embedder.embed([texts[i]!]);
      expect(dot(alone!, v)).toBeGreaterThan(0.9999);
    }
  });

  it("ranks a paraphrase above an unrelated sentence in most sanity triplets", async () => {
    const rows = (Array.isArray(triplets) ? triplets : ((triplets as { triplets?: unknown[] }).triplets ?? [])) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(5);
    let correct = 0;
    for (const row of rows) {
      const [a, p, u] = Object.values(row).filter((x): x is string => typeof x === "string").slice(0, 3);
      const [va, vp, vu] = await embedder.embed([a!, p!, u!]);
      if (dot(va!, vp!) > dot(va!, vu!)) correct++;
    }
    expect(correct / rows.length).toBeGreaterThanOrEqual(0.75);
  });

  it("mean pooling over the token output agrees with the model's own pooled output", async () => {
    const mean = await OnnxEmbedder.load({ modelDir, pooling: "mean" });
    try {
      const text = "Either party may terminate this agreement with thirty days written notice.";
      const [a] = await embedder.embed([text]);
      const [b] = await mean.embed([text]);
      expect(dot(a!, b!)).toBeGreaterThan(0.999);
      expect(mean.id).not.toBe(embedder.id);
    } finally {
      await mean.dispose();
    }
  });

  it("serves repeated texts from the memory and disk cache without calling the model", async () => {
    const dir = tempDir("rag-cache-");
    const secret = randomBytes(32);
    const open = (memory: number) => new TieredCache({ secret, maxMemoryBytes: memory, store: new DiskCacheStore({ dir, maxBytes: 1 << 20 }) });
    const counting = new CountingEmbedder(embedder);
    // L1 room for two vectors: the third pushes the first out to L2 only.
    const cache = open(2 * (200 + 4 * embedder.dimensions));
    const cached = new CachedEmbedder(counting, cache);
    const texts = ["one clause", "two clause", "three clause", "one clause"];
    const first = await cached.embed(texts);
    expect(counting.texts).toBe(3);
    const again = await cached.embed(texts);
    expect(counting.texts).toBe(3);
    again.forEach((v, i) => expect(dot(v, first[i]!)).toBeCloseTo(1, 5));
    expect((await cache.stats()).kinds.embedding).toMatchObject({ misses: 4, l2Hits: expect.any(Number), evictions: expect.any(Number) });
    expect((await cache.stats()).kinds.embedding.evictions).toBeGreaterThan(0);
    await cache.dispose();
    const reopened = open(1 << 20);
    await new CachedEmbedder(counting, reopened).embed(["three clause"]);
    expect(counting.texts).toBe(3);
    expect((await reopened.stats()).l2?.entries).toBe(3);
    await reopened.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
