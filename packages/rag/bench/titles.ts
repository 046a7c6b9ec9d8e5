// Document titles against CUAD's human "Document Name" answers (cuad_train, 405 contracts), on
// the two fixed halves of the contracts (tune / report, by SHA-256 of the file name), plus the
// titles of the LegalBench-RAG corpus and how many carry personal data or a label line.
//   npx tsx bench/titles.ts [--show-misses]
import fs from "node:fs";
import path from "node:path";
import { detectMetadata } from "../src/chunking/document-metadata";
import { holdsPersonalData, titleFromFileName } from "../src/chunking/document-title";
import { splitOf } from "./lbr-split";

const shared = fs.realpathSync(path.resolve(import.meta.dirname, "../../../../shared/data"));
const norm = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();

/**
 * The title names the document when it equals one of the gold names, holds it whole (titles are at
 * most 120 characters, so this is never a paragraph: "Goosehead Insurance Agency, LLC Franchise
 * Agreement" for "FRANCHISE AGREEMENT"), or is most of it.
 */
export function titleMatches(title: string, goldNames: readonly string[]): boolean {
  const t = norm(title);
  return goldNames.some((g) => {
    const n = norm(g);
    if (!n || !t) return false;
    if (t === n || t.includes(n)) return true;
    const [short, long] = t.length < n.length ? [t, n] : [n, t];
    return long.includes(short) && short.length / long.length >= 0.6;
  });
}

const show = process.argv.includes("--show-misses");
const tally = { tune: { n: 0, ok: 0 }, report: { n: 0, ok: 0 } };
const t0 = performance.now();
for (const line of fs.readFileSync(path.join(shared, "cuad_train/clauses.jsonl"), "utf8").split("\n")) {
  if (!line.includes('"category": "Document Name"')) continue;
  const r = JSON.parse(line) as { file: string; answer: string };
  const text = fs.readFileSync(path.join(shared, "cuad_train/full_contract_txt", r.file), "utf8");
  const title = detectMetadata(text, undefined, r.file).title;
  const ok = titleMatches(title, r.answer.split(/\n+/));
  const half = tally[splitOf(`cuad/${r.file}`)];
  half.n++;
  if (ok) half.ok++;
  else if (show && splitOf(`cuad/${r.file}`) === "tune") console.log(`miss: ${JSON.stringify(title)} vs ${JSON.stringify(r.answer)}`);
}
const ms = performance.now() - t0;
const pct = (x: { n: number; ok: number }): string => `${((x.ok / x.n) * 100).toFixed(1)}% of ${x.n}`;
console.log(`Titles vs CUAD "Document Name" (cuad_train): tune half ${pct(tally.tune)}, report half ${pct(tally.report)}  (${((tally.tune.n + tally.report.n) / (ms / 1000)).toFixed(0)} documents/s)`);

let bad = 0;
let total = 0;
let fromFileName = 0;
for (const sub of ["cuad", "contractnli"]) {
  for (const f of fs.readdirSync(path.join(shared, "legalbench_rag/corpus", sub))) {
    const title = detectMetadata(fs.readFileSync(path.join(shared, "legalbench_rag/corpus", sub, f), "utf8"), undefined, f).title;
    total++;
    if (title === titleFromFileName(f)) {
      fromFileName++;
      continue;
    }
    const wrong = holdsPersonalData(title) || /^(?:exhibit|quicklinks)\b|:$/i.test(title) || title.length > 120;
    if (wrong) bad++;
    if (show && wrong) console.log(`${sub}/${f.slice(0, 50)} -> ${title}`);
  }
}
console.log(`LegalBench-RAG corpus: ${total} titles, ${fromFileName} from the file name, ${bad} an exhibit number, label line, paragraph or personal data`);
