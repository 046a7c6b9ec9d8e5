// Contract-level k-fold cross-validation: every contract is scored by a model that never saw it.
import { contractFold } from "./cuad-data";
import { fitPlatt, linearScores, trainLogistic, type TrainOptions } from "./logistic-trainer";
import type { SentenceDataset } from "./sentence-dataset";

export interface CrossValidation {
  /** Out-of-fold raw scores z, [sentence * C + category]. */
  readonly logits: Float32Array;
  /** Out-of-fold calibrated probabilities (Platt fitted on the pooled out-of-fold scores). */
  readonly probabilities: Float32Array;
  readonly calibration: { readonly a: Float32Array; readonly b: Float32Array };
  readonly folds: number;
}

export function rowsWhere(data: SentenceDataset, keep: (contract: number) => boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < data.size; i++) if (keep(data.contractOf[i]!)) out.push(i);
  return Int32Array.from(out);
}

export function crossValidate(data: SentenceDataset, folds: number, opts: TrainOptions, log: (line: string) => void = () => undefined): CrossValidation {
  const C = data.categories.length;
  const foldOf = data.contracts.map((c) => contractFold(c.file, folds));
  const logits = new Float32Array(data.size * C);
  for (let f = 0; f < folds; f++) {
    const t0 = performance.now();
    const train = rowsWhere(data, (c) => foldOf[c] !== f);
    const test = rowsWhere(data, (c) => foldOf[c] === f);
    const w = trainLogistic(data, train, { ...opts, seed: opts.seed + f });
    const z = linearScores(data, test, w);
    test.forEach((row, p) => logits.set(z.subarray(p * C, (p + 1) * C), row * C));
    log(`fold ${f + 1}/${folds}: ${train.length} training sentences, ${test.length} held out (${new Set(Array.from(test, (r) => data.contractOf[r])).size} contracts), ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const a = new Float32Array(C);
  const b = new Float32Array(C);
  const probabilities = new Float32Array(data.size * C);
  for (let c = 0; c < C; c++) {
    const z = new Float32Array(data.size);
    const y = new Uint8Array(data.size);
    for (let i = 0; i < data.size; i++) {
      z[i] = logits[i * C + c]!;
      y[i] = data.labels[i * C + c]!;
    }
    const fit = fitPlatt(z, y);
    a[c] = fit.a;
    b[c] = fit.b;
    for (let i = 0; i < data.size; i++) probabilities[i * C + c] = 1 / (1 + Math.exp(-(fit.a * z[i]! + fit.b)));
  }
  return { logits, probabilities, calibration: { a, b }, folds };
}
