// The contract_review workflow's six legal.* steps as a review worker runs them (runLegalStep, one step after
// another, JSON in and out), in one or two builds of @bear/legal side by side: each build in a process of its
// own, batches of contracts alternating between them (the order swapping each round), so a load that moves
// moves both. Prints per contract each side's CPU on the main thread and on its other threads (V8's compiler
// and GC helpers: what competes with a second worker for the cores), its regular-expression compilations and
// its garbage collections, the medians of the same-round ratios against the first side, and whether every
// report (all six steps' outputs) is byte-identical between the sides.
//   nice -n 10 npx tsx bench/review-cpu.ts [--before=<another build's dist/index.js>] [--contracts=120]
//     [--warm-up=16] [--batch=10] [--skip=0] [--trace] [--count-constructions]
// --trace: V8 traces regexp compiles (bytecode and native), optimisations and deoptimisations (costs CPU: read
// the counts, not the CPU); --count-constructions: counts `new RegExp` calls by source (a wrapped global).
// Without --before it runs this build alone (and prints its digest of all reports: compare two runs).
import { fork, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as LegalPackage from "../src/index";

const HERE = import.meta.dirname;
const THIS_BUILD = path.join(HERE, "../dist/index.js");
const CUAD_TEXT = path.resolve(HERE, "../../../../shared/data/cuad_train/full_contract_txt");
const arg = (name: string, fallback: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const flag = (name: string): boolean => process.argv.includes(`--${name}`);

interface BatchResult {
  readonly contracts: number;
  /** CPU ns of the main thread, of the other threads, by thread id offset. */
  readonly mainNs: number;
  readonly otherNs: number;
  readonly processNs: number;
  readonly gc: { n: number; ms: number };
  /** sha256 of each contract's six outputs, in order. */
  readonly digests: string[];
  readonly constructions: number;
}


/** CPU nanoseconds of each of this process's threads (/proc/self/task/<tid>/schedstat: time on a CPU, ns). */
function threadNs(): { main: number; other: number } {
  let main = 0;
  let other = 0;
  for (const tid of fs.readdirSync("/proc/self/task")) {
    let ns = 0;
    try {
      ns = Number(fs.readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      continue; // a thread that ended meanwhile
    }
    if (Number(tid) === process.pid) main += ns;
    else other += ns;
  }
  return { main, other };
}

async function child(entry: string): Promise<void> {
  const constructionsBySource = new Map<string, number>();
  let constructions = 0;
  if (flag("count-constructions")) {
    const Native = RegExp;
    const count = (args: unknown[]): void => {
      constructions++;
      const key = String(args[0] instanceof Native ? args[0].source : args[0]).slice(0, 80);
      constructionsBySource.set(key, (constructionsBySource.get(key) ?? 0) + 1);
    };
    globalThis.RegExp = new Proxy(Native, {
      construct: (target, args, newTarget) => (count(args), Reflect.construct(target, args, newTarget === globalThis.RegExp ? target : newTarget)),
      apply: (target, self, args) => (count(args), Reflect.apply(target, self, args)),
    });
  }
  const legal = (await import(pathToFileURL(entry).href)) as typeof LegalPackage;
  const { PerformanceObserver } = await import("node:perf_hooks");
  const gc = { n: 0, ms: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.n++;
      gc.ms += e.duration;
    }
  }).observe({ entryTypes: ["gc"] });
  const review = async (text: string): Promise<string> => {
    const run = (type: (typeof legal.LEGAL_STEP_TYPES)[number], parameters: unknown): Promise<unknown> => legal.runLegalStep(type, parameters);
    const keyTerms = await run("legal.extract_terms", { text });
    const classification = await run("legal.classify_clauses", { text, use_llm: false });
    const risks = await run("legal.assess_risk", { text, key_terms: keyTerms, classification, playbook: "" });
    const compliance = await run("legal.check_compliance", { text, checklists: [] });
    const citations = await run("legal.validate_citations", { text, outputs: { key_terms: keyTerms, classification, risks, compliance } });
    const report = await run("legal.report", { text, key_terms: keyTerms, classification, risks, compliance, citations, format: "markdown", title: "Contract review" });
    // the report's time of generation is the one field that differs from run to run
    const now = (report as { report: { generatedAt: string } }).report.generatedAt;
    return crypto.createHash("sha256").update(JSON.stringify([keyTerms, classification, risks, compliance, citations, report]).replaceAll(now, "<now>")).digest("hex");
  };
  // ALLOC_PROFILE=<file>: V8's sampling heap profiler over the measured batches (the warm-up is the first batch),
  // counting objects the collector has freed too: where the garbage comes from
  const allocProfile = process.env.ALLOC_PROFILE;
  const inspector = allocProfile ? new (await import("node:inspector")).Session() : undefined;
  const post = (method: string, params?: object): Promise<unknown> => new Promise((resolve, reject) => inspector!.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r))));
  inspector?.connect();
  let batches = 0;
  process.on("message", (msg: { files: string[] } | { stop: true }) => {
    if ("stop" in msg) {
      if (inspector) {
        void post("HeapProfiler.stopSampling").then((r) => {
          fs.writeFileSync(`${allocProfile}.${process.pid}.heapprofile`, JSON.stringify((r as { profile: unknown }).profile));
          const top = [...constructionsBySource].sort((a, b) => b[1] - a[1]).slice(0, 15);
          process.send!({ top }, () => process.exit(0));
        });
        return;
      }
      const top = [...constructionsBySource].sort((a, b) => b[1] - a[1]).slice(0, 15);
      process.send!({ top }, () => process.exit(0));
      return;
    }
    void (async () => {
      if (inspector && batches++ === 1) await post("HeapProfiler.startSampling", { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      const texts = msg.files.map((f) => fs.readFileSync(path.join(CUAD_TEXT, f), "utf8"));
      await new Promise((r) => setImmediate(r)); // the GC observer's entries so far delivered
      const c0 = constructions;
      const gc0 = { ...gc };
      const t0 = threadNs();
      const p0 = process.cpuUsage();
      const digests: string[] = [];
      for (const text of texts) digests.push(await review(text));
      const p1 = process.cpuUsage(p0);
      const t1 = threadNs();
      await new Promise((r) => setImmediate(r));
      const result: BatchResult = {
        contracts: texts.length,
        mainNs: t1.main - t0.main,
        otherNs: t1.other - t0.other,
        processNs: (p1.user + p1.system) * 1000,
        gc: { n: gc.n - gc0.n, ms: gc.ms - gc0.ms },
        digests,
        constructions: constructions - c0,
      };
      process.send!(result);
    })();
  });
  process.send!({ ready: true });
}

// ---- parent ----
interface Side {
  readonly name: string;
  readonly proc: ChildProcess;
  /** V8 trace lines counted so far (--trace). */
  readonly trace: { regexpBytecode: number; regexpNative: number; optimized: number; deopt: number; scavenges: number; markCompacts: number; measuring?: boolean };
  readonly batches: BatchResult[];
}

function startSide(name: string, entry: string, trace: boolean): Promise<Side> {
  // CHILD_FLAGS: node/V8 flags for both sides' processes (e.g. --single-threaded-gc, to read what is GC)
  const execArgv = ["--import", "tsx", ...(process.env.CHILD_FLAGS ?? "").split(" ").filter(Boolean), ...(trace ? ["--trace-regexp-tier-up", "--trace-opt", "--trace-deopt", "--trace-gc"] : [])];
  const args = [`--child=${entry}`, ...(flag("count-constructions") ? ["--count-constructions"] : [])];
  const proc = fork(path.join(HERE, "review-cpu.ts"), args, { execArgv, stdio: ["ignore", trace ? "pipe" : "ignore", "inherit", "ipc"] });
  const side: Side = { name, proc, trace: { regexpBytecode: 0, regexpNative: 0, optimized: 0, deopt: 0, scavenges: 0, markCompacts: 0 }, batches: [] };
  if (trace) {
    let rest = "";
    // TRACE_OUT=<file>: the trace lines themselves, after the warm-up (which functions, which reasons)
    const out = process.env.TRACE_OUT ? fs.createWriteStream(`${process.env.TRACE_OUT}.${name}`) : undefined;
    proc.stdout!.on("data", (d: Buffer) => {
      const lines = (rest + d.toString()).split("\n");
      rest = lines.pop()!;
      for (const l of lines) {
        if (side.batches.length > 0 || side.trace.measuring) out?.write(`${l}\n`);
        if (l.includes("bytecode size:")) side.trace.regexpBytecode++;
        else if (l.includes("native code size:")) side.trace.regexpNative++;
        else if (l.startsWith("[completed optimizing")) side.trace.optimized++;
        else if (l.startsWith("[bailout") || l.startsWith("[deoptimizing")) side.trace.deopt++;
        else if (l.includes(" Scavenge ")) side.trace.scavenges++;
        else if (l.includes(" Mark-Compact ")) side.trace.markCompacts++;
      }
    });
  }
  return new Promise((resolve, reject) => {
    proc.once("exit", (code) => reject(new Error(`${name} exited ${code}`)));
    proc.once("message", () => resolve(side));
  });
}

function runBatch(side: Side, files: string[]): Promise<BatchResult> {
  return new Promise((resolve) => {
    side.proc.once("message", (m) => resolve(m as BatchResult));
    side.proc.send({ files });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function parent(): Promise<void> {
  const before = arg("before", "");
  const contracts = Number(arg("contracts", "120"));
  const warmUp = Number(arg("warm-up", "16"));
  const batch = Number(arg("batch", "10"));
  const skip = Number(arg("skip", "0"));
  const trace = flag("trace");
  const all = fs.readdirSync(CUAD_TEXT).sort();
  const measured = all.slice(skip, skip + contracts);
  // warmed on other contracts than the measured ones (those after them)
  const warm = all.slice(skip + contracts, skip + contracts + warmUp);
  const entries: Array<[string, string]> = before === "" ? [["this", THIS_BUILD]] : [["before", path.resolve(before)], ["after", THIS_BUILD]];
  const sides = await Promise.all(entries.map(([name, entry]) => startSide(name, entry, trace)));
  const load = (): string => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(`node ${process.version}; ${measured.length} cuad_train contracts (from #${skip}), warm-up ${warm.length} others, batches of ${batch}; load ${load()}`);
  for (const s of sides) await runBatch(s, warm);
  for (const s of sides) {
    s.trace.regexpBytecode = s.trace.regexpNative = s.trace.optimized = s.trace.deopt = s.trace.scavenges = s.trace.markCompacts = 0;
    s.trace.measuring = true;
  }
  for (let i = 0, round = 0; i < measured.length; i += batch, round++) {
    const files = measured.slice(i, i + batch);
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const s of order) s.batches.push(await runBatch(s, files));
  }
  const perContract = (s: Side, pick: (b: BatchResult) => number): number => s.batches.reduce((a, b) => a + pick(b), 0) / measured.length;
  console.log(`load at the end ${load()}`);
  console.log("| side | main thread ms | other threads ms | process ms | GC n / pause ms | new RegExp | regexp compiles (bytecode + native) | optimisations | deopts | scavenges, mark-compacts (traced) |  (per contract)");
  for (const s of sides) {
    const t = (n: number): string => (trace ? (n / measured.length).toFixed(2) : "-");
    console.log(
      `| ${s.name} | ${(perContract(s, (b) => b.mainNs) / 1e6).toFixed(2)} | ${(perContract(s, (b) => b.otherNs) / 1e6).toFixed(2)} | ${(perContract(s, (b) => b.processNs) / 1e6).toFixed(2)} | ${perContract(s, (b) => b.gc.n).toFixed(2)} / ${perContract(s, (b) => b.gc.ms).toFixed(2)} | ${flag("count-constructions") ? perContract(s, (b) => b.constructions).toFixed(1) : "-"} | ${t(s.trace.regexpBytecode)} + ${t(s.trace.regexpNative)} | ${t(s.trace.optimized)} | ${t(s.trace.deopt)} | ${t(s.trace.scavenges)}, ${t(s.trace.markCompacts)} |`,
    );
  }
  const digestOf = (s: Side): string => crypto.createHash("sha256").update(s.batches.flatMap((b) => b.digests).join("\n")).digest("hex");
  if (sides.length === 2) {
    const [a, b] = sides as [Side, Side];
    const ratio = (pick: (r: BatchResult) => number): string => median(a.batches.map((r, i) => pick(b.batches[i]!) / pick(r))).toFixed(3);
    console.log(`after / before, median of same-round ratios: main thread ${ratio((r) => r.mainNs)}x, other threads ${ratio((r) => r.otherNs)}x, process ${ratio((r) => r.processNs)}x`);
    const differ = a.batches.flatMap((r) => r.digests).filter((d, i) => d !== b.batches.flatMap((r) => r.digests)[i]!).length;
    console.log(`reports (all six steps' outputs): ${differ === 0 ? "identical" : `${differ} of ${measured.length} DIFFER`}; digest before ${digestOf(a).slice(0, 16)}, after ${digestOf(b).slice(0, 16)}`);
  } else console.log(`digest of all reports ${digestOf(sides[0]!).slice(0, 16)}`);
  for (const s of sides) {
    const top = await new Promise<{ top: Array<[string, number]> }>((resolve) => {
      s.proc.removeAllListeners("exit");
      s.proc.once("message", (m) => resolve(m as { top: Array<[string, number]> }));
      s.proc.send({ stop: true });
    });
    if (top.top.length > 0) console.log(`${s.name}: new RegExp by source (all contracts, warm-up included):\n${top.top.map(([k, n]) => `  ${n}  ${k}`).join("\n")}`);
  }
}

// a child process runs one build of @bear/legal; the parent alternates batches between them
const childEntry = arg("child", "");
if (childEntry !== "") await child(childEntry);
else await parent();
