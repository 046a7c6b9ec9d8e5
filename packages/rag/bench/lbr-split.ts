// The fixed split of the public LegalBench-RAG-style documents used to tune the answer ranker
// (`tune`: its training data and thresholds may look at these) and to report on it (`report`:
// nothing is tuned on them). By SHA-256 of the corpus-relative file name, so it never moves.
import { createHash } from "node:crypto";

export type SplitHalf = "tune" | "report";

export function splitOf(file: string): SplitHalf {
  const byte = createHash("sha256").update(`bear-answer-split-v1|${file}`).digest()[0]!;
  return byte % 2 === 0 ? "tune" : "report";
}
