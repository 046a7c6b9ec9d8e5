// The name model's effect on the whole scanner, by part of the fixed split: npx tsx bench/name-model-ab.ts [tune|report]
// (with and without the model, same data, same scoring as bench/quality.ts and bench/legal-text.ts)
import path from "node:path";
import { PiiScanner } from "../src/pii/pii-scanner";
import { evaluateLegalText, loadCuad, splitOf } from "./legal-eval";
import { evaluate, loadJsonl, PRESIDIO_LABELS, SEC_LABELS, sharedDataDir, type GoldRecord } from "./pii-eval";

const part = process.argv[2] === "report" ? "report" : "tune";
const data = sharedDataDir(import.meta.dirname);
const presidio = (loadJsonl(path.join(data, "pii_presidio_synth/pii.jsonl")) as (GoldRecord & { template_id: number })[]).filter(
  (r) => splitOf(`presidio-template-${r.template_id}`) === part,
);
const sec = (loadJsonl(path.join(data, "pii_sec_filings_ner/pii.jsonl")) as (GoldRecord & { doc: string })[]).filter((r) => splitOf(r.doc) === part);
const cuad = loadCuad(data, part, 50);
const f = (x: number): string => x.toFixed(3);
for (const nameModel of [false, true]) {
  const s = new PiiScanner({ nameModel });
  const places = new PiiScanner({ nameModel, keepJurisdictions: false });
  const p = evaluate(presidio, (t) => s.scan(t), PRESIDIO_LABELS);
  const q = evaluate(sec, (t) => s.scan(t), SEC_LABELS).overall;
  const q2 = evaluate(sec, (t) => places.scan(t), SEC_LABELS).overall;
  const c = evaluateLegalText(cuad, (t) => s.scan(t));
  console.log(
    `${part} model=${nameModel ? "on " : "off"}  presidio P ${f(p.overall.precision)} R ${f(p.overall.recall)} F2 ${f(p.overall.f2)} | SEC P ${f(q.precision)} R ${f(q.recall)} (places too: P ${f(q2.precision)} R ${f(q2.recall)}) | CUAD headings ${c.headingHits.length}/${c.headings} terms ${c.termHits.length}/${c.terms} parties ${c.partiesFound}/${c.parties} (${((100 * c.partiesFound) / c.parties).toFixed(1)}%) ${(c.chars / 1048576 / (c.ms / 1000)).toFixed(2)} MB/s`,
  );
  if (process.env.SHOW && part === "tune") {
    console.log("HEADINGS:", c.headingHits.map((h) => h.text).join(" | "));
    console.log("TERMS:", c.termHits.map((h) => h.text).join(" | "));
    console.log("MISSED:", c.missedParties.map((h) => h.text).slice(0, 60).join(" | "));
  }
}
