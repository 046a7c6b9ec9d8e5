// Shared by `npm run train` and bench/cuad-cv.ts: build the sentence dataset from cuad_train,
// cross-validate by contract, calibrate, and tabulate the model beside the rules on the same sentences.
import { CUAD_CATEGORIES, DOCUMENT_LEVEL_CATEGORIES } from "../src/index";
import { clauseMetrics, metricsTable, type ClauseMetrics } from "./clause-metrics";
import { crossValidate, type CrossValidation } from "./cross-validate";
import { loadCuad } from "./cuad-data";
import type { TrainOptions } from "./logistic-trainer";
import { buildDataset, type SentenceDataset } from "./sentence-dataset";

export interface ExperimentOptions extends TrainOptions {
  readonly hashBits: number;
  readonly folds: number;
  /** Label threshold on the calibrated probability for P / R / F1. */
  readonly threshold: number;
}

/** The settings `npm run train` uses (chosen on the cross-validation below; see the README). */
export const DEFAULT_EXPERIMENT: ExperimentOptions = { hashBits: 18, folds: 5, epochs: 4, learningRate: 0.5, l2: 1e-6, seed: 16, threshold: 0.3 };

export interface ExperimentResult {
  readonly data: SentenceDataset;
  readonly cv: CrossValidation;
  readonly model: ClauseMetrics;
  readonly rules: ClauseMetrics;
  readonly report: string;
}

/** Clause categories as bench/cuad.ts scores them (the document-level ones are key terms). */
export const CLAUSE_CATEGORY_INDICES = CUAD_CATEGORIES.map((c, i) => [c, i] as const)
  .filter(([c]) => !DOCUMENT_LEVEL_CATEGORIES.includes(c))
  .map(([, i]) => i);

export function runExperiment(opts: ExperimentOptions, log: (line: string) => void): ExperimentResult {
  const t0 = performance.now();
  const contracts = loadCuad();
  const data = buildDataset(contracts, opts.hashBits);
  log(`dataset: ${contracts.length} contracts, ${data.size} sentences, ${data.indices.length} hashed features (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const cv = crossValidate(data, opts.folds, opts, log);
  const all = Int32Array.from({ length: data.size }, (_, i) => i);
  const C = data.categories.length;
  const R = data.rules.length / data.size;
  const ruleScores = new Float32Array(data.size * C);
  for (let i = 0; i < data.size; i++) for (let c = 0; c < C; c++) ruleScores[i * C + c] = data.rules[i * R + c]!;
  const rules = clauseMetrics(data, ruleScores, all, CLAUSE_CATEGORY_INDICES, 0.5, true);
  const model = clauseMetrics(data, cv.probabilities, all, CLAUSE_CATEGORY_INDICES, opts.threshold);
  const setting = `${opts.folds}-fold contract-level CV (fold = hash of file name), seed ${opts.seed}, ${opts.epochs} epochs, lr ${opts.learningRate}, 2^${opts.hashBits} buckets`;
  const report = [
    metricsTable(model, `CUAD cuad_train: ${contracts.length} contracts, trained clause model, ${setting}; label threshold p >= ${opts.threshold}, unit = sentence`),
    "",
    metricsTable(rules, `Same contracts and sentences, rule/lexicon model alone (threshold 0.5; unscored sentences never count)`),
    "",
    "Label threshold sweep (model, out-of-fold):",
    ...[0.2, 0.3, 0.4, 0.5].map((t) => {
      const m = clauseMetrics(data, cv.probabilities, all, CLAUSE_CATEGORY_INDICES, t);
      return `  p >= ${t}: macro F1 ${(100 * m.macroF1).toFixed(1)}, micro P ${(100 * (m.micro.precision ?? 0)).toFixed(1)} R ${(100 * (m.micro.recall ?? 0)).toFixed(1)} F1 ${(100 * (m.micro.f1 ?? 0)).toFixed(1)}`;
    }),
    "",
    absenceTable(data, cv.probabilities, ruleScores, opts.threshold),
    "",
    calibrationTable(data, cv),
  ].join("\n");
  return { data, cv, model, rules, report };
}

/** Reliability of the calibrated out-of-fold probabilities: predicted vs observed rate per band. */
export function calibrationTable(data: SentenceDataset, cv: CrossValidation): string {
  const bands = [0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001];
  const n = new Array(bands.length - 1).fill(0);
  const sumP = new Array(bands.length - 1).fill(0);
  const pos = new Array(bands.length - 1).fill(0);
  const C = data.categories.length;
  for (let i = 0; i < data.size; i++)
    for (const c of CLAUSE_CATEGORY_INDICES) {
      const p = cv.probabilities[i * C + c]!;
      const b = bands.findIndex((x, k) => p >= x && p < bands[k + 1]!);
      n[b]++;
      sumP[b] += p;
      pos[b] += data.labels[i * C + c]!;
    }
  const lines = ["Calibration (out-of-fold, all clause categories): mean predicted probability vs observed share of positive sentences", "| band        | sentences×categories | predicted | observed |", "|-------------|----------------------|-----------|----------|"];
  for (let b = 0; b < n.length; b++) if (n[b] > 0) lines.push(`| ${bands[b]!.toFixed(2)}–${Math.min(1, bands[b + 1]!).toFixed(2)} | ${String(n[b]).padStart(20)} | ${(sumP[b] / n[b]).toFixed(3).padStart(9)} | ${(pos[b] / n[b]).toFixed(3).padStart(8)} |`);
  return lines.join("\n");
}

/**
 * The "missing clause" risks, held out: per category, how often "X is missing" would be reported for a
 * contract whose lawyers marked an X clause (no sentence reaches the label threshold), model vs rules.
 */
export function absenceTable(data: SentenceDataset, model: Float32Array, rules: Float32Array, threshold: number): string {
  const C = data.categories.length;
  const lines = [
    `"Missing clause" findings on contracts that have the clause (out-of-fold; model p >= ${threshold}, rules >= 0.5)`,
    "| category                            | contracts with it | model: reported missing | rules: reported missing |",
    "|-------------------------------------|-------------------|-------------------------|-------------------------|",
  ];
  for (const category of ["Cap on Liability", "Anti-Assignment", "Termination for Convenience", "Governing Law", "Expiration Date"]) {
    const c = data.categories.indexOf(category as never);
    const bestModel = new Float32Array(data.contracts.length);
    const bestRules = new Float32Array(data.contracts.length);
    for (let i = 0; i < data.size; i++) {
      const k = data.contractOf[i]!;
      bestModel[k] = Math.max(bestModel[k]!, model[i * C + c]!);
      bestRules[k] = Math.max(bestRules[k]!, rules[i * C + c]!);
    }
    let have = 0, missModel = 0, missRules = 0;
    data.contracts.forEach((contract, k) => {
      if ((contract.gold.get(category as never) ?? []).length === 0) return;
      have++;
      if (bestModel[k]! < threshold) missModel++;
      if (bestRules[k]! < 0.5) missRules++;
    });
    const pc = (n: number) => `${n} (${((100 * n) / Math.max(1, have)).toFixed(1)}%)`;
    lines.push(`| ${category.padEnd(35)} | ${String(have).padStart(17)} | ${pc(missModel).padStart(23)} | ${pc(missRules).padStart(23)} |`);
  }
  return lines.join("\n");
}
