// Findings fingerprints: one SHA-256 per data set and scanner mode over every finding (type, span, score, recognizer).
// A speed change must leave them unchanged: run before and after, compare the lines.
//   nice -n 10 npx tsx bench/findings-fingerprint.ts [--dump dir] [--bundle file]   (--dump writes one line of findings
//   per text; --bundle scans with the PiiScanner of a build, e.g. main's as bench/bundle-ab.ts builds it)
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PiiScanner, type PiiScannerOptions } from "../src/pii/pii-scanner";
import { loadCuad } from "./legal-eval";
import { loadJsonl, sharedDataDir } from "./pii-eval";

const data = sharedDataDir(import.meta.dirname);
const dumpAt = process.argv.indexOf("--dump");
const dumpDir = dumpAt > 0 ? process.argv[dumpAt + 1] : undefined;
const sets: [string, string[]][] = [
  ["presidio", loadJsonl(path.join(data, "pii_presidio_synth/pii.jsonl")).map((r) => r.text)],
  ["sec", loadJsonl(path.join(data, "pii_sec_filings_ner/pii.jsonl")).map((r) => r.text)],
  ["cuad100", [...loadCuad(data, "tune", 50), ...loadCuad(data, "report", 50)].map((c) => c.text)],
];
const bundleAt = process.argv.indexOf("--bundle");
type Scanner = { scan(text: string): { type: string; start: number; end: number; score: number; recognizer: string }[] };
const Scanner = (
  bundleAt > 0 ? ((await import(pathToFileURL(path.resolve(process.argv[bundleAt + 1] ?? "")).href)) as { PiiScanner: new (o?: PiiScannerOptions) => Scanner }).PiiScanner : PiiScanner
) as new (o?: PiiScannerOptions) => Scanner;
const modes: [string, Scanner][] = [
  ["all", new Scanner()],
  ["structured", new Scanner({ names: false })],
];
if (dumpDir) fs.mkdirSync(dumpDir, { recursive: true });
for (const [set, texts] of sets) {
  for (const [mode, scanner] of modes) {
    const lines = texts.map((t) => scanner.scan(t).map((f) => `${f.type}:${f.start}:${f.end}:${f.score}:${f.recognizer}`).join("|"));
    const digest = createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16);
    const count = lines.reduce((s, l) => s + (l ? l.split("|").length : 0), 0);
    console.log(`${set.padEnd(9)} ${mode.padEnd(10)} texts ${String(texts.length).padStart(5)} findings ${String(count).padStart(6)} ${digest}`);
    if (dumpDir) fs.writeFileSync(path.join(dumpDir, `${set}-${mode}.txt`), lines.join("\n"));
  }
}
