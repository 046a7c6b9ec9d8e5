import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { ByteLru } from "./byte-lru";
import type { CacheSealer } from "./cache";
import { float32Codec } from "./cache-codecs";
import { DiskCacheStore } from "./disk-cache-store";
import { TieredCache } from "./tiered-cache";

/** AES-256-GCM, as the workspace's envelope cipher does it (nonce | tag | ciphertext). */
function aesSealer(key = randomBytes(32)): CacheSealer {
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    open(sealed) {
      const b = Buffer.from(sealed);
      const d = createDecipheriv("aes-256-gcm", key, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]);
    },
  };
}

const originalFrom = Buffer.from;

describe("TieredCache", () => {
  let dir: string;
  const secret = randomBytes(32);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-tiered-cache-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("computes once, then answers from L1; a second process answers from L2", async () => {
    let computed = 0;
    const compute = async () => ({ hits: [1, 2, 3], computed: ++computed });
    const a = new TieredCache({ secret, maxMemoryBytes: 1 << 20, store: new DiskCacheStore({ dir, maxBytes: 1 << 20 }) });
    const key = { kind: "search" as const, parts: ["termination notice", { k: 8 }, "v12"] };
    expect(await a.getOrCompute(key, compute)).toEqual({ hits: [1, 2, 3], computed: 1 });
    expect(await a.getOrCompute(key, compute)).toEqual({ hits: [1, 2, 3], computed: 1 });
    const b = new TieredCache({ secret, maxMemoryBytes: 1 << 20, store: new DiskCacheStore({ dir, maxBytes: 1 << 20 }) });
    expect(await b.getOrCompute(key, compute)).toEqual({ hits: [1, 2, 3], computed: 1 });
    expect(await b.getOrCompute(key, compute)).toEqual({ hits: [1, 2, 3], computed: 1 });
    expect(computed).toBe(1);
    expect((await a.stats()).kinds.search).toMatchObject({ l1Hits: 1, l2Hits: 0, misses: 1, sets: 1 });
    expect((await b.stats()).kinds.search).toMatchObject({ l1Hits: 1, l2Hits: 1, misses: 0 });
    await a.dispose();
    await b.dispose();
  });

  it("treats an entry past its kind's time to live as a miss, in L1 and in L2", async () => {
    let now = 1_000_000;
    const clock = () => now;
    const store = new DiskCacheStore({ dir, maxBytes: 1 << 20, now: clock });
    const cache = new TieredCache({ secret, maxMemoryBytes: 1 << 20, store, ttlMs: { search: 1000 }, now: clock });
    let computed = 0;
    const key = { kind: "search" as const, parts: ["q"] };
    await cache.getOrCompute(key, async () => ++computed);
    now += 999;
    expect(await cache.getOrCompute(key, async () => ++computed)).toBe(1);
    now += 1;
    expect(await cache.getOrCompute(key, async () => ++computed)).toBe(2);
    expect((await cache.stats()).kinds.search).toMatchObject({ expired: 1, misses: 2 });
    // Another process (empty L1) sees the L2 copy expire at the same time.
    const other = new TieredCache({ secret, maxMemoryBytes: 1 << 20, store: new DiskCacheStore({ dir, maxBytes: 1 << 20, now: clock }), ttlMs: { search: 1000 }, now: clock });
    now += 1000;
    expect(await other.getOrCompute(key, async () => ++computed)).toBe(3);
    await cache.dispose();
    await other.dispose();
  });

  it("evicts from L1 past its byte cap and counts it; L2 still has the value", async () => {
    const cache = new TieredCache({ secret, maxMemoryBytes: 3 * ByteLru.sizeOf(`embedding/${"0".repeat(64)}`, new Uint8Array(4 * 256)), store: new DiskCacheStore({ dir, maxBytes: 1 << 20 }) });
    const vector = (i: number) => new Float32Array(256).fill(i);
    for (let i = 0; i < 10; i++) await cache.getOrCompute({ kind: "embedding", parts: ["m", `text ${i}`] }, async () => vector(i), { codec: float32Codec });
    const stats = await cache.stats();
    expect(stats.l1.entries).toBe(3);
    expect(stats.l1.bytes).toBeLessThanOrEqual(stats.l1.maxBytes);
    expect(stats.kinds.embedding.evictions).toBe(7);
    const again = await cache.getOrCompute({ kind: "embedding", parts: ["m", "text 0"] }, async () => new Float32Array(1), { codec: float32Codec });
    expect(again).toEqual(vector(0));
    expect((await cache.stats()).kinds.embedding.l2Hits).toBe(1);
    await cache.dispose();
  });

  it("hands out a fresh copy on each hit, so a caller cannot change what the next one gets", async () => {
    const cache = new TieredCache({ secret, maxMemoryBytes: 1 << 20 });
    const key = { kind: "review" as const, parts: ["doc"] };
    await cache.getOrCompute(key, async () => ({ risks: ["a"] }));
    const first = await cache.getOrCompute(key, async () => ({ risks: [] as string[] }));
    first.risks.push("changed");
    expect(await cache.getOrCompute(key, async () => ({ risks: [] as string[] }))).toEqual({ risks: ["a"] });
  });

  it("runs one computation for concurrent callers of one key", async () => {
    const cache = new TieredCache({ secret, maxMemoryBytes: 1 << 20 });
    let computed = 0;
    const slow = async () => {
      computed++;
      await new Promise((r) => setTimeout(r, 20));
      return "answer";
    };
    const key = { kind: "generation" as const, parts: ["p"] };
    expect(await Promise.all([cache.getOrCompute(key, slow), cache.getOrCompute(key, slow), cache.getOrCompute(key, slow)])).toEqual(["answer", "answer", "answer"]);
    expect(computed).toBe(1);
  });

  it("keeps memory-only kinds out of L2: a generation is served from L1 and never reaches the store", async () => {
    const cache = new TieredCache({ secret, maxMemoryBytes: 1 << 20, store: new DiskCacheStore({ dir, maxBytes: 1 << 20 }), memoryOnlyKinds: ["generation"] });
    const key = { kind: "generation" as const, parts: ["summarise the lease"] };
    expect(await cache.getOrCompute(key, async () => "The tenant shall pay rent")).toBe("The tenant shall pay rent");
    expect(await cache.getOrCompute(key, async () => "recomputed")).toBe("The tenant shall pay rent");
    await cache.getOrCompute({ kind: "search", parts: ["rent"] }, async () => ({ hits: 1 }));
    expect(fs.existsSync(path.join(dir, "generation")) ? fs.readdirSync(path.join(dir, "generation")) : []).toEqual([]);
    expect(fs.readdirSync(path.join(dir, "search")).length).toBeGreaterThan(0);
    // a second process (a fresh L1) computes the generation again; the search comes from L2
    const next = new TieredCache({ secret, maxMemoryBytes: 1 << 20, store: new DiskCacheStore({ dir, maxBytes: 1 << 20 }), memoryOnlyKinds: ["generation"] });
    expect(await next.getOrCompute(key, async () => "recomputed")).toBe("recomputed");
    expect(await next.getOrCompute({ kind: "search", parts: ["rent"] }, async () => ({ hits: 0 }))).toEqual({ hits: 1 });
    await cache.dispose();
    await next.dispose();
  });

  it("seals L2 values: the files hold neither the value nor the key's text, and another key finds nothing", async () => {
    const sealer = aesSealer();
    const cache = new TieredCache({ secret, maxMemoryBytes: 1 << 20, store: new DiskCacheStore({ dir, maxBytes: 1 << 20 }), sealer });
    await cache.getOrCompute({ kind: "search", parts: ["indemnification cap Acme"] }, async () => ({ text: "Acme shall indemnify Beta up to USD 5,000,000" }));
    const files = fs.readdirSync(path.join(dir, "search")).map((f) => fs.readFileSync(path.join(dir, "search", f)));
    expect(files.length).toBe(2);
    for (const bytes of files) {
      expect(bytes.includes("indemnify")).toBe(false);
      expect(bytes.includes("Acme")).toBe(false);
      expect(bytes.includes("indemnification")).toBe(false);
    }
    const wrongKey = new TieredCache({ secret, maxMemoryBytes: 1 << 20, store: new DiskCacheStore({ dir, maxBytes: 1 << 20 }), sealer: aesSealer() });
    expect(await wrongKey.getOrCompute({ kind: "search", parts: ["indemnification cap Acme"] }, async () => ({ text: "recomputed" }))).toEqual({ text: "recomputed" });
    const otherSecret = new TieredCache({ secret: randomBytes(32), maxMemoryBytes: 1 << 20, store: new DiskCacheStore({ dir, maxBytes: 1 << 20 }), sealer });
    expect(await otherSecret.getOrCompute({ kind: "search", parts: ["indemnification cap Acme"] }, async () => ({ text: "recomputed" }))).toEqual({ text: "recomputed" });
    await cache.dispose();
    await wrongKey.dispose();
    await otherSecret.dispose();
  });

  it("dispose zeroes its copy of the key secret and disposes the sealer; a value computed meanwhile is sealed nowhere", async () => {
    const copies: Buffer[] = [];
    const from = jest.spyOn(Buffer, "from").mockImplementation(function (this: typeof Buffer, ...args: unknown[]) {
      const made = (originalFrom as (...a: unknown[]) => Buffer).apply(this, args);
      copies.push(made);
      return made;
    } as never);
    const sealer = { ...aesSealer(), dispose: jest.fn() };
    const seal = jest.spyOn(sealer, "seal");
    let cache: TieredCache;
    try {
      cache = new TieredCache({ secret, maxMemoryBytes: 1 << 20, store: new DiskCacheStore({ dir, maxBytes: 1 << 20 }), sealer });
    } finally {
      from.mockRestore();
    }
    const own = copies.filter((b) => b.equals(secret));
    expect(own).toHaveLength(1); // the cache's own copy (the caller's secret is left to the caller)
    let finish!: (v: { n: number }) => void;
    const late = cache.getOrCompute({ kind: "search", parts: ["late"] }, () => new Promise<{ n: number }>((resolve) => (finish = resolve)));
    await new Promise((r) => setTimeout(r, 20));
    await cache.dispose();
    expect(own[0]!.equals(Buffer.alloc(32))).toBe(true);
    expect(secret.equals(Buffer.alloc(32))).toBe(false);
    expect(sealer.dispose).toHaveBeenCalledTimes(1);
    finish({ n: 1 });
    expect(await late).toEqual({ n: 1 });
    expect(seal).not.toHaveBeenCalled();
    expect(fs.existsSync(path.join(dir, "search")) ? fs.readdirSync(path.join(dir, "search")) : []).toEqual([]);
  });

  it("a clear in one process empties the other's memory too (within the epoch check)", async () => {
    const a = new TieredCache({ secret, maxMemoryBytes: 1 << 20, store: new DiskCacheStore({ dir, maxBytes: 1 << 20, refreshIntervalMs: 0 }), epochCheckMs: 0 });
    const b = new TieredCache({ secret, maxMemoryBytes: 1 << 20, store: new DiskCacheStore({ dir, maxBytes: 1 << 20, refreshIntervalMs: 0 }), epochCheckMs: 0 });
    const key = { kind: "review" as const, parts: ["doc", "playbook"] };
    await a.getOrCompute(key, async () => "old");
    await b.clear();
    expect(await a.getOrCompute(key, async () => "new")).toBe("new");
    await a.dispose();
    await b.dispose();
  });

  it("keeps every process's counts in L2: a new process sees the totals of those that closed", async () => {
    const a = new TieredCache({ secret, maxMemoryBytes: 1 << 20, store: new DiskCacheStore({ dir, maxBytes: 1 << 20 }) });
    const key = { kind: "search" as const, parts: ["q"] };
    await a.getOrCompute(key, async () => 1);
    await a.getOrCompute(key, async () => 1);
    expect((await a.stats()).lifetime?.search).toMatchObject({ l1Hits: 1, misses: 1 });
    await a.dispose();
    const b = new TieredCache({ secret, maxMemoryBytes: 1 << 20, store: new DiskCacheStore({ dir, maxBytes: 1 << 20 }) });
    await b.getOrCompute(key, async () => 2);
    const stats = await b.stats();
    expect(stats.kinds.search).toMatchObject({ l1Hits: 0, l2Hits: 1, misses: 0 });
    expect(stats.lifetime?.search).toMatchObject({ l1Hits: 1, l2Hits: 1, misses: 1, sets: 1 });
    await b.dispose();
    const c = new TieredCache({ secret, maxMemoryBytes: 1 << 20, store: new DiskCacheStore({ dir, maxBytes: 1 << 20 }) });
    expect((await c.stats()).lifetime?.search).toMatchObject({ l1Hits: 1, l2Hits: 1, misses: 1, sets: 1 });
    await c.dispose();
  });

  it("level 1 keeps a value in memory only; level 0 never caches", async () => {
    const cache = new TieredCache({ secret, maxMemoryBytes: 1 << 20, store: new DiskCacheStore({ dir, maxBytes: 1 << 20 }) });
    await cache.getOrCompute({ kind: "search", parts: ["one"] }, async () => 1, { level: 1 });
    expect((await cache.stats()).l2?.entries).toBe(0);
    let computed = 0;
    await cache.getOrCompute({ kind: "search", parts: ["zero"] }, async () => ++computed, { level: 0 });
    await cache.getOrCompute({ kind: "search", parts: ["zero"] }, async () => ++computed, { level: 0 });
    expect(computed).toBe(2);
    await cache.dispose();
  });
});
