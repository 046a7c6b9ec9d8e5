// Load bench on loopback: requests/s and p99 latency for health, search and ask (lexical default,
// extractive answers) at 10 and 100 connections. Run: npx tsx apps/server/bench/http-bench.ts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { defaultBearConfig } from "@bear/core";
import { createServer } from "../src/index";

const DURATION_S = Number(process.env["BENCH_DURATION"] ?? 4);
const CONTRACTS = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_clauses/full_contract_txt");
const DOCS = 20;

const started = performance.now();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-bench-"));
const base = defaultBearConfig(dir);
const server = await createServer({
  config: { ...base, server: { ...base.server, port: 0 }, log: { level: "error" } },
  principals: [{ id: "bench", roles: ["attorney"], matters: ["cuad"] }],
  // The bench measures the server, not the limiter: a bucket large enough for the run.
  rateLimit: { capacity: 1_000_000, refillPerSecond: 1_000_000 },
});
const url = await server.listen();
const auth = { authorization: `Bearer ${server.apiKeys["bench"]}` };

const files = fs.readdirSync(CONTRACTS).filter((f) => f.endsWith(".txt")).sort().slice(0, DOCS);
let bytes = 0;
for (const f of files) {
  const content = fs.readFileSync(path.join(CONTRACTS, f));
  bytes += content.length;
  const form = new FormData();
  form.append("file", new Blob([content]), f.replace(/[^A-Za-z0-9._-]+/g, "_"));
  const res = await fetch(`${url}/api/v1/documents?matter=cuad`, { method: "POST", headers: auth, body: form });
  if (res.status !== 201) throw new Error(`upload of ${f} failed: ${res.status} ${await res.text()}`);
}
const chunks = server.services.rag.documents().reduce((n, d) => n + d.chunkCount, 0);

const scenarios = [
  { name: "GET  /api/v1/health", method: "GET", path: "/api/v1/health" },
  { name: "POST /api/v1/search", method: "POST", path: "/api/v1/search", body: { query: "termination for convenience notice period", k: 8 } },
  { name: "POST /api/v1/ask", method: "POST", path: "/api/v1/ask", body: { question: "How much notice is required to terminate the agreement?" } },
];

const rows: string[] = [];
for (const s of scenarios) {
  for (const connections of [10, 100]) {
    const r = await autocannon({
      url: `${url}${s.path}`,
      method: s.method,
      connections,
      duration: DURATION_S,
      headers: { ...auth, "content-type": "application/json" },
      ...(s.body ? { body: JSON.stringify(s.body) } : {}),
    });
    rows.push(
      `| ${s.name.padEnd(20)} | ${String(connections).padStart(5)} | ${r.requests.average.toFixed(0).padStart(7)} | ${String(r.latency.p50).padStart(7)} | ${String(r.latency.p99).padStart(7)} | ${String(r.requests.total).padStart(7)} | ${String(r.non2xx + r.errors + r.timeouts).padStart(6)} |`,
    );
  }
}
await server.close();
fs.rmSync(dir, { recursive: true, force: true });

console.log(`node ${process.version}, ${os.availableParallelism()} vCPU (shared), loopback, ${DURATION_S} s per row`);
console.log(`index: ${files.length} CUAD contracts, ${(bytes / 1e6).toFixed(1)} MB, ${chunks} chunks (lexical BM25, extractive answers, no model)`);
console.log("| route                | conns |   req/s |  p50 ms |  p99 ms |   total | errors |");
console.log("|----------------------|-------|---------|---------|---------|---------|--------|");
for (const row of rows) console.log(row);
console.log(`(wall time ${((performance.now() - started) / 1000).toFixed(1)} s)`);
