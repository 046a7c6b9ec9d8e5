// The multi-level cache: hit latency of L1 (memory), L2 on disk (plain and sealed) and L2 in Redis
// (plain and sealed), each beside recomputing — a real workspace search (LanceDB BM25 over CUAD
// contracts from ../shared/data/cuad_train), a real embedding (ONNX model2vec) and a real contract
// review — and what L1 costs in memory. Run from packages/workspace:
//   nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/cache.ts [contracts=40] [--tiers]
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defaultBearConfig, DiskCacheStore, float32Codec, silentLogger, TieredCache, type BearConfig, type CacheSealer, type CacheStore } from "@bear/core";
import { CachedEmbedder, OnnxEmbedder } from "@bear/rag";
import { EnvelopeCipher, KeyEncryptionKey } from "@bear/security";
import { openWorkspace, WorkspaceFolder, type Workspace } from "@bear/workspace";
import { envelopeSealer } from "../src/cache/workspace-cache";
import { RedisCacheStore } from "../src/cache/redis-cache-store";
import { startRedis } from "../test/support/redis-server";

const shared = path.resolve(import.meta.dirname, "../../../../shared");
/** `--tiers`: the cache alone (L1 and every L2 hit), as @bear/cluster's bench/scale-out.ts prints it. */
const TIERS_ONLY = process.argv.includes("--tiers");
const CONTRACTS = Number(process.argv.slice(2).find((a) => /^[0-9]+$/.test(a)) ?? 40);
const ROUNDS = 2000;
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;
const us = (ms: number) => `${(ms * 1000).toFixed(1).padStart(8)} µs`;
const msf = (ms: number) => `${ms.toFixed(2).padStart(8)} ms`;
function line(label: string, times: number[], unit: (n: number) => string = us): { p50: number } {
  console.log(`${label.padEnd(34)} p50 ${unit(pct(times, 50))}  p95 ${unit(pct(times, 95))}  p99 ${unit(pct(times, 99))}  (${times.length} calls)`);
  return { p50: pct(times, 50) };
}
async function timed(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return times;
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bear-bench-cache-"));
const secret = randomBytes(32);
const kek = KeyEncryptionKey.fromBytes(randomBytes(32));
const sealer: CacheSealer = envelopeSealer(new EnvelopeCipher(kek));

if (!TIERS_ONLY) {
  // --- 1. a real workspace over CUAD contracts: search and review, uncached / miss / L1 / L2 -----------
  const files = fs.readdirSync(path.join(shared, "data/cuad_train/full_contract_txt")).sort().slice(0, CONTRACTS);
  const queries = fs
    .readFileSync(path.join(shared, "data/cuad_train/category_descriptions.csv"), "utf8")
    .split("\n")
    .slice(1)
    .map((l) => /^Category: ([^,]+),Description: ([^,]+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]} ${m[2]}`.slice(0, 200));
  const dir = path.join(tmp, "ws");
  const config = (enabled: boolean): BearConfig => {
    const base = defaultBearConfig(dir);
    return { ...base, log: { level: "error" }, cache: { ...base.cache, enabled } };
  };
  await WorkspaceFolder.at(dir).create();
  const t0 = performance.now();
  {
    const ws = await openWorkspace({ config: config(true) });
    const rag = await ws.rag();
    fs.mkdirSync(path.join(dir, "uploads", "cuad"), { recursive: true });
    for (const f of files) fs.copyFileSync(path.join(shared, "data/cuad_train/full_contract_txt", f), path.join(dir, "uploads", "cuad", f));
    await rag.ingest([path.join(dir, "uploads", "cuad")], { matter: "cuad" });
    await ws.clearCache("bench");
    await ws.dispose();
  }
  console.log(`node ${process.version}; ${files.length} CUAD contracts ingested (lexical index) in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${queries.length} queries from the CUAD category descriptions`);
  const search = (ws: Workspace) => (i: number) => ws.search(queries[i % queries.length]!, { k: 8 }, "bench");
  const contract = fs.readFileSync(path.join(shared, "data/cuad_train/full_contract_txt", files[0]!), "utf8");
  const review = (ws: Workspace) => () => ws.review(contract, { actor: "bench", resource: "bench" });
  {
    const ws = await openWorkspace({ config: config(false) });
    await search(ws)(0);
    const base = line("search, no cache (recompute)", await timed(queries.length, search(ws)), msf);
    const rev = line("review, no cache (recompute)", await timed(5, review(ws)), msf);
    await ws.dispose();
    const cached = await openWorkspace({ config: config(true) });
    const miss = line("search, cache miss (compute+store)", await timed(queries.length, search(cached)), msf);
    const hit = line("search, L1 hit", await timed(queries.length * 10, search(cached)), msf);
    await review(cached)();
    const revHit = line("review, L1 hit", await timed(50, review(cached)), msf);
    const stats = await cached.cacheStats();
    await cached.dispose();
    const reopened = await openWorkspace({ config: config(true) });
    const l2 = line("search, L2 hit (disk, new process)", await timed(queries.length, search(reopened)), msf);
    await reopened.dispose();
    console.log(`  search: L1 hit ${(base.p50 / hit.p50).toFixed(0)}x faster than recomputing, L2 ${(base.p50 / l2.p50).toFixed(1)}x; a miss costs ${(miss.p50 - base.p50).toFixed(2)} ms over no cache (p50)`);
    console.log(`  review: L1 hit ${(rev.p50 / revHit.p50).toFixed(0)}x faster; search entries hold ${(stats.l1.bytes / Math.max(1, stats.l1.entries) / 1024).toFixed(1)} KB each on average`);
  }

  // --- 2. embeddings: the ONNX model beside the cache ----------------------------------------------------
  {
    const embedder = await OnnxEmbedder.load({ modelDir: path.join(shared, "models/model2vec-vq128-bge-base/onnx") });
    const chunks = contract.match(/[^.]{40,400}\./g)!.slice(0, 200);
    const cache = new TieredCache({ secret, maxMemoryBytes: 64 << 20 });
    const cached = new CachedEmbedder(embedder, cache);
    const model = line("embed 1 chunk, model (recompute)", await timed(chunks.length, (i) => embedder.embed([chunks[i]!])), msf);
    await cached.embed(chunks);
    const hit = line("embed 1 chunk, L1 hit", await timed(chunks.length * 10, (i) => cached.embed([chunks[i % chunks.length]!])), msf);
    console.log(`  embedding: L1 hit ${(model.p50 / hit.p50).toFixed(0)}x faster than the model (${embedder.dimensions} dims)`);
    await embedder.dispose();
  }
}

// --- 3. the cache alone: L1 and every L2, on a search-sized JSON value and a vector ---------------------
const hitsValue = Array.from({ length: 8 }, (_, i) => ({ chunkId: `c${i}`, documentId: "d".repeat(24), text: "The Supplier shall indemnify the Customer. ".repeat(14), score: 1 / (i + 1), start: i * 600, end: i * 600 + 600 }));
const vector = new Float32Array(256).map((_, i) => Math.sin(i));
const redis = await startRedis();
const stores: [string, () => CacheStore, CacheSealer | undefined][] = [
  ["disk", () => new DiskCacheStore({ dir: path.join(tmp, "l2-plain"), maxBytes: 256 << 20 }), undefined],
  ["disk, sealed", () => new DiskCacheStore({ dir: path.join(tmp, "l2-sealed"), maxBytes: 256 << 20 }), sealer],
  ["redis", () => new RedisCacheStore({ url: redis.url, namespace: "benchplain", logger: silentLogger }), undefined],
  ["redis, sealed", () => new RedisCacheStore({ url: redis.url, namespace: "benchsealed", logger: silentLogger }), sealer],
];
{
  const l1 = new TieredCache({ secret, maxMemoryBytes: 64 << 20 });
  const keys = Array.from({ length: 500 }, (_, i) => ({ kind: "search" as const, parts: [`query ${i}`, { k: 8 }, "12.40"] }));
  for (const k of keys) await l1.getOrCompute(k, async () => hitsValue);
  line(`L1 hit, search hits (${(JSON.stringify(hitsValue).length / 1024).toFixed(1)} KB JSON)`, await timed(ROUNDS, (i) => l1.getOrCompute(keys[i % keys.length]!, async () => hitsValue)));
  const vkeys = keys.map((k) => ({ kind: "embedding" as const, parts: k.parts }));
  for (const k of vkeys) await l1.getOrCompute(k, async () => vector, { codec: float32Codec });
  line("L1 hit, vector (1 KB)", await timed(ROUNDS, (i) => l1.getOrCompute(vkeys[i % vkeys.length]!, async () => vector, { codec: float32Codec })));
  for (const [name, store, seal] of stores) {
    // L1 of 0 bytes: every read goes to L2.
    const cache = new TieredCache({ secret, maxMemoryBytes: 0, store: store(), ...(seal ? { sealer: seal } : {}) });
    for (const k of keys) await cache.getOrCompute(k, async () => hitsValue);
    const times = await timed(ROUNDS / 4, (i) => cache.getOrCompute(keys[i % keys.length]!, async () => hitsValue));
    const s = await cache.stats();
    if (s.kinds.search.l2Hits < ROUNDS / 4) throw new Error(`${name}: only ${s.kinds.search.l2Hits} L2 hits`);
    line(`L2 hit, search hits, ${name}`, times);
    await cache.dispose();
  }
}
await redis.stop();

if (!TIERS_ONLY) {
  // --- 4. memory: what L1 holds against what the heap grows by --------------------------------------------
  {
    global.gc?.();
    const before = process.memoryUsage();
    const cache = new TieredCache({ secret, maxMemoryBytes: 64 << 20 });
    for (let i = 0; i < 5000; i++) await cache.getOrCompute({ kind: "search", parts: [`q${i}`] }, async () => hitsValue);
    global.gc?.();
    const after = process.memoryUsage();
    const s = await cache.stats();
    console.log(
      `memory: 5000 search entries, L1 counts ${(s.l1.bytes / 1e6).toFixed(1)} MB (cap ${(s.l1.maxBytes / 1e6).toFixed(0)} MB); heap +${((after.heapUsed - before.heapUsed) / 1e6).toFixed(1)} MB, array buffers +${((after.arrayBuffers - before.arrayBuffers) / 1e6).toFixed(1)} MB; RSS ${(after.rss / 1e6).toFixed(0)} MB${global.gc ? "" : " (run with --expose-gc for exact deltas)"}`,
    );
  }
}
kek.dispose();
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0);
