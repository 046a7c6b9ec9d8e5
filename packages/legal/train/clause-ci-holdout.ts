// The contracts the shipped clause model never trains on: test/clause-model.int.spec.ts checks a
// quality floor on them in CI (the figures that count come from the cross-validation).
import { contractFold } from "./cuad-data";

/** About 1 contract in 40 (12 of cuad_train's 405), by a fixed hash of the file name. */
export function isClauseCiHoldout(file: string): boolean {
  return contractFold(file, 40, "legal-clause-ci-holdout") === 0;
}
