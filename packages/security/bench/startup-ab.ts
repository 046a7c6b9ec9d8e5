// What a new thread pays before its first scan (a one-shot `bear redact`, each PiiScanPool thread): CPU of importing a
// build, making a full PiiScanner and scanning one short text, each build in K fresh child processes, alternating
// (before, after, after, before, ...); medians compared, findings of the text compared. Build the bundles as
// bench/bundle-ab.ts says, one folder below the package (so that they find model/), then
//   nice -n 10 npx tsx bench/startup-ab.ts <before.mjs> <after.mjs> [K] [text file: a contract, the one-shot case]
// It also prints the JS heap in use after the scan (after a full GC).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [beforeFile = "dist/ab-before.mjs", afterFile = "dist/index.js", k = "8", textFile] = process.argv.slice(2);
const TEXT =
  textFile === undefined ? "Agreement between Acme Widgets, Inc. and Paul E. Schedler, 12 Main Street, Springfield, IL 62701. Call 415-555-0134." : fs.readFileSync(textFile, "utf8");
// the child: plain node on the bundle (no tsx in the way), CPU ms after the import and after the first scan
const child = `
const c = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const { PiiScanner } = await import(process.argv[1]);
const imported = c();
const found = new PiiScanner().scan(${JSON.stringify(TEXT)});
const scanned = c();
globalThis.gc();
console.log(JSON.stringify({ imported, scanned, heapMb: process.memoryUsage().heapUsed / 1048576, found: JSON.stringify(found) }));`;
interface Run {
  imported: number;
  scanned: number;
  heapMb: number;
  found: string;
}
const runs: Run[][] = [[], []];
for (let r = 0; r < Number(k); r++) {
  for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) {
    const file = pathToFileURL(path.resolve(i === 0 ? beforeFile : afterFile)).href;
    const out = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", child, file], { encoding: "utf8" });
    if (out.status !== 0) throw new Error(`child failed: ${out.stderr}`);
    runs[i]?.push(JSON.parse(out.stdout.trim().split("\n").pop() ?? "{}") as Run);
  }
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const [b, a] = runs as [Run[], Run[]];
const row = (label: string, rs: Run[]): string =>
  `${label}: import ${median(rs.map((x) => x.imported)).toFixed(0)} ms CPU, import + scanner + first scan ${median(rs.map((x) => x.scanned)).toFixed(0)} ms (${rs.map((x) => x.scanned.toFixed(0)).join(" ")}), heap after ${median(rs.map((x) => x.heapMb)).toFixed(1)} MB`;
console.log(`start-up of a full scanner and its first scan (${TEXT.length} characters), ${k} processes per build, load ${os.loadavg()[0]?.toFixed(1)}`);
console.log(row("before", b));
console.log(row("after ", a));
console.log(`${(median(b.map((x) => x.scanned)) / median(a.map((x) => x.scanned))).toFixed(2)}x, findings ${new Set([...b, ...a].map((x) => x.found)).size === 1 ? "identical" : "DIFFERENT"}`);
