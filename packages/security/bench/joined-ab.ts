// Same-run A/B of two builds on the N report-part contracts joined into one text (the "large text" figure), or on the
// peers' generated corpus in 16 KiB documents (bench/peers.ts's throughput text, contracts "peers"): least CPU time of
// alternating passes, each by a new scanner (nothing a scanner remembers from an earlier pass of the same text carries
// over). Build the bundles as bench/bundle-ab.ts says, then
//   nice -n 10 npx tsx bench/joined-ab.ts dist/ab-before.mjs dist/index.js [all|structured|phone|person] [contracts|peers] [rounds] [--processes K]
// Two bundles in one process are not equal: the one loaded second ran 10-25% slower here whichever it was (same code
// too), so with --processes K each build runs alone in K child processes, alternating (before, after, after,
// before, ...), and the medians of their least pass times are compared.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { PiiScanner as Scanner, PiiScannerOptions } from "../src/pii/pii-scanner";
import { corpus } from "./legal-corpus";
import { loadCuad } from "./legal-eval";
import { sharedDataDir } from "./pii-eval";

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const one = flag("--one");
const processes = Number(flag("--processes") ?? 0);
const [beforeFile = "dist/ab-before.mjs", afterFile = "dist/index.js", mode = "all", count = "30", rounds = "5"] = args;
type ScannerClass = new (options?: PiiScannerOptions) => Scanner;
const load = async (file: string): Promise<ScannerClass> =>
  ((await import(pathToFileURL(path.resolve(import.meta.dirname, "..", file)).href)) as { PiiScanner: ScannerClass }).PiiScanner;
// "phone": the structured scan's phone recognizer alone (entities: PHONE), for a change to it that a whole scan's noise hides;
// "person": the name recognizer, which alone reports people (entities: PERSON; the document-wide reading then skips letterheads)
const options: PiiScannerOptions =
  mode === "structured" ? { names: false } : mode === "phone" ? { names: false, entities: ["PHONE"] } : mode === "person" ? { entities: ["PERSON"] } : {};
/** The peers' corpus as bench/peers.ts scans it: 1 MiB in documents of 16 KiB. */
function peersDocs(): string[] {
  const text = corpus(1024 * 1024);
  const docs: string[] = [];
  for (let at = 0; at < text.length; at += 16 * 1024) docs.push(text.slice(at, at + 16 * 1024));
  return docs;
}
const docs = count === "peers" ? peersDocs() : [loadCuad(sharedDataDir(import.meta.dirname), "report", Number(count)).map((c) => c.text).join("\n\n")];
const what = count === "peers" ? `peers' corpus in ${docs.length} documents` : `${count} contracts joined`;
const MB = docs.reduce((s, d) => s + Buffer.byteLength(d), 0) / (1024 * 1024);
const rate = (ms: number): string => (MB / (ms / 1000)).toFixed(2);
/** The least CPU ms of `rounds` passes of a new scanner each. */
function pass(Build: ScannerClass): number {
  const scanner = new Build(options);
  const u0 = process.cpuUsage();
  for (const d of docs) scanner.scan(d);
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / 1000;
}
const digest = (Build: ScannerClass): string => createHash("sha256").update(JSON.stringify(docs.map((d) => new Build(options).scan(d)))).digest("hex").slice(0, 16);

if (one) {
  // a child of --processes: one build alone; the first pass (with the digest) warms it up
  const Build = await load(one);
  const found = digest(Build);
  let best = Infinity;
  for (let r = 0; r < Number(rounds); r++) best = Math.min(best, pass(Build));
  console.log(JSON.stringify({ best, found }));
} else if (processes > 0) {
  const runs: { best: number; found: string }[][] = [[], []];
  for (let k = 0; k < processes; k++) {
    for (const i of k % 2 === 0 ? [0, 1] : [1, 0]) {
      const child = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, "--one", i === 0 ? beforeFile : afterFile, beforeFile, afterFile, mode, count, rounds], { encoding: "utf8" });
      if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
      runs[i]?.push(JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}") as { best: number; found: string });
    }
  }
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
  };
  const [b, a] = runs.map((r) => median(r.map((x) => x.best))) as [number, number];
  const same = new Set(runs.flat().map((x) => x.found)).size === 1;
  console.log(
    `${what}, ${MB.toFixed(2)} MB, ${mode}, ${processes} processes per build, load ${os.loadavg()[0]?.toFixed(1)}: before ${b.toFixed(0)} ms CPU (${rate(b)} MB/s; ${runs[0]?.map((x) => x.best.toFixed(0)).join(" ")}), after ${a.toFixed(0)} ms (${rate(a)} MB/s; ${runs[1]?.map((x) => x.best.toFixed(0)).join(" ")}), ${(b / a).toFixed(2)}x, findings ${same ? "identical" : "DIFFERENT"}`,
  );
} else {
  const builds = [await load(beforeFile), await load(afterFile)];
  const found = builds.map(digest); // warm-up, and the findings compared
  const best = [Infinity, Infinity];
  for (let r = 0; r < Number(rounds); r++) for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) best[i] = Math.min(best[i] as number, pass(builds[i] as ScannerClass));
  console.log(
    `${what}, ${MB.toFixed(2)} MB, ${mode}, load ${os.loadavg()[0]?.toFixed(1)}: before ${best[0]?.toFixed(0)} ms CPU (${rate(best[0] as number)} MB/s), after ${best[1]?.toFixed(0)} ms (${rate(best[1] as number)} MB/s), ${((best[0] as number) / (best[1] as number)).toFixed(2)}x, findings ${found[0] === found[1] ? "identical" : "DIFFERENT"}`,
  );
}
