// The contracts the shipped clause model never trains on: test/clause-model.int.spec.ts checks a
// quality floor on them in CI (the figures that count come from the cross-validation).
import { contractFold } from "./cuad-data";
import type { SentenceDataset } from "./sentence-dataset";

/** About 1 contract in 40 (12 of cuad_train's 405), by a fixed hash of the file name. */
export function isClauseCiHoldout(file: string): boolean {
  return contractFold(file, 40, "legal-clause-ci-holdout") === 0;
}

/** The sentences the shipped file learns from: those of every contract but the CI hold-out. */
export function shippedTrainingRows(data: SentenceDataset): Int32Array {
  const held = data.contracts.map((c) => isClauseCiHoldout(c.file));
  return Int32Array.from({ length: data.size }, (_, i) => i).filter((i) => !held[data.contractOf[i]!]);
}
