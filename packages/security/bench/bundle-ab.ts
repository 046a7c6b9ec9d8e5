// Same-run A/B of two builds of the scanner over cuad_train contracts (report part), alternating per document; MB/s per
// second of CPU time (the VM is shared: wall time also counts other jobs). Findings must come out identical.
//   npm run build -w @bear/security                      (the code after the change: dist/index.js)
//   git revert --no-commit <the change's commits>; npx esbuild src/index.ts --bundle --platform=node --format=esm \
//     --target=es2022 --packages=external --outfile=dist/ab-before.mjs; git revert --abort
//   nice -n 10 npx tsx bench/bundle-ab.ts dist/ab-before.mjs dist/index.js [all|structured] [contracts]
// (a bundle must sit one folder below the package, as dist/ does, to find model/; the next build empties dist/.)
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { PiiScanner as Scanner, PiiScannerOptions } from "../src/pii/pii-scanner";
import { loadCuad } from "./legal-eval";
import { sharedDataDir } from "./pii-eval";

const [beforeFile = "dist/ab-before.mjs", afterFile = "dist/index.js", mode = "all", count = "30"] = process.argv.slice(2);
type ScannerClass = new (options?: PiiScannerOptions) => Scanner;
const load = async (file: string): Promise<ScannerClass> =>
  ((await import(pathToFileURL(path.resolve(import.meta.dirname, "..", file)).href)) as { PiiScanner: ScannerClass }).PiiScanner;
const options: PiiScannerOptions = mode === "structured" ? { names: false } : {};
const Before = await load(beforeFile);
const After = await load(afterFile);
const docs = loadCuad(sharedDataDir(import.meta.dirname), "report", Number(count)).map((c) => c.text);
const MB = docs.reduce((s, d) => s + Buffer.byteLength(d), 0) / (1024 * 1024);
// warm up: word lists, model, compiled patterns
for (const Build of [Before, After]) {
  const warm = new Build(options);
  for (const d of docs.slice(0, 3)) warm.scan(d);
}
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let beforeMs = 0;
let afterMs = 0;
let identical = true;
// the second scan of a text runs warmer (caches): which build goes first alternates per document
const timed = (scanner: Scanner, d: string): [string, number] => {
  const c = cpuMs();
  const found = JSON.stringify(scanner.scan(d));
  return [found, cpuMs() - c];
};
for (let pass = 0; pass < 2; pass++) {
  // new scanners for each pass: nothing remembered from the pass before (the phone recognizer's answers) carries over
  const [before, after] = [new Before(options), new After(options)];
  docs.forEach((d, i) => {
    const first = (i + pass) % 2 === 0;
    const [a, aMs] = first ? timed(before, d) : ["", 0];
    const [b, bMs] = timed(after, d);
    const [a2, a2Ms] = first ? [a, aMs] : timed(before, d);
    beforeMs += a2Ms;
    afterMs += bMs;
    if (a2 !== b) identical = false;
  });
}
const rate = (ms: number): string => ((2 * MB) / (ms / 1000)).toFixed(2);
console.log(
  `${docs.length} contracts, ${MB.toFixed(2)} MB x 2 passes, ${mode}: before ${rate(beforeMs)} MB/s of CPU, after ${rate(afterMs)} MB/s of CPU, ${(beforeMs / afterMs).toFixed(2)}x, findings ${identical ? "identical" : "DIFFERENT"}`,
);
