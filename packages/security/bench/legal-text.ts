// Legal text through the scanner, on CUAD training contracts: npx tsx bench/legal-text.ts [tune|report] [n]
import { PiiScanner } from "../src/pii/pii-scanner";
import { evaluateLegalText, loadCuad } from "./legal-eval";
import { sharedDataDir } from "./pii-eval";

const part = process.argv[2] === "tune" ? "tune" : "report";
const n = Number(process.argv[3] ?? 50);
const scanner = new PiiScanner();
const r = evaluateLegalText(loadCuad(sharedDataDir(import.meta.dirname), part, n), (t) => scanner.scan(t));
console.log(`cuad_train (${part} part): ${r.contracts} contracts, ${(r.chars / 1048576).toFixed(1)} MB, ${(r.ms / 1000).toFixed(1)} s`);
console.log(`  headings touched by a finding        ${r.headingHits.length} of ${r.headings}`);
console.log(`  quoted defined terms touched          ${r.termHits.length} of ${r.terms}`);
console.log(`  CUAD party names found                ${r.partiesFound} of ${r.parties} (${((100 * r.partiesFound) / Math.max(1, r.parties)).toFixed(1)}%)`);
console.log(`    answers that name a party (role labels apart) ${r.namingPartiesFound} of ${r.namingParties} (${((100 * r.namingPartiesFound) / Math.max(1, r.namingParties)).toFixed(1)}%)`);
console.log(`  names typed both PERSON and ORGANIZATION ${r.typeSplits} (${r.splitMentions} mentions of the rarer type)`);
if (process.env.SHOW && part === "tune") {
  const show = (title: string, xs: readonly { text: string }[]): void => console.log(title, [...new Set(xs.map((x) => x.text))].slice(0, 80).join(" | "));
  show("HEADINGS:", r.headingHits);
  show("TERMS:", r.termHits);
  show("MISSED:", r.missedParties);
}
