// Are the gold spans the first stage scores low (logit < -5 in every overlapping sentence) a unit
// problem (spans across sentences, list items cut from their lead-in, text past the token window) or a
// meaning problem? Tune folds (0-2) only:   nice -n 10 npx tsx train/low-score-diagnosis.ts
import { CUAD_CATEGORIES } from "../src/index";
import { tokenize } from "../src/classification/clause-model/sentence-features";
import { CLAUSE_CATEGORY_INDICES, DEFAULT_EXPERIMENT } from "./clause-model-experiment";
import { contractFold, loadCuad } from "./cuad-data";
import { stage1OutOfFold } from "./stage1-oof";

const contracts = loadCuad();
const log = (line: string) => process.stdout.write(`${line}\n`);
const o = stage1OutOfFold(DEFAULT_EXPERIMENT, log, contracts);
const C = o.categories.length;
const tune = new Set([0, 1, 2]);
const foldOf = contracts.map((c) => contractFold(c.file, 5));
// rebuild gold span char ranges in buildDataset order
const ranges: { start: number; end: number }[][] = [];
contracts.forEach((contract) => CUAD_CATEGORIES.forEach((cat) => { for (const alts of contract.gold.get(cat) ?? []) ranges.push([...alts]); }));
if (ranges.length !== o.goldSpans.length) throw new Error("mismatch");
const clauseCats = new Set(CLAUSE_CATEGORY_INDICES);
let total = 0, low = 0;
const stats: Record<string, number> = {};
const inc = (k: string) => (stats[k] = (stats[k] ?? 0) + 1);
const byCat = new Map<number, [number, number]>();
const examples: string[] = [];
o.goldSpans.forEach((g, k) => {
  if (!tune.has(foldOf[g.contract]!) || !clauseCats.has(g.category)) return;
  total++;
  const bc = byCat.get(g.category) ?? [0, 0]; bc[0]++;
  let best = -99;
  for (const i of g.sentences) best = Math.max(best, o.logits[i * C + g.category]!);
  if (g.sentences.length === 0) inc("no sentence overlaps");
  if (best >= -5) { byCat.set(g.category, bc); return; }
  low++; bc[1]++; byCat.set(g.category, bc);
  const r = ranges[k]![0]!;
  const text = contracts[g.contract]!.text;
  const len = r.end - r.start;
  inc(len < 100 ? "len<100" : len < 300 ? "len100-300" : len < 1000 ? "len300-1000" : "len>=1000");
  inc(`sentences=${Math.min(g.sentences.length, 4)}`);
  // longest overlapped sentence and whether the span lies beyond the 160-token window
  let beyond = false, maxLen = 0, frac = 0;
  for (const i of g.sentences) {
    const s = { start: o.starts[i]!, end: o.ends[i]! };
    maxLen = Math.max(maxLen, s.end - s.start);
    const before = text.slice(s.start, Math.max(s.start, r.start));
    if (tokenize(before, 100000).length >= 160) beyond = true;
    frac = Math.max(frac, (Math.min(s.end, r.end) - Math.max(s.start, r.start)) / (s.end - s.start));
  }
  if (beyond) inc("span starts beyond token 160 of its sentence");
  inc(maxLen > 2000 ? "sentence>2000ch" : maxLen > 800 ? "sentence800-2000ch" : "sentence<800ch");
  inc(frac < 0.3 ? "span covers <30% of best sentence" : "span covers >=30%");
  // neighbours score high?
  let nb = -99;
  for (const i of g.sentences) for (const j of [i - 1, i + 1]) if (j >= 0 && j < o.size && o.contractOf[j] === g.contract) nb = Math.max(nb, o.logits[j * C + g.category]!);
  if (nb > -2) inc("a neighbour sentence scores > -2");
  // previous sentence ends with colon (list item)
  const first = g.sentences[0];
  if (first !== undefined && first > 0 && /:\s*$/.test(text.slice(o.starts[first - 1]!, o.ends[first - 1]!))) inc("previous sentence ends with ':' (list item)");
  if (/^\s*\(?[a-z0-9ivx]{1,4}[.)]/i.test(text.slice(r.start, r.start + 8))) inc("span starts with item marker");
  // same contract, same category, another span found?
  const other = o.goldSpans.some((h, kk) => kk !== k && h.contract === g.contract && h.category === g.category && [...h.sentences].some((i) => o.logits[i * C + g.category]! > -1));
  if (other) inc("another span of this category in this contract scores > -1");
  if (examples.length < 40 && k % 7 === 0) examples.push(`[${o.categories[g.category]}] best ${best.toFixed(1)} :: ${text.slice(r.start, Math.min(r.end, r.start + 260)).replace(/\s+/g, " ")}`);
});
log(`tune folds: ${total} clause spans, ${low} (${((100 * low) / total).toFixed(1)}%) with best logit < -5`);
for (const [k, v] of Object.entries(stats).sort()) log(`  ${k}: ${v} (${((100 * v) / low).toFixed(1)}%)`);
log("by category (low/total):");
for (const [c, [t, l]] of [...byCat].sort((a, b) => b[1][1] - a[1][1])) log(`  ${o.categories[c]}: ${l}/${t}`);
log(examples.join("\n"));
