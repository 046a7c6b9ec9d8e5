// Error analysis on the SEC tune part (never the report part):
//   npx tsx bench/sec-errors.ts [keep|places] [--model file] [--summary]
// Lists the misses and false positives; --summary prints only their token counts by kind (gold label, and whether
// keepJurisdictions: false finds the token; our type and recognizer), the types of what is missed without the
// records. --model scans with other weights (bench/sec-loao.ts --model writes ones that never saw the tune agreement:
// the shipped model learned from it, so its misses there are in-sample).
import fs from "node:fs";
import path from "node:path";
import { NameModel } from "../src/pii/model/name-model";
import { PiiScanner } from "../src/pii/pii-scanner";
import { splitOf } from "./legal-eval";
import { loadJsonl, sharedDataDir, type GoldRecord } from "./pii-eval";

const data = sharedDataDir(import.meta.dirname);
const at = process.argv.indexOf("--model");
const file = at > 0 ? process.argv[at + 1] : undefined;
const model = file ? NameModel.fromBytes(fs.readFileSync(file), file) : true;
const summary = process.argv.includes("--summary");
const scanner = new PiiScanner({ nameModel: model, keepJurisdictions: process.argv[2] !== "places" });
const places = new PiiScanner({ nameModel: model, keepJurisdictions: false });
const sec = (loadJsonl(path.join(data, "pii_sec_filings_ner/pii.jsonl")) as (GoldRecord & { doc: string })[]).filter((r) => splitOf(r.doc) === "tune");
const missed = new Map<string, number>();
const flagged = new Map<string, number>();
let found = 0;
const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
for (const r of sec) {
  const f = scanner.scan(r.text);
  if (summary) {
    const p = places.scan(r.text);
    for (const t of r.text.matchAll(/[\p{L}\p{N}]+/gu)) {
      const s = t.index;
      const e = s + t[0].length;
      const g = r.entities.find((x) => x.start < e && s < x.end);
      if (g?.label === "MISC") continue;
      const hit = f.find((x) => x.start < e && s < x.end);
      if (g && !g.role_term && hit) found++;
      else if (g && !g.role_term) bump(missed, `${g.label}${p.some((x) => x.start < e && s < x.end) ? " (a jurisdiction, kept by policy)" : ""}`);
      else if (hit) bump(flagged, `${hit.type}/${hit.recognizer}${g?.role_term ? " (role term)" : ""}`);
    }
    continue;
  }
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
if (summary) {
  const list = (m: Map<string, number>): string => [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(", ");
  console.log(`SEC tune agreement, tokens: ${found} found; missed ${[...missed.values()].reduce((a, b) => a + b, 0)}: ${list(missed)}`);
  console.log(`  flagged, not gold ${[...flagged.values()].reduce((a, b) => a + b, 0)}: ${list(flagged)}`);
}
