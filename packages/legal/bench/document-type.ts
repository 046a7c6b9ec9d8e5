// Agreement-type detection on the public data: CUAD contracts (gold = CUAD's contract-type label at the
// end of each file name, mapped to BEAR's types) and the ContractNLI NDAs (gold = nda).
//   npx tsx bench/document-type.ts [--detail]
import fs from "node:fs";
import path from "node:path";
import { ContractDocument, detectDocumentType, type DocumentType } from "../src/index";
import { CUAD_TRAIN_DIR } from "../train/cuad-data";

// CUAD's 25 contract types (its PDF folders; the last part of most file names) as BEAR types.
const CUAD_TYPE: readonly [RegExp, DocumentType][] = [
  [/non-?compet|confidential/i, "other"],
  [/licen[cs]e|franchise|intellectual property|\bIP\b/i, "licence"],
  [/suppl|distribut|reseller|manufactur/i, "supply_distribution"],
  [/service|consult|outsourc|hosting|maintenance|development|marketing|agency|transportation|promotion/i, "services"],
  [/affiliate|co-?branding|endorsement|sponsorship|strategic alliance|joint venture|collaboration/i, "other"],
];
const t0 = performance.now();
const detail = process.argv.includes("--detail");
const rows: { gold: DocumentType; got: DocumentType; name: string }[] = [];
for (const file of fs.readdirSync(path.join(CUAD_TRAIN_DIR, "full_contract_txt")).sort()) {
  const label = file.replace(/\.txt$/, "").split(/_|-EX-[\d.]+-|EX-[\d.]+-/).at(-1) ?? "";
  const gold = CUAD_TYPE.find(([re]) => re.test(label))?.[1];
  if (!gold) continue;
  const got = detectDocumentType(new ContractDocument(fs.readFileSync(path.join(CUAD_TRAIN_DIR, "full_contract_txt", file), "utf8"))).type;
  rows.push({ gold, got, name: file.slice(0, 60) });
}
const nli = JSON.parse(fs.readFileSync(path.resolve(CUAD_TRAIN_DIR, "../contractnli/contractnli_subset.json"), "utf8")) as { documents: { id: number; text: string }[] };
for (const d of nli.documents) rows.push({ gold: "nda", got: detectDocumentType(new ContractDocument(d.text)).type, name: `contractnli #${d.id}` });
const types = [...new Set(rows.map((r) => r.gold))];
console.log(`Agreement type on ${rows.length} public documents (CUAD cuad_train with a recognisable type label + ContractNLI NDAs)`);
console.log("| gold type           | documents | correct | accuracy | most common error |");
console.log("|---------------------|-----------|---------|----------|-------------------|");
for (const t of types) {
  const mine = rows.filter((r) => r.gold === t);
  const ok = mine.filter((r) => r.got === t).length;
  const errors = new Map<string, number>();
  for (const r of mine) if (r.got !== t) errors.set(r.got, (errors.get(r.got) ?? 0) + 1);
  const worst = [...errors].sort((a, b) => b[1] - a[1])[0];
  console.log(`| ${t.padEnd(19)} | ${String(mine.length).padStart(9)} | ${String(ok).padStart(7)} | ${((100 * ok) / mine.length).toFixed(1).padStart(7)}% | ${worst ? `${worst[0]} (${worst[1]})` : "-"} |`);
}
const ok = rows.filter((r) => r.gold === r.got).length;
console.log(`all: ${ok}/${rows.length} = ${((100 * ok) / rows.length).toFixed(1)}%; NDA precision: ${(() => { const p = rows.filter((r) => r.got === "nda"); return `${p.filter((r) => r.gold === "nda").length}/${p.length}`; })()}`);
if (detail) for (const r of rows) if (r.gold !== r.got) console.log(`${r.gold} -> ${r.got}: ${r.name}`);
console.log(`wall ${((performance.now() - t0) / 1000).toFixed(1)} s`);
