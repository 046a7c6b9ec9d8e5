// What the engine's search cache costs per search, memory only (L1) against memory + disk (the default
// of an engine opened without a cache: `engineCache.diskMb` 256 in `<dir>/cache`), on the cache alone:
// a miss (key hash, encode, store: for the disk, two appends) and a hit (key hash, L1 read, decode).
// The value is eight hits of 600 characters, as `search(q, { k: 8 })` returns. CPU per operation,
// `process.cpuUsage`, several rounds (the first warms the JIT).
//
//   cd packages/rag && nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/search-cache.ts [--n=2000] [--rounds=3]
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DiskCacheStore, TieredCache } from "@bear/core";

const arg = (name: string, fallback: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const N = arg("n", 2000);
const rounds = arg("rounds", 3);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rag-bench-search-cache-"));
const hits = Array.from({ length: 8 }, (_, i) => ({
  chunkId: `doc${i}:0123456789abcdef0123:${i}`, documentId: `doc${i}`, matter: "m", source: `/data/room/contract-${i}.txt`, title: "MASTER SERVICES AGREEMENT",
  text: "The Supplier shall deliver the Services in accordance with Schedule 2. ".repeat(9).slice(0, 600), start: 1000 * i, end: 1000 * i + 600, page: 1,
  sectionPath: ["ARTICLE 4 SERVICES", "4.2 Delivery"], score: 0.5 - i / 100,
}));
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
console.log(`node ${process.version}, ${os.cpus().length} vCPU, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}; ${N} distinct searches per row`);
try {
  for (let round = 0; round < rounds; round++) {
    for (const disk of [false, true]) {
      const cache = new TieredCache({ secret: randomBytes(32), maxMemoryBytes: 32 << 20, ...(disk ? { store: new DiskCacheStore({ dir: path.join(dir, `l2-${round}`), maxBytes: 256 << 20 }) } : {}) });
      const key = (i: number) => ({ kind: "search" as const, parts: ["/index", "id", "12.40", `termination notice ${round} ${i}`, { k: 8, mode: "lexical", filter: {}, boost: 1, embedder: null, named: null }] });
      const c0 = cpuMs();
      for (let i = 0; i < N; i++) await cache.getOrCompute(key(i), async () => hits);
      const miss = (cpuMs() - c0) / N;
      const c1 = cpuMs();
      for (let i = 0; i < N; i++) await cache.getOrCompute(key(i), async () => hits);
      const hit = (cpuMs() - c1) / N;
      console.log(`  round ${round}  ${disk ? "memory + disk" : "memory only  "}  miss ${miss.toFixed(3)} ms CPU   hit ${hit.toFixed(3)} ms CPU`);
      await cache.dispose();
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
