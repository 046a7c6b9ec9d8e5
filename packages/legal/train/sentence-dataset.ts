// The CUAD contracts as one sparse matrix of sentences: hashed features, rule scores and labels.
import { CUAD_CATEGORIES, ContractDocument, RuleClauseClassifier, type CuadCategory } from "../src/index";
import { documentFeatures } from "../src/classification/clause-model/document-features";
import type { ContextOptions } from "../src/classification/clause-model/sentence-contexts";
import type { CuadContract } from "./cuad-data";

export interface SentenceDataset {
  readonly hashBits: number;
  readonly categories: readonly CuadCategory[];
  readonly size: number;
  /** CSR: the hashed features of sentence i are indices[offsets[i] .. offsets[i+1]). */
  readonly offsets: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
  /** [i * R + r]: rule score of sentence i for CUAD category r. */
  readonly rules: Float32Array;
  /** [i * C + c] = 1 when sentence i overlaps a gold span of category c. */
  readonly labels: Uint8Array;
  /** Contract of each sentence (index into `contracts`). */
  readonly contractOf: Int32Array;
  /** Clause of each sentence (its index in the contract's ContractDocument). */
  readonly clauseOf: Int32Array;
  readonly spans: readonly { start: number; end: number }[];
  readonly contracts: readonly CuadContract[];
  /** Every gold span: its category and the sentences that overlap it. */
  readonly goldSpans: readonly { contract: number; category: number; sentences: Int32Array }[];
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

export function buildDataset(contracts: readonly CuadContract[], hashBits: number, options: ContextOptions = {}, onProgress?: (done: number) => void): SentenceDataset {
  const rules = new RuleClauseClassifier();
  const categories = CUAD_CATEGORIES;
  const C = categories.length;
  const R = CUAD_CATEGORIES.length;
  const offsets: number[] = [0];
  const indexChunks: Int32Array[] = [];
  const values: number[] = [];
  const ruleRows: Float32Array[] = [];
  const labelRows: Uint8Array[] = [];
  const contractOf: number[] = [];
  const clauseOf: number[] = [];
  const spans: { start: number; end: number }[] = [];
  const goldSpans: { contract: number; category: number; sentences: Int32Array }[] = [];
  let nnz = 0;
  contracts.forEach((contract, ci) => {
    const sentences = documentFeatures(new ContractDocument(contract.text), rules, hashBits, options);
    const first = spans.length;
    for (const s of sentences) {
      indexChunks.push(s.features.indices);
      nnz += s.features.indices.length;
      offsets.push(nnz);
      values.push(s.features.value);
      ruleRows.push(s.features.rules);
      labelRows.push(new Uint8Array(C));
      contractOf.push(ci);
      clauseOf.push(s.clauseIndex);
      spans.push({ start: s.span.start, end: s.span.end });
    }
    categories.forEach((cat, c) => {
      for (const alts of contract.gold.get(cat) ?? []) {
        const hit: number[] = [];
        for (let i = first; i < spans.length; i++) if (alts.some((a) => overlaps(a, spans[i]!))) hit.push(i);
        for (const i of hit) labelRows[i]![c] = 1;
        goldSpans.push({ contract: ci, category: c, sentences: Int32Array.from(hit) });
      }
    });
    onProgress?.(ci + 1);
  });
  const indices = new Int32Array(nnz);
  let at = 0;
  for (const chunk of indexChunks) {
    indices.set(chunk, at);
    at += chunk.length;
  }
  const n = spans.length;
  const ruleArr = new Float32Array(n * R);
  ruleRows.forEach((r, i) => ruleArr.set(r, i * R));
  const labels = new Uint8Array(n * C);
  labelRows.forEach((l, i) => labels.set(l, i * C));
  return {
    hashBits,
    categories,
    size: n,
    offsets: Int32Array.from(offsets),
    indices,
    values: Float32Array.from(values),
    rules: ruleArr,
    labels,
    contractOf: Int32Array.from(contractOf),
    clauseOf: Int32Array.from(clauseOf),
    spans,
    contracts,
    goldSpans,
  };
}
