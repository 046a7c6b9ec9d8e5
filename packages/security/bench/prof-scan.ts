// Scans of N cuad_train report contracts joined (after one warm-up scan), CPU time per scan; with --profile FILE,
// a V8 CPU profile of the timed scans only (warm-up and loading left out), for chrome://inspect or a script.
//   nice -n 10 npx tsx bench/prof-scan.ts [all|structured] [N] [reps] [--profile /tmp/x.cpuprofile]
import os from "node:os";
import { PiiScanner } from "../src/pii/pii-scanner";
import { cpuPasses } from "./cpu-passes";
import { loadCuad } from "./legal-eval";
import { sharedDataDir } from "./pii-eval";

const args = process.argv.slice(2);
const at = args.indexOf("--profile");
const profileFile = at >= 0 ? args.splice(at, 2)[1] : undefined;
const [mode = "all", n = "30", reps = "3"] = args;
const text = loadCuad(sharedDataDir(import.meta.dirname), "report", Number(n)).map((c) => c.text).join("\n\n");
const scanner = new PiiScanner(mode === "structured" ? { names: false } : {});
const MB = Buffer.byteLength(text) / (1024 * 1024);
scanner.scan(text);
const times = await cpuPasses(Number(reps), () => scanner.scan(text), profileFile);
const best = Math.min(...times);
console.log(
  `${mode}, ${n} contracts joined (${MB.toFixed(2)} MB), load ${os.loadavg()[0]?.toFixed(1)}: CPU ms per scan ${times.map((t) => t.toFixed(0)).join(" ")}; best ${(MB / (best / 1000)).toFixed(2)} MB/s of CPU`,
);
