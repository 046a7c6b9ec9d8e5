// The SEC tune agreement scanned by a name model that never saw it (no SEC agreement in training: the shipped model
// learns from the tune agreement, so bench/quality.ts tune is in-sample for the model).
//   nice -n 10 npx tsx bench/sec-loao.ts [--errors] [--model file] [--doc | --doc=lines]   (--model caches the trained weights; --doc
//   also scores the agreement scanned as one document, as bear redact reads one, beside the sentence-by-sentence
//   scoring of bench/quality.ts)
import fs from "node:fs";
import { NameModel } from "../src/pii/model/name-model";
import { PiiScanner } from "../src/pii/pii-scanner";
import { cuadTrainingExamples, SHIPPED_SETTINGS, trainNameModel } from "../train/name-model-trainer";
import { presidioExamples } from "../train/name-data";
import { splitOf } from "./legal-eval";
import { asDocuments, evaluate, formatReport, loadJsonl, SEC_LABELS, sharedDataDir, type GoldRecord } from "./pii-eval";
import path from "node:path";

const data = sharedDataDir(import.meta.dirname);
/** --doc: the SEC agreements also scanned whole, sentences joined by a space; --doc=lines: a sentence per line. */
const DOC = process.argv.some((a) => a === "--doc" || a === "--doc=lines");
const DOC_SEPARATOR = process.argv.includes("--doc=lines") ? "\n" : " ";
const at = process.argv.indexOf("--model");
const cache = at > 0 ? process.argv[at + 1] : undefined;
let model: NameModel;
if (cache && fs.existsSync(cache)) model = NameModel.fromBytes(fs.readFileSync(cache), cache);
else {
  model = trainNameModel({ small: presidioExamples(data, "tune"), cuad: cuadTrainingExamples(data, SHIPPED_SETTINGS) }, SHIPPED_SETTINGS);
  if (cache) fs.writeFileSync(cache, model.toBytes());
}
const sec = (loadJsonl(path.join(data, "pii_sec_filings_ner/pii.jsonl")) as (GoldRecord & { doc: string })[]).filter((r) => splitOf(r.doc) === "tune");
if (DOC) {
  // the whole agreement as one text, as bear redact reads a document, scored sentence by sentence as bench/quality.ts does
  for (const keep of [true, false]) {
    const scanner = new PiiScanner({ nameModel: model, keepJurisdictions: keep });
    const r = evaluate(sec, asDocuments(sec, (x) => x.doc, (t) => scanner.scan(t), DOC_SEPARATOR), SEC_LABELS);
    console.log(formatReport(`SEC tune agreement as one document (keepJurisdictions ${keep})`, r).split("\n").slice(0, 2).join("\n"));
  }
}
for (const keep of [true, false]) {
  const scanner = new PiiScanner({ nameModel: model, keepJurisdictions: keep });
  console.log(formatReport(`SEC tune agreement, model without SEC (keepJurisdictions ${keep})`, evaluate(sec, (t) => scanner.scan(t), SEC_LABELS)));
  if (!process.argv.includes("--errors") || !keep) continue;
  for (const r of sec) {
    const f = scanner.scan(r.text);
    for (const e of r.entities) {
      if (e.role_term || e.label === "MISC") continue;
      if (!f.some((x) => x.start < e.end && e.start < x.end))
        console.log(`MISS ${e.label}: [${r.text.slice(e.start, e.end)}]  …${r.text.slice(Math.max(0, e.start - 60), e.start)}⟦${r.text.slice(e.start, e.end)}⟧${r.text.slice(e.end, e.end + 40)}`);
    }
    for (const x of f)
      if (!r.entities.some((e) => !e.role_term && x.start < e.end && e.start < x.end))
        console.log(`FP ${x.type}/${x.recognizer}: [${r.text.slice(x.start, x.end)}]  …${r.text.slice(Math.max(0, x.start - 50), x.start)}⟦${r.text.slice(x.start, x.end)}⟧${r.text.slice(x.end, x.end + 30)}`);
  }
}
