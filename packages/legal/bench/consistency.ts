// Over every cuad_train contract: contradictions between a report's findings, summary and clause
// map (must be 0), and review latency. Uses the shipped model when present (--rules: the rules alone).
//   nice -n 10 npx tsx bench/consistency.ts [--rules]
import { findContradictions, reviewContract } from "../src/index";
import { loadCuad } from "../train/cuad-data";

const rulesOnly = process.argv.includes("--rules");
const contracts = loadCuad();
const t0 = performance.now();
const ms: number[] = [];
let contradictions = 0;
let withAny = 0;
for (const contract of contracts) {
  const s = performance.now();
  const report = await reviewContract(contract.text, { now: new Date(0), ...(rulesOnly ? { model: false as const } : {}) });
  ms.push(performance.now() - s);
  const found = findContradictions(report);
  contradictions += found.length;
  if (found.length > 0) withAny++;
  for (const c of found) console.log(`${contract.file.slice(0, 50)}: ${c.finding} ${c.reason}`);
}
const q = (p: number) => [...ms].sort((a, b) => a - b)[Math.floor(p * (ms.length - 1))]!.toFixed(0);
console.log(`${contracts.length} contracts reviewed (${rulesOnly ? "rules only" : "shipped model"}): ${contradictions} contradictions in ${withAny} reports`);
console.log(`reviewContract latency p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms; rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB; wall ${((performance.now() - t0) / 1000).toFixed(1)} s`);
