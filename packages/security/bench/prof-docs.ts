// Per-document scans of N cuad_train report contracts (after one warm-up pass), CPU per pass, next to the same
// contracts joined into one text; with --profile FILE a V8 CPU profile of the timed per-document passes only.
//   nice -n 10 npx tsx bench/prof-docs.ts [all|structured] [N] [reps] [--profile /tmp/x.cpuprofile]
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import os from "node:os";
import { PiiScanner } from "../src/pii/pii-scanner";
import { loadCuad } from "./legal-eval";
import { sharedDataDir } from "./pii-eval";

const args = process.argv.slice(2);
const at = args.indexOf("--profile");
const profileFile = at >= 0 ? args.splice(at, 2)[1] : undefined;
const [mode = "structured", n = "30", reps = "3"] = args;
const docs = loadCuad(sharedDataDir(import.meta.dirname), "report", Number(n)).map((c) => c.text);
const joined = docs.join("\n\n");
const scanner = new PiiScanner(mode === "structured" ? { names: false } : {});
const MB = Buffer.byteLength(joined) / (1024 * 1024);
for (const d of docs) scanner.scan(d);
scanner.scan(joined);
const cpu = (f: () => void): number => {
  const u0 = process.cpuUsage();
  f();
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / 1000;
};
const session = new Session();
const perDoc: number[] = [];
const whole: number[] = [];
for (let r = 0; r < Number(reps); r++) {
  whole.push(cpu(() => scanner.scan(joined)));
  if (profileFile && r === 0) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
  }
  perDoc.push(cpu(() => docs.forEach((d) => scanner.scan(d))));
}
if (profileFile) {
  const { profile } = await session.post("Profiler.stop");
  fs.writeFileSync(profileFile, JSON.stringify(profile));
}
const rate = (ms: number[]): string => (MB / (Math.min(...ms) / 1000)).toFixed(2);
console.log(
  `${mode}, ${n} contracts (${MB.toFixed(2)} MB), load ${os.loadavg()[0]?.toFixed(1)}: per document ${perDoc.map((t) => t.toFixed(0)).join(" ")} ms (${rate(perDoc)} MB/s of CPU), joined ${whole.map((t) => t.toFixed(0)).join(" ")} ms (${rate(whole)} MB/s of CPU)`,
);
