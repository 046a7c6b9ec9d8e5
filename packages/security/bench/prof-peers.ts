// Scans of the peers' generated corpus (bench/peers.ts) in 16 KiB documents, CPU per pass; --profile FILE writes a V8
// CPU profile of the timed passes only. Each timed pass is by a new scanner (nothing remembered from an earlier pass
// of the same documents carries over), after one warm-up pass. --bundle FILE takes PiiScanner from a build (line numbers of one module).
//   nice -n 10 npx tsx bench/prof-peers.ts [all|structured] [reps] [--bundle dist/index.js] [--profile /tmp/x.cpuprofile]
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PiiScanner, type PiiScannerOptions } from "../src/pii/pii-scanner";
import { cpuPasses } from "./cpu-passes";
import { corpus } from "./legal-corpus";

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const profileFile = flag("--profile");
const bundle = flag("--bundle");
const [mode = "structured", reps = "5"] = args;
type ScannerClass = new (options?: PiiScannerOptions) => { scan(text: string): unknown[] };
const Scanner: ScannerClass = bundle ? ((await import(pathToFileURL(path.resolve(bundle)).href)) as { PiiScanner: ScannerClass }).PiiScanner : PiiScanner;
const MiB = 1024 * 1024;
const text = corpus(MiB);
const DOC = 16 * 1024;
const docs: string[] = [];
for (let i = 0; i < text.length; i += DOC) docs.push(text.slice(i, i + DOC));
const options: PiiScannerOptions = mode === "structured" ? { names: false } : {};
const warm = new Scanner(options);
for (const d of docs) warm.scan(d);
const times = await cpuPasses(Number(reps), () => {
  const scanner = new Scanner(options);
  for (const d of docs) scanner.scan(d);
}, profileFile);
const best = Math.min(...times);
console.log(
  `${mode}, peers' corpus in ${docs.length} documents of 16 KiB (${(text.length / MiB).toFixed(2)} MiB), load ${os.loadavg()[0]?.toFixed(1)}: CPU ms per pass ${times.map((t) => t.toFixed(0)).join(" ")}; best ${(text.length / MiB / (best / 1000)).toFixed(2)} MB/s of CPU`,
);
