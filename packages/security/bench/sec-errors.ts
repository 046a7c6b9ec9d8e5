// Error analysis on the SEC tune part (never the report part): npx tsx bench/sec-errors.ts [keep|places]
import path from "node:path";
import { PiiScanner } from "../src/pii/pii-scanner";
import { splitOf } from "./legal-eval";
import { loadJsonl, sharedDataDir, type GoldRecord } from "./pii-eval";

const data = sharedDataDir(import.meta.dirname);
const scanner = new PiiScanner({ keepJurisdictions: process.argv[2] !== "places" });
const sec = (loadJsonl(path.join(data, "pii_sec_filings_ner/pii.jsonl")) as (GoldRecord & { doc: string })[]).filter((r) => splitOf(r.doc) === "tune");
for (const r of sec) {
  const f = scanner.scan(r.text);
  for (const e of r.entities) {
    if (e.role_term || e.label === "MISC") continue;
    const hit = f.some((x) => x.start < e.end && e.start < x.end);
    if (!hit) console.log(`MISS ${e.label}: [${r.text.slice(e.start, e.end)}]  …${r.text.slice(Math.max(0, e.start - 60), e.start)}⟦${r.text.slice(e.start, e.end)}⟧${r.text.slice(e.end, e.end + 40)}`);
  }
  for (const x of f) {
    const g = r.entities.some((e) => !e.role_term && x.start < e.end && e.start < x.end);
    if (!g) console.log(`FP ${x.type}/${x.recognizer}: [${r.text.slice(x.start, x.end)}]  …${r.text.slice(Math.max(0, x.start - 50), x.start)}⟦${r.text.slice(x.start, x.end)}⟧${r.text.slice(x.end, x.end + 30)}`);
  }
}
