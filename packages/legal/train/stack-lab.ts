// Second-stage variants on the cached first-stage out-of-fold scores (about a minute each once cached):
//   nice -n 10 npx tsx train/stack-lab.ts [--sections=1] [--variants=base,cut8,hinge,readers,extra,…] [--iso] [--per-category] [--mix] [--nested-mix [--per-category-mix]]
//     [--shared=l2Shared:l2Delta:epochs:lr,…]
// --iso: isotonic maps per category fitted on the other folds; --per-category: label thresholds per
// category chosen on the other folds; --mix / --nested-mix: the second stage's logit mixed with the
// first stage's (fixed weights / weight chosen on the other folds); --shared: one second stage for
// all categories (shared weights + a per-category delta).
import { clauseMetrics, perCategoryThresholdMapped, type ClauseMetrics } from "./clause-metrics";
import { CLAUSE_CATEGORY_INDICES, DEFAULT_EXPERIMENT } from "./clause-model-experiment";
import { contractFold } from "./cuad-data";
import { plattCalibration } from "./platt-calibration";
import { DEFAULT_STACK, fitDense, scoredDocuments, type StackOptions } from "./second-stage";
import { seededRandom, shuffleInPlace } from "./logistic-trainer";
import { blendedOutOfFold } from "./stage1-oof";
import { loadCuad } from "./cuad-data";
import { ContractDocument } from "../src/index";
import { contextFeatureCount, contextFeatures, isStackCandidate } from "../src/classification/clause-model/context-features";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const log = (l: string) => process.stdout.write(`${l}\n`);
const { oof: o, linear, network } = blendedOutOfFold({ ...DEFAULT_EXPERIMENT, sections: arg("sections") === "1" }, log);
const C = o.categories.length;
const all = Int32Array.from({ length: o.size }, (_, i) => i);
const foldOf = o.contracts.map((c) => contractFold(c.file, o.folds));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const line = (name: string, m: ClauseMetrics) =>
  log(`${name}: macro F1 ${(100 * m.macroF1).toFixed(1)}, micro P ${(100 * (m.micro.precision ?? 0)).toFixed(1)} R ${(100 * (m.micro.recall ?? 0)).toFixed(1)} F1 ${(100 * (m.micro.f1 ?? 0)).toFixed(1)}, P@80%R ${(100 * (m.micro.precisionAt80Recall ?? 0)).toFixed(1)}`);
const report = (name: string, p: Float32Array) => {
  for (const t of [0.2, 0.3]) line(`${name} p >= ${t}`, clauseMetrics(o, p, all, CLAUSE_CATEGORY_INDICES, t));
};

interface Variant {
  readonly cut: number;
  readonly hinges: readonly number[];
  readonly readers: boolean;
  readonly extra: boolean;
  /** Context from the neighbouring clauses: every category's best score in the sentence's clause, and category c's best in the clauses before and after it. */
  readonly clauses?: boolean;
  /** Context from the section a clause sits in: its parent clause's and its top-level clause's best score for c, and the best of the rest of the section. */
  readonly sections?: boolean;
  readonly stack: StackOptions;
}

const LOW = -15;
const clamp = (z: number) => (z < LOW ? LOW : z > -LOW ? -LOW : z);

/** The shipped context features (src) with the variant's hinges and cut, then its extra columns. */
function features(v: Variant, docs: ReturnType<typeof scoredDocuments>, c: number): { x: Float32Array; F: number } {
  const shape = { hinges: v.hinges, candidateLogit: v.cut };
  const base = contextFeatureCount(C, shape);
  const F = base + (v.readers ? 6 : 0) + (v.extra ? 6 : 0) + (v.clauses ? C + 2 : 0) + (v.sections ? 3 : 0);
  const x = new Float32Array(o.size * F);
  for (const [docIndex, d] of docs.entries()) {
    const doc = d.doc;
    const n = doc.clauseOf.length;
    const shipped = contextFeatures(doc, c, d.maxima, shape);
    if (!v.readers && !v.extra && !v.clauses && !v.sections) {
      x.set(shipped, d.first * F);
      continue;
    }
    const z = new Float32Array(n);
    for (let i = 0; i < n; i++) z[i] = clamp(doc.logits[i * C + c]!);
    const clauseBest = new Map<number, number>();
    for (let i = 0; i < n; i++) clauseBest.set(doc.clauseOf[i]!, Math.max(clauseBest.get(doc.clauseOf[i]!) ?? LOW, z[i]!));
    // Every category's best score per clause (clauses are contiguous runs of sentences).
    const clauseMax = new Map<number, Float32Array>();
    if (v.clauses) for (let i = 0; i < n; i++) {
      const k = doc.clauseOf[i]!;
      let m = clauseMax.get(k);
      if (!m) clauseMax.set(k, (m = new Float32Array(C).fill(LOW)));
      for (let q = 0; q < C; q++) m[q] = Math.max(m[q]!, clamp(doc.logits[i * C + q]!));
    }
    const clauseIds = [...clauseMax.keys()];
    const tree = v.sections ? sectionTrees()[docIndex]! : undefined;
    const sectionBest = new Map<number, { best: number; second: number; bestClause: number }>();
    if (tree) for (let i = 0; i < n; i++) {
      const sec = tree.section[doc.clauseOf[i]!]!;
      if (sec < 0) continue;
      const e = sectionBest.get(sec) ?? { best: LOW, second: LOW, bestClause: -1 };
      if (z[i]! > e.best) {
        if (e.bestClause !== doc.clauseOf[i]) e.second = e.best;
        e.best = z[i]!;
        e.bestClause = doc.clauseOf[i]!;
      } else if (z[i]! > e.second && e.bestClause !== doc.clauseOf[i]) e.second = z[i]!;
      sectionBest.set(sec, e);
    }
    const clauseAt = new Map(clauseIds.map((k, j) => [k, j]));
    for (let i = 0; i < n; i++) {
      if (!isStackCandidate(doc.logits[i * C + c]!, doc.rules[i * C + c]!, v.cut)) continue;
      const row = x.subarray((d.first + i) * F, (d.first + i + 1) * F);
      row.set(shipped.subarray(i * base, (i + 1) * base));
      const zi = z[i]!;
      let f = base;
      if (v.readers) {
        const g = d.first + i;
        const zl = clamp(linear[g * C + c]!);
        const zn = clamp(network[g * C + c]!);
        row[f++] = zl;
        row[f++] = zn;
        row[f++] = zl - zn;
        row[f++] = Math.max(0, zl + 2);
        row[f++] = Math.max(0, zn + 2);
        row[f++] = Math.min(zl, zn);
      }
      if (v.extra) {
        const best = clauseBest.get(doc.clauseOf[i]!)!;
        const prev2 = i > 1 ? z[i - 2]! : LOW;
        const next2 = i + 2 < n ? z[i + 2]! : LOW;
        row[f++] = Math.max(prev2, next2);
        row[f++] = best;
        row[f++] = best === zi ? 1 : 0;
        row[f++] = i > 0 && doc.clauseOf[i - 1] !== doc.clauseOf[i] ? 1 : 0;
        row[f++] = sigmoid(zi) * sigmoid(d.maxima[c]!);
        row[f++] = Math.max(0, zi - best + 2);
      }
      if (v.clauses) {
        const j = clauseAt.get(doc.clauseOf[i]!)!;
        const m = clauseMax.get(doc.clauseOf[i]!)!;
        for (let q = 0; q < C; q++) row[f++] = q === c ? 0 : sigmoid(m[q]!);
        row[f++] = j > 0 ? clauseMax.get(clauseIds[j - 1]!)![c]! : LOW;
        row[f++] = j + 1 < clauseIds.length ? clauseMax.get(clauseIds[j + 1]!)![c]! : LOW;
      }
      if (tree) {
        const k = doc.clauseOf[i]!;
        const parent = tree.parent[k]!;
        const root = tree.section[k]!;
        row[f++] = parent >= 0 ? (clauseBest.get(parent) ?? LOW) : LOW;
        row[f++] = root >= 0 && root !== k ? (clauseBest.get(root) ?? LOW) : LOW;
        const e = root >= 0 ? sectionBest.get(root) : undefined;
        row[f++] = e === undefined ? LOW : e.bestClause === k ? e.second : e.best;
      }
    }
  }
  return { x, F };
}

/**
 * Per contract, per clause: its parent clause (nearest earlier clause whose number is a prefix of its
 * own: 7 for 7.2; for an unnumbered clause the last numbered one) and its section (the top-level
 * clause it sits under), −1 when none.
 */
let trees: { parent: Int32Array; section: Int32Array }[] | undefined;
function sectionTrees(): { parent: Int32Array; section: Int32Array }[] {
  if (trees) return trees;
  const texts = loadCuad();
  trees = o.contracts.map((c, k) => {
    if (texts[k]!.file !== c.file) throw new Error("contract order differs from the cache");
    const clauses = new ContractDocument(texts[k]!.text).clauses;
    const parent = new Int32Array(clauses.length).fill(-1);
    const section = new Int32Array(clauses.length).fill(-1);
    const byNumber = new Map<string, number>();
    let last = -1;
    for (const cl of clauses) {
      if (cl.number === undefined) {
        parent[cl.index] = last;
        section[cl.index] = last >= 0 ? section[last]! : -1;
        continue;
      }
      const parts = cl.number.replace(/\.$/, "").split(".");
      for (let q = parts.length - 1; q > 0 && parent[cl.index] === -1; q--) parent[cl.index] = byNumber.get(parts.slice(0, q).join(".")) ?? -1;
      section[cl.index] = parts.length > 1 ? (byNumber.get(parts[0]!) ?? cl.index) : cl.index;
      byNumber.set(parts.join("."), cl.index);
      last = cl.index;
    }
    return { parent, section };
  });
  return trees;
}

function crossValidate(v: Variant, platt: { a: Float32Array; b: Float32Array }): Float32Array {
  const docs = scoredDocuments(o);
  const rowsOf = (keep: (f: number) => boolean) => all.filter((i) => keep(foldOf[o.contractOf[i]!]!));
  const folds = Array.from({ length: o.folds }, (_, f) => ({ train: rowsOf((g) => g !== f), test: rowsOf((g) => g === f) }));
  const probabilities = new Float32Array(o.size * C);
  for (let c = 0; c < C; c++) for (let i = 0; i < o.size; i++) probabilities[i * C + c] = sigmoid(platt.a[c]! * o.logits[i * C + c]! + platt.b[c]!);
  for (const c of CLAUSE_CATEGORY_INDICES) {
    const { x, F } = features(v, docs, c);
    const candidate = (r: number) => isStackCandidate(o.logits[r * C + c]!, o.rules[r * C + c]!, v.cut);
    folds.forEach(({ train, test }, f) => {
      const { w, b } = fitDense(x, F, (r) => o.labels[r * C + c]!, train.filter(candidate), { ...v.stack, seed: v.stack.seed + 97 * c + f });
      for (const r of test) {
        if (!candidate(r)) continue;
        let z = b;
        for (let k = 0; k < F; k++) z += w[k]! * x[r * F + k]!;
        probabilities[r * C + c] = sigmoid(z);
      }
    });
  }
  return probabilities;
}

/**
 * One second stage for all categories: weights = shared + per-category delta (the delta penalised
 * harder), so rare categories borrow what the common ones learn about context.
 */
function crossValidateShared(v: Variant, platt: { a: Float32Array; b: Float32Array }, l2Shared: number, l2Delta: number, epochs: number, lr: number): Float32Array {
  const docs = scoredDocuments(o);
  const probabilities = new Float32Array(o.size * C);
  for (let c = 0; c < C; c++) for (let i = 0; i < o.size; i++) probabilities[i * C + c] = sigmoid(platt.a[c]! * o.logits[i * C + c]! + platt.b[c]!);
  // Candidate rows of every category, compact.
  const cats = CLAUSE_CATEGORY_INDICES;
  let F = 0;
  const rows: { c: number; r: number }[] = [];
  const chunks: Float32Array[] = [];
  for (const c of cats) {
    const m = features(v, docs, c);
    F = m.F;
    const mine: number[] = [];
    for (let r = 0; r < o.size; r++) if (isStackCandidate(o.logits[r * C + c]!, o.rules[r * C + c]!, v.cut)) mine.push(r);
    const chunk = new Float32Array(mine.length * F);
    mine.forEach((r, k) => chunk.set(m.x.subarray(r * F, (r + 1) * F), k * F));
    chunks.push(chunk);
    for (const r of mine) rows.push({ c, r });
  }
  const x = new Float32Array(rows.length * F);
  let at = 0;
  for (const ch of chunks) {
    x.set(ch, at);
    at += ch.length;
  }
  log(`shared stage: ${rows.length} candidate pairs, ${F} features`);
  const fold = Int32Array.from(rows, (q) => foldOf[o.contractOf[q.r]!]!);
  for (let f = 0; f < o.folds; f++) {
    const train = Int32Array.from({ length: rows.length }, (_, k) => k).filter((k) => fold[k] !== f);
    // Standardise per category on the training rows.
    const mean = new Float64Array(C * F), scale = new Float64Array(C * F), count = new Float64Array(C);
    const sq = new Float64Array(C * F);
    for (const k of train) {
      const c = rows[k]!.c;
      count[c]!++;
      for (let j = 0; j < F; j++) {
        const val = x[k * F + j]!;
        mean[c * F + j]! += val;
        sq[c * F + j]! += val * val;
      }
    }
    for (const c of cats) for (let j = 0; j < F; j++) {
      const n = Math.max(1, count[c]!);
      mean[c * F + j]! /= n;
      const sd = Math.sqrt(Math.max(0, sq[c * F + j]! / n - mean[c * F + j]! ** 2));
      scale[c * F + j] = sd > 1e-9 ? 1 / sd : 0;
    }
    const ws = new Float64Array(F), gs = new Float64Array(F).fill(1e-8);
    const wc = new Float64Array(C * F), gc = new Float64Array(C * F).fill(1e-8);
    const b = new Float64Array(C), gb = new Float64Array(C).fill(1e-8);
    const random = seededRandom(16 + f);
    const order = Int32Array.from(train);
    const xs = new Float64Array(F);
    for (let e = 0; e < epochs; e++) {
      shuffleInPlace(order, random);
      for (const k of order) {
        const { c, r } = rows[k]!;
        let z = b[c]!;
        for (let j = 0; j < F; j++) {
          xs[j] = (x[k * F + j]! - mean[c * F + j]!) * scale[c * F + j]!;
          z += (ws[j]! + wc[c * F + j]!) * xs[j]!;
        }
        const g = sigmoid(z) - o.labels[r * C + c]!;
        if (Math.abs(g) < 1e-4) continue;
        gb[c]! += g * g;
        b[c]! -= (lr * g) / Math.sqrt(gb[c]!);
        for (let j = 0; j < F; j++) {
          const g1 = g * xs[j]! + l2Shared * ws[j]!;
          gs[j]! += g1 * g1;
          ws[j]! -= (lr * g1) / Math.sqrt(gs[j]!);
          const g2 = g * xs[j]! + l2Delta * wc[c * F + j]!;
          gc[c * F + j]! += g2 * g2;
          wc[c * F + j]! -= (lr * g2) / Math.sqrt(gc[c * F + j]!);
        }
      }
    }
    for (let k = 0; k < rows.length; k++) {
      if (fold[k] !== f) continue;
      const { c, r } = rows[k]!;
      let z = b[c]!;
      for (let j = 0; j < F; j++) z += (ws[j]! + wc[c * F + j]!) * (x[k * F + j]! - mean[c * F + j]!) * scale[c * F + j]!;
      probabilities[r * C + c] = sigmoid(z);
    }
  }
  return probabilities;
}

/** Isotonic (PAV) per category, fitted on the other folds' out-of-fold probabilities. */
function isotonicInner(p: Float32Array): Float32Array {
  const out = new Float32Array(p.length);
  for (const c of CLAUSE_CATEGORY_INDICES) {
    for (let f = 0; f < o.folds; f++) {
      const train: number[] = [];
      for (let i = 0; i < o.size; i++) if (foldOf[o.contractOf[i]!] !== f) train.push(i);
      train.sort((a, b) => p[a * C + c]! - p[b * C + c]!);
      // PAV blocks: [sum y, count, max x]
      const ys: number[] = [], ns: number[] = [], xs: number[] = [];
      for (const i of train) {
        let y = o.labels[i * C + c]!, n = 1;
        const xv = p[i * C + c]!;
        while (ys.length > 0 && ys[ys.length - 1]! / ns[ns.length - 1]! >= y / n) {
          y += ys.pop()!;
          n += ns.pop()!;
          xs.pop();
        }
        ys.push(y);
        ns.push(n);
        xs.push(xv);
      }
      const vals = ys.map((y, k) => (y + 0.5 * 0.001) / (ns[k]! + 0.001));
      for (let i = 0; i < o.size; i++) {
        if (foldOf[o.contractOf[i]!] !== f) continue;
        const s = p[i * C + c]!;
        let lo = 0, hi = xs.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (xs[mid]! >= s) hi = mid;
          else lo = mid + 1;
        }
        out[i * C + c] = vals[lo]!;
      }
    }
  }
  return out;
}


const base: Variant = { cut: -6, hinges: [-6, -4, -2, 0, 2], readers: false, extra: false, stack: DEFAULT_STACK };
const variants: Record<string, Variant> = {
  base,
  cut8: { ...base, cut: -8 },
  cut5: { ...base, cut: -5 },
  hinge: { ...base, hinges: [-8, -6, -4, -3, -2, -1, 0, 1, 2, 4] },
  readers: { ...base, readers: true },
  extra: { ...base, extra: true },
  both: { ...base, readers: true, extra: true },
  l2_02: { ...base, stack: { ...DEFAULT_STACK, l2: 0.02 } },
  l2_1: { ...base, stack: { ...DEFAULT_STACK, l2: 0.1 } },
  ep10: { ...base, stack: { ...DEFAULT_STACK, epochs: 10 } },
  clauses: { ...base, clauses: true },
  sections: { ...base, sections: true },
  both2: { ...base, clauses: true, sections: true },
};
const first = plattCalibration(o.logits, o.labels, C);
report("first stage", first.probabilities);
for (const spec of (arg("shared") ?? "").split(",").filter(Boolean)) {
  // l2Shared:l2Delta:epochs:lr
  const [ls, ld, ep, lr] = spec.split(":").map(Number);
  const t0 = performance.now();
  const p = crossValidateShared(variants[arg("shared-variant") ?? "base"]!, first.calibration, ls!, ld!, ep!, lr!);
  log(`-- shared ${spec} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  report(`shared ${spec}`, p);
  if (process.argv.includes("--iso")) report(`shared ${spec} + isotonic`, isotonicInner(p));
  if (process.argv.includes("--per-category")) line(`shared ${spec}, per-category thresholds (inner folds)`, clauseMetrics(o, perCategoryThresholdMapped(o, p, CLAUSE_CATEGORY_INDICES, foldOf, o.folds), all, CLAUSE_CATEGORY_INDICES, 0.5));
}
for (const name of (arg("variants") ?? "base").split(",").filter(Boolean)) {
  const t0 = performance.now();
  const p = crossValidate(variants[name]!, first.calibration);
  log(`-- ${name} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  report(name, p);
  if (process.argv.includes("--iso")) report(`${name} + isotonic`, isotonicInner(p));
  if (process.argv.includes("--nested-mix")) {
    // The mix weight chosen on the other folds (P@80%R + macro F1 at 0.3 there), applied to each held-out fold.
    const lg = (q: number) => Math.log(Math.max(1e-7, q) / Math.max(1e-7, 1 - q));
    const grid = [0, 0.25, 0.4, 0.5, 0.6, 0.75, 1];
    // --rule-alone: pairs read only because a rule cue fired (first-stage logit at or below the cut) keep the second stage alone.
    const ruleAlone = process.argv.includes("--rule-alone");
    const mixes = grid.map((wgt) => Float32Array.from(p, (q, i) => (ruleAlone && o.logits[i]! <= -6 ? q : sigmoid(wgt * lg(q) + (1 - wgt) * lg(first.probabilities[i]!)))));
    const nested = new Float32Array(p.length);
    for (let f = 0; f < o.folds; f++) {
      const rows = all.filter((i) => foldOf[o.contractOf[i]!] !== f);
      const scores = mixes.map((m) => {
        const mm = clauseMetrics(o, m, rows, CLAUSE_CATEGORY_INDICES, 0.3);
        return (mm.micro.precisionAt80Recall ?? 0) + mm.macroF1;
      });
      const best = scores.indexOf(Math.max(...scores));
      log(`fold ${f}: mix weight ${grid[best]} (inner scores ${scores.map((x) => (100 * x).toFixed(1)).join(" ")})`);
      for (let i = 0; i < o.size; i++) if (foldOf[o.contractOf[i]!] === f) for (let c = 0; c < C; c++) nested[i * C + c] = mixes[best]![i * C + c]!;
    }
    report(`${name} mixed, weight chosen on inner folds`, nested);
    if (process.argv.includes("--per-category-mix")) {
      // Per category, the weight with the best F1 at 0.3 on the other folds (fallback: the global choice).
      const perCat = new Float32Array(p.length);
      const counts = new Map<number, number>();
      for (let f = 0; f < o.folds; f++) {
        const rows = all.filter((i) => foldOf[o.contractOf[i]!] !== f);
        const ms = mixes.map((m) => clauseMetrics(o, m, rows, CLAUSE_CATEGORY_INDICES, 0.3));
        CLAUSE_CATEGORY_INDICES.forEach((c, k) => {
          let best = 3;
          for (let g = 0; g < grid.length; g++) if ((ms[g]!.perCategory[k]!.f1 ?? 0) > (ms[best]!.perCategory[k]!.f1 ?? 0) + 0.005) best = g;
          counts.set(best, (counts.get(best) ?? 0) + 1);
          for (let i = 0; i < o.size; i++) if (foldOf[o.contractOf[i]!] === f) perCat[i * C + c] = mixes[best]![i * C + c]!;
        });
      }
      log(`per-category weights chosen: ${[...counts].map(([g, n]) => `${grid[g]}×${n}`).join(" ")}`);
      report(`${name} mixed, weight per category chosen on inner folds`, perCat);
      // Per category by F1 at 0.3 + that category's P@80%R on the other folds, the weight shrunk halfway to the global choice.
      const shrunk = new Float32Array(p.length);
      for (let f = 0; f < o.folds; f++) {
        const rows = all.filter((i) => foldOf[o.contractOf[i]!] !== f);
        const ms = mixes.map((m) => clauseMetrics(o, m, rows, CLAUSE_CATEGORY_INDICES, 0.3));
        const global = ms.map((m) => (m.micro.precisionAt80Recall ?? 0) + m.macroF1);
        const g0 = grid[global.indexOf(Math.max(...global))]!;
        CLAUSE_CATEGORY_INDICES.forEach((c, k) => {
          const score = ms.map((m) => (m.perCategory[k]!.f1 ?? 0) + (m.perCategory[k]!.precisionAt80Recall ?? 0));
          const wgt = (grid[score.indexOf(Math.max(...score))]! + g0) / 2;
          for (let i = 0; i < o.size; i++) if (foldOf[o.contractOf[i]!] === f) shrunk[i * C + c] = sigmoid(wgt * lg(p[i * C + c]!) + (1 - wgt) * lg(first.probabilities[i * C + c]!));
        });
      }
      report(`${name} mixed, weight per category (F1 + P@80%R) shrunk halfway to the global, chosen on inner folds`, shrunk);
      for (const [label, alt] of [["per-category", perCat], ["shrunk", shrunk]] as const) {
        const diffs = Array.from({ length: o.folds }, (_, f) => {
          const rows = all.filter((i) => foldOf[o.contractOf[i]!] === f);
          const a = clauseMetrics(o, nested, rows, CLAUSE_CATEGORY_INDICES, 0.3), b = clauseMetrics(o, alt, rows, CLAUSE_CATEGORY_INDICES, 0.3);
          return [b.macroF1 - a.macroF1, (b.micro.f1 ?? 0) - (a.micro.f1 ?? 0), (b.micro.precisionAt80Recall ?? 0) - (a.micro.precisionAt80Recall ?? 0)];
        });
        log(`${label} minus one weight, per outer fold (macro F1 / micro F1 / P@80%R): ${diffs.map((d) => d.map((x) => (100 * x).toFixed(1)).join("/")).join("  ")}`);
      }
    }
  }
  if (process.argv.includes("--mix")) {
    for (const wgt of [0.3, 0.5, 0.7]) {
      const mixed = new Float32Array(p.length);
      const lg = (q: number) => Math.log(Math.max(1e-7, q) / Math.max(1e-7, 1 - q));
      for (let i = 0; i < p.length; i++) mixed[i] = sigmoid(wgt * lg(p[i]!) + (1 - wgt) * lg(first.probabilities[i]!));
      report(`${name} mixed ${wgt} with the first stage (logit)`, mixed);
    }
  }
  if (process.argv.includes("--per-category")) line(`${name}, per-category thresholds (inner folds)`, clauseMetrics(o, perCategoryThresholdMapped(o, p, CLAUSE_CATEGORY_INDICES, foldOf, o.folds), all, CLAUSE_CATEGORY_INDICES, 0.5));
}
