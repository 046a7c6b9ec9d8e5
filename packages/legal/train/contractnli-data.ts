// Reads ContractNLI's public split (../shared/data/contractnli) for the checklist model and its bench.
// Training and benchmarks only: product code never reads evaluation data.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const CONTRACTNLI_DIR = path.resolve(import.meta.dirname, "../../../../shared/data/contractnli");
export type NliGold = "Entailment" | "Contradiction" | "NotMentioned";

export interface NliPair {
  readonly doc_id: number;
  readonly file: string;
  readonly category: string;
  readonly label: NliGold;
  readonly spans: readonly { readonly start: number; readonly end: number }[];
}

export interface NliDocument {
  readonly id: number;
  readonly file: string;
  readonly text: string;
  /** Hypothesis id (nda-N) → its pair. */
  readonly pairs: ReadonlyMap<string, NliPair>;
}

/**
 * The fixed split of the 51 public NDAs (a hash of the file name, about 60/40): "dev" is what the checklist
 * cues were written from and what the model is trained on; "check" is only ever scored.
 */
export function nliFold(file: string): "dev" | "check" {
  return parseInt(crypto.createHash("sha256").update(`legal-contractnli-fold|${file}`).digest("hex").slice(0, 8), 16) % 10 < 6 ? "dev" : "check";
}

/** A second, finer split inside a part (k folds by another hash of the file name), for cross-validation. */
export function innerFold(file: string, k: number): number {
  return parseInt(crypto.createHash("sha256").update(`legal-contractnli-inner|${file}`).digest("hex").slice(0, 8), 16) % k;
}

export function loadContractNli(): NliDocument[] {
  const pairs = fs
    .readFileSync(path.join(CONTRACTNLI_DIR, "nli.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as NliPair);
  const byDoc = new Map<number, Map<string, NliPair>>();
  for (const p of pairs) {
    const m = byDoc.get(p.doc_id) ?? new Map<string, NliPair>();
    m.set(p.category, p);
    byDoc.set(p.doc_id, m);
  }
  const raw = JSON.parse(fs.readFileSync(path.join(CONTRACTNLI_DIR, "contractnli_subset.json"), "utf8")) as { documents: { id: number; file_name: string; text: string }[] };
  return raw.documents
    .filter((d) => byDoc.has(d.id))
    .map((d) => ({ id: d.id, file: d.file_name, text: d.text, pairs: byDoc.get(d.id)! }))
    .sort((a, b) => a.file.localeCompare(b.file));
}

export const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;
