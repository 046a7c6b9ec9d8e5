// aggregate-only counts of SEC misses per part (no strings printed)
import path from "node:path";
import { PiiScanner } from "../src/pii/pii-scanner";
import { shippedNameModel } from "../src/pii/model/shipped-name-model";
import { isKnownPlaceName } from "../src/pii/recognizers/lexicon-tags";
import { splitOf } from "./legal-eval";
import { loadJsonl, sharedDataDir, type GoldRecord } from "./pii-eval";
const data = sharedDataDir(import.meta.dirname);
const part = process.argv[2] ?? "report";
const keep = new PiiScanner();
const places = new PiiScanner({ keepJurisdictions: false });
const model = shippedNameModel();
const sec = (loadJsonl(path.join(data, "pii_sec_filings_ner/pii.jsonl")) as (GoldRecord & { doc: string })[]).filter((r) => splitOf(r.doc) === part);
const c: Record<string, number> = {};
const bump = (k: string) => (c[k] = (c[k] ?? 0) + 1);
for (const r of sec) {
  const f = keep.scan(r.text);
  const g = places.scan(r.text);
  const m = model!.spans(r.text);
  for (const t of r.text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const s = t.index, e = s + t[0].length;
    const gold = r.entities.find((x) => x.start < e && s < x.end);
    if (!gold || gold.role_term || gold.label === "MISC") continue;
    const hit = f.some((x) => x.start < e && s < x.end);
    if (hit) { bump(`${gold.label} hit`); continue; }
    const cap = /^\p{Lu}/u.test(t[0]) ? "cap" : /^\d/.test(t[0]) ? "num" : "low";
    const why = g.some((x) => x.start < e && s < x.end) ? "jurisdiction" : m.some((x) => x.start < e && s < x.end) ? "model-dropped" : "none";
    bump(`${gold.label} miss ${why} ${cap}`);
    if (why === "none" && gold.label === "LOC") {
      const gt = r.text.slice(gold.start, gold.end);
      const win = r.text.slice(Math.max(0, gold.start - 60), gold.end + 60);
      bump(`  LOCnone entityKnownPlace=${isKnownPlaceName(gt)} tokKnown=${isKnownPlaceName(t[0])} zipNear=${/\b\d{5}\b/.test(win)} streetNear=${/\b(?:Street|Avenue|Road|Drive|Suite|Floor|Boulevard)\b/.test(win)} prep=${/\b(?:in|at|of|to|from)\s+(?:the\s+)?$/i.test(r.text.slice(Math.max(0, gold.start - 12), gold.start))} len=${gt.split(" ").length}`);
    }
  }
  for (const x of f) {
    const any = r.entities.some((e) => x.start < e.end && e.start < x.end && !e.role_term);
    if (!any) bump(`FP ${x.type} ${x.recognizer}`);
  }
}
console.log(Object.entries(c).sort().map(([k, v]) => `${k}: ${v}`).join("\n"));
