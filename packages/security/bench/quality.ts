// PII detection quality on the public sets, by part of a fixed hash split: npx tsx bench/quality.ts [tune|report] [--doc | --doc=lines]
// (--doc adds the SEC agreements scanned whole, beside the per-sentence figures the goal is quoted on)
// "tune" is the part rules were developed on; "report" is the part quoted as the result (never read for tuning).
import path from "node:path";
import { PiiScanner } from "../src/pii/pii-scanner";
import { splitOf } from "./legal-eval";
import { asDocuments, evaluate, formatReport, loadJsonl, PRESIDIO_LABELS, SEC_LABELS, sharedDataDir, type GoldRecord } from "./pii-eval";

const data = sharedDataDir(import.meta.dirname);
/** --doc: the SEC agreements also scanned whole, sentences joined by a space; --doc=lines: a sentence per line. */
const DOC = process.argv.some((a) => a === "--doc" || a === "--doc=lines");
const DOC_SEPARATOR = process.argv.includes("--doc=lines") ? "\n" : " ";
const scanner = new PiiScanner();
/** SEC annotators label governing-law places as LOC: the policy that redacts them is scored too. */
const placesToo = new PiiScanner({ keepJurisdictions: false });
const presidio = loadJsonl(path.join(data, "pii_presidio_synth/pii.jsonl")) as (GoldRecord & { template_id: number })[];
const sec = loadJsonl(path.join(data, "pii_sec_filings_ner/pii.jsonl")) as (GoldRecord & { doc: string })[];
const parts = process.argv[2] === "tune" || process.argv[2] === "report" ? [process.argv[2]] : (["report", "tune"] as const);
for (const part of parts) {
  const p = presidio.filter((r) => splitOf(`presidio-template-${r.template_id}`) === part);
  console.log(formatReport(`pii_presidio_synth (${part} part, by template)`, evaluate(p, (t) => scanner.scan(t), PRESIDIO_LABELS)));
  const s = sec.filter((r) => splitOf(r.doc) === part);
  console.log(formatReport(`pii_sec_filings_ner FIN5 (${part} part, by agreement; role terms not PII; jurisdictions kept)`, evaluate(s, (t) => scanner.scan(t), SEC_LABELS)));
  const o = evaluate(s, (t) => placesToo.scan(t), SEC_LABELS).overall;
  console.log(`  with keepJurisdictions: false   P ${o.precision.toFixed(3)}  R ${o.recall.toFixed(3)}  F1 ${o.f1.toFixed(3)}  F2 ${o.f2.toFixed(3)}`);
  if (DOC) {
    // beside the goal's per-sentence figures: each agreement scanned as one document (bench/pii-eval.ts asDocuments)
    for (const [label, sc] of [["jurisdictions kept", scanner], ["keepJurisdictions: false", placesToo]] as const) {
      const d = evaluate(s, asDocuments(s, (r) => r.doc, (t) => sc.scan(t), DOC_SEPARATOR), SEC_LABELS).overall;
      console.log(`  as whole agreements, ${label.padEnd(24)} P ${d.precision.toFixed(3)}  R ${d.recall.toFixed(3)}  F1 ${d.f1.toFixed(3)}  F2 ${d.f2.toFixed(3)}`);
    }
  }
}
console.log(`memory: rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);
