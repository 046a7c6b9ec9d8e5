// Same-run A/B of two builds on the N report-part contracts joined into one text (the "large text" figure): least
// CPU time of alternating scans. Build the bundles as bench/bundle-ab.ts says, then
//   nice -n 10 npx tsx bench/joined-ab.ts dist/ab-before.mjs dist/index.js [all|structured] [contracts] [rounds]
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { PiiScanner as Scanner, PiiScannerOptions } from "../src/pii/pii-scanner";
import { loadCuad } from "./legal-eval";
import { sharedDataDir } from "./pii-eval";

const [beforeFile = "dist/ab-before.mjs", afterFile = "dist/index.js", mode = "all", count = "30", rounds = "5"] = process.argv.slice(2);
type ScannerClass = new (options?: PiiScannerOptions) => Scanner;
const load = async (file: string): Promise<ScannerClass> =>
  ((await import(pathToFileURL(path.resolve(import.meta.dirname, "..", file)).href)) as { PiiScanner: ScannerClass }).PiiScanner;
const options: PiiScannerOptions = mode === "structured" ? { names: false } : {};
const scanners = [new (await load(beforeFile))(options), new (await load(afterFile))(options)];
const text = loadCuad(sharedDataDir(import.meta.dirname), "report", Number(count)).map((c) => c.text).join("\n\n");
const MB = Buffer.byteLength(text) / (1024 * 1024);
const found = scanners.map((s) => JSON.stringify(s.scan(text))); // warm-up, and the findings compared
const best = [Infinity, Infinity];
for (let r = 0; r < Number(rounds); r++) {
  for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) {
    const u0 = process.cpuUsage();
    (scanners[i] as Scanner).scan(text);
    const u = process.cpuUsage(u0);
    best[i] = Math.min(best[i] as number, (u.user + u.system) / 1000);
  }
}
const rate = (ms: number): string => (MB / (ms / 1000)).toFixed(2);
console.log(
  `${count} contracts joined, ${MB.toFixed(2)} MB, ${mode}, load ${os.loadavg()[0]?.toFixed(1)}: before ${best[0]?.toFixed(0)} ms CPU (${rate(best[0] as number)} MB/s), after ${best[1]?.toFixed(0)} ms (${rate(best[1] as number)} MB/s), ${((best[0] as number) / (best[1] as number)).toFixed(2)}x, findings ${found[0] === found[1] ? "identical" : "DIFFERENT"}`,
);
