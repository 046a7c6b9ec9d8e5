// temp: findings snapshot for identity checks
import fs from "node:fs";
import path from "node:path";
import { PiiScanner } from "../src/pii/pii-scanner";
import { loadCuad } from "./legal-eval";
import { loadJsonl, sharedDataDir } from "./pii-eval";
const data = sharedDataDir(import.meta.dirname);
const texts = [
  ...loadJsonl(path.join(data, "pii_presidio_synth/pii.jsonl")).map((r) => r.text),
  ...loadJsonl(path.join(data, "pii_sec_filings_ner/pii.jsonl")).map((r) => r.text),
  ...loadCuad(data, "tune", 40).map((c) => c.text),
];
const s = new PiiScanner();
const out = texts.map((t) => s.scan(t).map((f) => `${f.type}:${f.start}:${f.end}:${f.score.toFixed(3)}:${f.recognizer}`).join("|"));
fs.writeFileSync(process.argv[2] ?? "/tmp/snap.txt", out.join("\n"));
