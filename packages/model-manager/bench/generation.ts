// Generation benchmark: the manager vs node-llama-cpp used directly (same model, same settings),
// load time, 8 concurrent requests, and the thread-count table behind chooseThreads.
// Run: npx tsx bench/generation.ts   (uses ../shared/models/stories260K; about 40 s on 2 vCPUs)
import path from "node:path";
import { getLlama, LlamaCompletion, LlamaLogLevel } from "node-llama-cpp";
import { ModelManager, chooseThreads, probeHardware } from "../src/index";

const models = path.resolve(import.meta.dirname, "../../../../shared/models");
const MODEL_ID = "stories260K";
const modelPath = path.join(models, "stories260K/stories260K.gguf");
const CONTEXT = 2048;
const STORY = "Once upon a time";
const LONG_PROMPT = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her friends. ".repeat(28);
const RUNS = 20;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] as number;
const fmt = (n: number, d = 0) => n.toFixed(d).padStart(9);
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

const hardware = await probeHardware();
const llama = await getLlama({ gpu: false, build: "never", progressLogs: false, logLevel: LlamaLogLevel.error });
const threads = chooseThreads({ usableCores: hardware.usableCores, concurrentContexts: 1, parameterCount: 292_800 });
console.log(`node ${process.version}; usable cores ${hardware.usableCores} (availableParallelism ${hardware.availableParallelism}, cgroup ${hardware.cgroupCpuLimit ?? "none"}); RAM ${mb(hardware.totalMemoryBytes)}; GPU ${llama.gpu || "none"}`);
console.log(`model ${MODEL_ID}; context ${CONTEXT}; batch 512; temperature 0; threads chosen by chooseThreads: ${threads}\n`);

// ---- direct node-llama-cpp ------------------------------------------------------------------
async function directSetup(t: number) {
  const started = performance.now();
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  const context = await model.createContext({ contextSize: CONTEXT, batchSize: 512, sequences: 1, threads: t });
  const sequence = context.getSequence();
  return { model, context, sequence, loadMs: performance.now() - started };
}
async function directRun(seq: Awaited<ReturnType<typeof directSetup>>["sequence"], prompt: string, maxTokens: number) {
  await seq.clearHistory();
  const completion = new LlamaCompletion({ contextSequence: seq });
  const started = performance.now();
  let first: number | undefined;
  let tokens = 0;
  await completion.generateCompletionWithMeta(prompt, {
    maxTokens,
    temperature: 0,
    disableContextShift: true,
    onToken: (t) => {
      first ??= performance.now();
      tokens += t.length;
    },
  });
  const end = performance.now();
  completion.dispose({ disposeSequence: false });
  return { ms: end - started, firstMs: (first ?? end) - started, tokens };
}

// Time spent inside llama.cpp's completion call, so the manager's own per-call cost (validation,
// queue, tokenization, bookkeeping) can be measured apart from evaluation, which load noise swamps.
let innerMs = 0;
const original = LlamaCompletion.prototype.generateCompletionWithMeta;
LlamaCompletion.prototype.generateCompletionWithMeta = async function (this: LlamaCompletion, ...args: Parameters<typeof original>) {
  const started = performance.now();
  try {
    return await original.apply(this, args);
  } finally {
    innerMs = performance.now() - started;
  }
};

// ---- load time --------------------------------------------------------------------------------
const directLoads: number[] = [];
const managerLoads: number[] = [];
const manager = await ModelManager.open({ modelDirs: [path.join(models, "stories260K")], maxConcurrentRequests: 1 }, { llama });
for (let i = 0; i < 3; i++) {
  const d = await directSetup(1);
  directLoads.push(d.loadMs);
  await d.context.dispose();
  await d.model.dispose();
  const m = await manager.load(MODEL_ID, { contextSize: CONTEXT, concurrency: 1 });
  managerLoads.push(m.loadMs);
  await manager.unload(MODEL_ID);
}
console.log("load time (model + context, median of 3)");
console.log(`  direct loadModel+createContext ${fmt(median(directLoads), 1)} ms`);
console.log(`  manager.load                   ${fmt(median(managerLoads), 1)} ms\n`);

// ---- throughput: manager vs direct, interleaved -------------------------------------------------
const direct = await directSetup(1);
await manager.load(MODEL_ID, { contextSize: CONTEXT, concurrency: 1 });
const promptTokens = direct.model.tokenize(LONG_PROMPT).length + 1; // + BOS, as LlamaCompletion adds it
const res = { dPrompt: [] as number[], mPrompt: [] as number[], dGen: [] as number[], mGen: [] as number[], pairPrompt: [] as number[], pairGen: [] as number[], extraPrompt: [] as number[], extraGen: [] as number[] };
for (let i = 0; i < RUNS + 2; i++) {
  // Alternate who goes first so neither side always runs on a warmer cache.
  const pair = async <A, B>(a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> => {
    if (i % 2 === 0) {
      const x = await a();
      return [x, await b()];
    }
    const y = await b();
    return [await a(), y];
  };
  const managerCall = async (prompt: string, maxTokens: number) => {
    const r = await manager.generate(MODEL_ID, { prompt, maxTokens });
    return { r, extra: r.generationTime - innerMs };
  };
  const directCall = async (prompt: string, maxTokens: number) => {
    const r = await directRun(direct.sequence, prompt, maxTokens);
    return { ...r, extra: r.ms - innerMs };
  };
  const [dp, mpx] = await pair(() => directCall(LONG_PROMPT, 1), () => managerCall(LONG_PROMPT, 1));
  const [dg, mgx] = await pair(() => directCall(STORY, 128), () => managerCall(STORY, 128));
  const mp = mpx.r;
  const mg = mgx.r;
  if (i < 2) continue; // warm-up
  res.dPrompt.push((promptTokens / dp.ms) * 1000);
  res.mPrompt.push((mp.promptTokens / mp.generationTime) * 1000);
  res.dGen.push((dg.tokens / dg.ms) * 1000);
  res.mGen.push((mg.tokensUsed / mg.generationTime) * 1000);
  // Paired: the same work back to back, so machine-wide load drift cancels out.
  res.pairPrompt.push((mp.generationTime - dp.ms) / dp.ms);
  res.pairGen.push((mg.generationTime - dg.ms) / dg.ms);
  res.extraPrompt.push((mpx.extra - dp.extra) / dp.ms);
  res.extraGen.push((mgx.extra - dg.extra) / dg.ms);
}
console.log(`throughput, median of ${RUNS} interleaved runs (wall time of the whole call, queue included)`);
const best = (xs: number[]) => Math.max(...xs);
console.log("                                median tok/s           best run tok/s     paired wall   manager's own");
console.log("                             direct   manager      direct   manager     overhead      code overhead");
const pctOf = (x: number) => `${(x * 100).toFixed(2)}%`.padStart(10);
const row = (label: string, d: number[], m: number[], paired: number[], extra: number[]) =>
  console.log(`  ${label}${fmt(median(d))} ${fmt(median(m))}   ${fmt(best(d))} ${fmt(best(m))}   ${pctOf(median(paired))}   ${pctOf(median(extra))}`);
row(`prompt (${promptTokens} tok)     `, res.dPrompt, res.mPrompt, res.pairPrompt, res.extraPrompt);
row("generation (128 tok) ", res.dGen, res.mGen, res.pairGen, res.extraGen);
console.log("  (own code overhead = time the manager spends outside llama.cpp's completion call, minus the same for direct use, over the direct call's time)");
console.log();
await direct.context.dispose();
await direct.model.dispose();
await manager.unload(MODEL_ID);

// ---- 8 concurrent requests ----------------------------------------------------------------------
console.log("8 concurrent requests x 64 tokens through the manager (FIFO queue, one context)");
console.log("  slots   wall ms   tok/s   p50 ms   p95 ms   max queue wait ms");
const waits: number[] = [];
manager.onDidRecordMetric.subscribe((e) => {
  if (e.type === "generation.completed") waits.push(e.queueWaitMs);
});
for (const slots of [1, 2, 4, 8]) {
  await manager.load(MODEL_ID, { contextSize: CONTEXT, concurrency: slots });
  await manager.generate(MODEL_ID, { prompt: STORY, maxTokens: 8 });
  waits.length = 0;
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => manager.generate(MODEL_ID, { prompt: STORY, maxTokens: 64, temperature: 0.8, seed: i })));
  const wall = performance.now() - started;
  const latencies = results.map((r) => r.generationTime);
  const tokens = results.reduce((n, r) => n + r.tokensUsed, 0);
  console.log(`  ${String(slots).padStart(5)} ${fmt(wall, 1)} ${fmt((tokens / wall) * 1000)} ${fmt(pct(latencies, 50), 1)} ${fmt(pct(latencies, 95), 1)} ${fmt(Math.max(...waits), 1)}`);
  await manager.unload(MODEL_ID);
}
console.log();

// ---- thread-count table -------------------------------------------------------------------------
console.log("threads vs generation speed (direct node-llama-cpp, greedy; fewer tokens where it is slow)");
console.log("  threads   tokens   tok/s     vs chosen");
let base = 0;
for (const t of [1, 2, 4]) {
  const d = await directSetup(t);
  const tokens = t === 1 ? 64 : t === 2 ? 16 : 2;
  if (t === 1) await directRun(d.sequence, STORY, 4); // warm-up only where it is cheap
  const r = await directRun(d.sequence, STORY, tokens);
  const tps = (r.tokens / r.ms) * 1000;
  if (t === threads) base = tps;
  console.log(`  ${String(t).padStart(7)} ${String(r.tokens).padStart(8)} ${fmt(tps, 1)}  ${t === threads ? "  (chosen)" : base > 0 ? `  ${(base / tps).toFixed(0)}x slower` : ""}`);
  await d.context.dispose();
  await d.model.dispose();
}
const mem = process.memoryUsage();
console.log(`\nmemory: rss ${mb(mem.rss)}, heap used ${mb(mem.heapUsed)}, external ${mb(mem.external)}`);
await manager.dispose();
await llama.dispose();
