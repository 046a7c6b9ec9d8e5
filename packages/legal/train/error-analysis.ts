// Where the shipped model's P@80%R goes, from the cached out-of-fold scores (no training): at the
// threshold that first reaches 80% recall, which categories hold the false positives, and which gold
// spans are still unfound — by category, by span length in sentences, by where the span starts in its
// clause, and by whether the clause's heading names the category (a heading cue of the lexicon fires).
//   nice -n 19 npx tsx train/error-analysis.ts [--scores=shipped|first|linear] [--folds=tune|all]
// --scores=linear reads the linear reader's cache alone (useful before the network caches exist).
// --folds=tune (default) analyses folds 1-4 only: fold 0 is the report fold, read once and never chosen on.
import { ContractDocument, DEFAULT_CLAUSE_LEXICON } from "../src/index";
import { CLAUSE_CATEGORY_INDICES, DEFAULT_EXPERIMENT } from "./clause-model-experiment";
import { contractFold, loadCuad } from "./cuad-data";
import type { OutOfFold } from "./out-of-fold";
import { plattCalibration } from "./platt-calibration";
import { crossValidateStack, DEFAULT_STACK, nestedMix } from "./second-stage";
import { blendedOutOfFold, stage1OutOfFold } from "./stage1-oof";

const log = (l: string) => process.stdout.write(`${l}\n`);
const which = process.argv.find((a) => a.startsWith("--scores="))?.slice(9) ?? "shipped";
const folds = process.argv.find((a) => a.startsWith("--folds="))?.slice(8) ?? "tune";
if (folds !== "tune" && folds !== "all") throw new Error(`--folds=${folds}: use tune (folds 1-4, the default) or all`);
const contracts = loadCuad();

function scores(): { o: OutOfFold; p: Float32Array } {
  if (which === "linear") {
    const o = stage1OutOfFold(DEFAULT_EXPERIMENT, log, contracts);
    return { o, p: plattCalibration(o.logits, o.labels, o.categories.length).probabilities };
  }
  const { oof: o } = blendedOutOfFold(DEFAULT_EXPERIMENT, log, contracts);
  const first = plattCalibration(o.logits, o.labels, o.categories.length);
  if (which === "first") return { o, p: first.probabilities };
  const second = crossValidateStack(o, CLAUSE_CATEGORY_INDICES, DEFAULT_STACK, first.calibration, log);
  return { o, p: nestedMix(o, second.logits, first.calibration, CLAUSE_CATEGORY_INDICES, DEFAULT_EXPERIMENT.threshold).probabilities };
}

const { o, p } = scores();
const C = o.categories.length;
const cats = CLAUSE_CATEGORY_INDICES;
/** Whether a contract is analysed: the scores are out of fold for all five, but only the tune folds may guide a choice. */
const inScope = (contract: number): boolean => folds === "all" || contractFold(o.contracts[contract]!.file, o.folds) !== 0;
log(`folds analysed: ${folds === "all" ? "all five (fold 0 is the report fold: read, do not choose from it)" : "1-4 (tune)"}`);

// Each gold span's best score; the highest threshold that still finds 80% of the spans.
const spans = o.goldSpans.filter((g) => cats.includes(g.category) && inScope(g.contract));
const best = spans.map((g) => g.sentences.reduce((m, i) => Math.max(m, p[i * C + g.category]!), 0));
const sorted = Float32Array.from(best).sort().reverse();
const threshold = sorted[Math.ceil(0.8 * spans.length) - 1]!;
let predicted = 0, right = 0;
const fpBy = new Map<number, number>();
const tpBy = new Map<number, number>();
for (let i = 0; i < o.size; i++)
  for (const c of cats) {
    if (p[i * C + c]! < threshold || !inScope(o.contractOf[i]!)) continue;
    predicted++;
    if (o.labels[i * C + c]) {
      right++;
      tpBy.set(c, (tpBy.get(c) ?? 0) + 1);
    } else fpBy.set(c, (fpBy.get(c) ?? 0) + 1);
  }
log(`\nscores: ${which}; threshold for 80% recall ${threshold.toExponential(3)}: ${predicted} predictions, ${right} right (P ${((100 * right) / predicted).toFixed(1)}), ${predicted - right} false positives`);

// Per-sentence clause heading (or the clause's opening line when it is a short title) and place in the clause.
const headingOf = new Map<number, string[]>();
const firstOfClause = new Int32Array(o.size);
{
  let i = 0;
  contracts.forEach((contract, k) => {
    const doc = new ContractDocument(contract.text);
    const heads: string[] = [];
    for (const clause of doc.clauses) {
      const opening = clause.sentences[0]?.quote ?? "";
      heads[clause.index] = [clause.heading ?? "", opening.length <= 100 ? opening : ""].join(" | ");
    }
    headingOf.set(k, heads);
    for (; i < o.size && o.contractOf[i] === k; i++) firstOfClause[i] = i > 0 && o.contractOf[i - 1] === k && o.clauseOf[i - 1] === o.clauseOf[i] ? firstOfClause[i - 1]! : i;
  });
}
const headingCues = new Map(cats.map((c) => [c, (DEFAULT_CLAUSE_LEXICON[o.categories[c]!]?.headings ?? []).map((h) => new RegExp(h.pattern, "i"))]));
const namesCategory = (i: number, c: number) => {
  const h = headingOf.get(o.contractOf[i]!)![o.clauseOf[i]!] ?? "";
  return headingCues.get(c)!.some((re) => re.test(h));
};

// Unfound spans by their shape.
type Tally = Map<string, { all: number; missed: number }>;
const tally = (t: Tally, key: string, missed: boolean) => {
  const e = t.get(key) ?? { all: 0, missed: 0 };
  e.all++;
  if (missed) e.missed++;
  t.set(key, e);
};
const byLength: Tally = new Map(), byPlace: Tally = new Map(), byHeading: Tally = new Map(), byCategory: Tally = new Map(), byClauses: Tally = new Map();
const missedBest: number[] = [];
spans.forEach((g, k) => {
  const missed = !(best[k]! >= threshold && best[k]! > 0);
  const n = g.sentences.length;
  tally(byLength, n === 0 ? "0 (no sentence)" : n === 1 ? "1" : n === 2 ? "2" : n <= 4 ? "3-4" : "5+", missed);
  if (n > 0) {
    const s0 = g.sentences[0]!;
    const place = s0 - firstOfClause[s0]!;
    tally(byPlace, place === 0 ? "clause's 1st sentence" : place === 1 ? "2nd" : place <= 4 ? "3rd-5th" : "6th+", missed);
    tally(byHeading, g.sentences.some((i) => namesCategory(i, g.category)) ? "heading names it" : "heading does not", missed);
    const clauses = new Set(Array.from(g.sentences, (i) => o.clauseOf[i]!)).size;
    tally(byClauses, clauses === 1 ? "one clause" : "crosses clauses", missed);
  }
  tally(byCategory, o.categories[g.category]!, missed);
  if (missed) missedBest.push(best[k]!);
});
const show = (title: string, t: Tally, sort = false) => {
  log(`\n${title}`);
  const rows = [...t.entries()];
  if (sort) rows.sort((a, b) => b[1].missed - a[1].missed);
  const totalMissed = [...t.values()].reduce((s, e) => s + e.missed, 0);
  for (const [k, e] of rows) log(`  ${k.padEnd(36)} spans ${String(e.all).padStart(5)}  unfound ${String(e.missed).padStart(5)} (${((100 * e.missed) / e.all).toFixed(1).padStart(5)}% of them, ${((100 * e.missed) / totalMissed).toFixed(1).padStart(5)}% of all unfound)`);
};
show("Unfound gold spans by category", byCategory, true);
show("by span length (sentences)", byLength);
show("by where the span starts in its clause", byPlace);
show("by whether the clause heading names the category (a lexicon heading cue)", byHeading);
show("by clauses spanned", byClauses);

// How far below the threshold the unfound spans are (logit gap).
const logit = (x: number) => Math.log(Math.max(1e-7, x) / Math.max(1e-7, 1 - x));
const gaps = missedBest.map((b) => logit(threshold) - logit(b)).sort((a, b) => a - b);
log(`\nunfound spans' best-sentence logit below the threshold: p25 ${gaps[Math.floor(gaps.length / 4)]!.toFixed(2)}, median ${gaps[Math.floor(gaps.length / 2)]!.toFixed(2)}, p75 ${gaps[Math.floor((3 * gaps.length) / 4)]!.toFixed(2)}`);

// False positives by category, with where they sit relative to gold of the same category.
log("\nFalse positives at that threshold by category (and right predictions beside them)");
let sameClause = 0, fpTotal = 0;
const fpRows = [...fpBy.entries()].sort((a, b) => b[1] - a[1]);
for (const [c, n] of fpRows) log(`  ${o.categories[c]!.padEnd(36)} FP ${String(n).padStart(5)} (${((100 * n) / (predicted - right)).toFixed(1).padStart(5)}%)  TP ${String(tpBy.get(c) ?? 0).padStart(5)}`);
// A false positive in a clause that holds a gold sentence of the same category: a near miss of the span's extent.
const clauseHasGold = new Set<string>();
for (let i = 0; i < o.size; i++) for (const c of cats) if (o.labels[i * C + c]) clauseHasGold.add(`${o.contractOf[i]}|${o.clauseOf[i]}|${c}`);
const contractHasGold = new Set(spans.map((g) => `${g.contract}|${g.category}`));
let inContractWithGold = 0, fpHeading = 0;
for (let i = 0; i < o.size; i++)
  for (const c of cats) {
    if (p[i * C + c]! < threshold || o.labels[i * C + c] || !inScope(o.contractOf[i]!)) continue;
    fpTotal++;
    if (clauseHasGold.has(`${o.contractOf[i]}|${o.clauseOf[i]}|${c}`)) sameClause++;
    if (contractHasGold.has(`${o.contractOf[i]}|${c}`)) inContractWithGold++;
    if (namesCategory(i, c)) fpHeading++;
  }
// Headroom of the metric: every predicted sentence of a span counts as right, so gold sentences left below the threshold in spans already found are precision not taken.
let goldPairs = 0, goldAbove = 0, goldBelowInFound = 0;
const foundSpan = new Set<string>();
spans.forEach((g, k) => {
  if (best[k]! >= threshold && best[k]! > 0) for (const i of g.sentences) foundSpan.add(`${i}|${g.category}`);
});
for (let i = 0; i < o.size; i++)
  for (const c of cats) {
    if (!o.labels[i * C + c] || !inScope(o.contractOf[i]!)) continue;
    goldPairs++;
    if (p[i * C + c]! >= threshold) goldAbove++;
    else if (foundSpan.has(`${i}|${c}`)) goldBelowInFound++;
  }
log(`\ngold (sentence, category) pairs: ${goldPairs}; above the threshold ${goldAbove}; below it but in a span already found ${goldBelowInFound} (all of them predicted: P ${((100 * (right + goldBelowInFound)) / (predicted + goldBelowInFound)).toFixed(1)} at the same recall)`);
log(`\nfalse positives: ${fpTotal}; in a clause holding a gold sentence of that category ${sameClause} (${((100 * sameClause) / fpTotal).toFixed(1)}%); in a contract with a gold span of it ${inContractWithGold} (${((100 * inContractWithGold) / fpTotal).toFixed(1)}%); under a heading naming it ${fpHeading} (${((100 * fpHeading) / fpTotal).toFixed(1)}%)`);
