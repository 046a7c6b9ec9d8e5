// /health latency while large redactions and reviews run, and while an upload is scrubbed at ingest
// (`security.scrubOnIngest`), with the heavy work on the workspace's worker pool (the default) and on the
// event loop (`offload: { workers: 0 }`, how the server ran before), side by side in the same run.
// A /health sample runs from when the poll was due, so a blocked loop cannot hide in the poller's timer.
// Run: nice -n 10 npx tsx apps/server/bench/event-loop-bench.ts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defaultBearConfig } from "@bear/core";
import { createServer } from "../src/index";

const CONTRACTS = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_clauses/full_contract_txt");
const CHARS = Number(process.env["BENCH_CHARS"] ?? 200_000);
const REDACTIONS = 2;
const REVIEWS = 1;

/** Real contracts, concatenated to CHARS characters. */
function corpus(): string {
  let text = "";
  for (const f of fs.readdirSync(CONTRACTS).filter((n) => n.endsWith(".txt")).sort()) {
    text += `${fs.readFileSync(path.join(CONTRACTS, f), "utf8")}\n\n`;
    if (text.length >= CHARS) break;
  }
  return text.slice(0, CHARS);
}

function pct(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

type Scenario = "redact+review" | "scrubbed upload";

async function run(workers: number | undefined, text: string, scenario: Scenario): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-bench-loop-"));
  const base = defaultBearConfig(dir);
  const server = await createServer({
    config: {
      ...base,
      server: { ...base.server, port: 0 },
      log: { level: "error" },
      rag: { ...base.rag, maxFileSizeMb: 8 },
      security: { ...base.security, scrubOnIngest: scenario === "scrubbed upload" },
    },
    principals: [{ id: "bench", roles: ["attorney"], matters: ["m"] }],
    rateLimit: { capacity: 1_000_000, refillPerSecond: 1_000_000 },
    jsonBodyLimitBytes: 4 * 1024 * 1024,
    ...(workers === undefined ? {} : { offload: { workers } }),
  });
  const url = await server.listen();
  const headers = { authorization: `Bearer ${server.apiKeys["bench"]}`, "content-type": "application/json" };
  let due = performance.now();
  const health = async (): Promise<number> => {
    await (await fetch(`${url}/api/v1/health`)).arrayBuffer();
    const answered = performance.now();
    const latency = answered - due;
    due = answered + 10; // the next poll is due after the 10 ms pause
    return latency;
  };
  const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 10));
  for (let i = 0; i < 10; i++) {
    await health(); // warm-up
    await pause();
  }
  const idle: number[] = [];
  for (let i = 0; i < 50; i++) {
    idle.push(await health());
    await pause();
  }
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const started = performance.now();
  const upload = (): Promise<ArrayBuffer> => {
    const form = new FormData();
    form.append("file", new Blob([text]), "bench-contract.txt");
    return fetch(`${url}/api/v1/documents?matter=m`, { method: "POST", headers: { authorization: headers.authorization }, body: form }).then((r) => r.arrayBuffer());
  };
  const heavy =
    scenario === "scrubbed upload"
      ? Promise.all([upload()])
      : Promise.all([
          ...Array.from({ length: REDACTIONS }, () => fetch(`${url}/api/v1/redact`, { method: "POST", headers, body: JSON.stringify({ text }) }).then((r) => r.arrayBuffer())),
          ...Array.from({ length: REVIEWS }, () => fetch(`${url}/api/v1/review`, { method: "POST", headers, body: JSON.stringify({ text }) }).then((r) => r.arrayBuffer())),
        ]);
  let done = false;
  void heavy.finally(() => (done = true));
  const busy: number[] = [];
  while (!done) {
    busy.push(await health());
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    await pause();
  }
  await heavy;
  const seconds = (performance.now() - started) / 1000;
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
  idle.sort((a, b) => a - b);
  busy.sort((a, b) => a - b);
  const mb = ((scenario === "scrubbed upload" ? 1 : REDACTIONS + REVIEWS) * text.length) / 1e6;
  const label = `${scenario.padEnd(15)} ${workers === 0 ? "event loop (before)" : "worker pool        "}`;
  const f = (n: number): string => n.toFixed(1).padStart(7);
  return `${label} | /health idle p50 ${f(pct(idle, 50))} p99 ${f(pct(idle, 99))} | busy p50 ${f(pct(busy, 50))} p95 ${f(pct(busy, 95))} p99 ${f(pct(busy, 99))} max ${f(busy.at(-1) ?? NaN)} ms (${busy.length} samples) | heavy work ${seconds.toFixed(1)} s, ${(mb / seconds).toFixed(3)} MB/s | peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`;
}

const text = corpus();
console.log(
  `${REDACTIONS} redactions + ${REVIEWS} review of ${text.length} characters each, at once; then one scrubbed upload of it; /health polled every 10 ms (load average ${os.loadavg()[0]?.toFixed(1)})`,
);
for (const scenario of ["redact+review", "scrubbed upload"] as const) {
  console.log(await run(undefined, text, scenario));
  console.log(await run(0, text, scenario));
}
