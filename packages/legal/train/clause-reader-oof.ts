// The clause reader (src/classification/clause-model/clause-reader.ts) trained and cross-validated by
// contract on the same folds as the first stage: one row per clause (its heading, opening and words, and
// its best rule score per category), labelled with every category a lawyer's span in it has. Its
// out-of-fold logits, spread over the clause's sentences, are cached like the readers' (seconds to read).
import { ContractDocument } from "../src/index";
import { clauseFeatures, type ClauseReaderWeights } from "../src/classification/clause-model/clause-reader";
import { crossValidate } from "./cross-validate";
import type { CuadContract } from "./cuad-data";
import { trainLogistic, type TrainOptions } from "./logistic-trainer";
import { readLogitsCache, writeLogitsCache } from "./network-oof-cache";
import { cacheFile, cacheKey, type OutOfFold } from "./out-of-fold";
import type { SentenceDataset } from "./sentence-dataset";
import { TrainingError } from "./training-options";
import fs from "node:fs";

export interface ClauseReaderOptions extends TrainOptions {
  /** Hash buckets of the clause reader: 2^bits rows (15: 1.3 MB as int8 in the file). */
  readonly bits: number;
}

export const DEFAULT_CLAUSE_READER: ClauseReaderOptions = { bits: 15, epochs: 4, learningRate: 0.5, l2: 1e-6, seed: 16 };

/** The code the clause reader's out-of-fold logits depend on beyond the first stage's (out-of-fold.ts SOURCES). */
const CLAUSE_READER_SOURCES = ["src/classification/clause-model/clause-reader.ts", "train/clause-reader-oof.ts", "train/logistic-trainer.ts", "train/cross-validate.ts"];

/** A clause matrix in the shape the linear trainer reads, and the clause row of every sentence of `o`. */
export interface ClauseDataset {
  readonly data: SentenceDataset;
  /** [sentence] → clause row. */
  readonly rowOf: Int32Array;
}

/**
 * One row per clause of every contract (clauses with sentences, in document order, as `o`'s sentences are
 * listed): hashed features, the clause's best rule score per category, and as labels every category any of
 * its sentences has in `o`.
 */
export function buildClauseDataset(contracts: readonly CuadContract[], o: Pick<OutOfFold, "size" | "categories" | "contractOf" | "clauseOf" | "labels" | "rules">, bits: number): ClauseDataset {
  const C = o.categories.length;
  const offsets: number[] = [0];
  const chunks: Int32Array[] = [];
  const values: number[] = [];
  const contractOf: number[] = [];
  const clauseOf: number[] = [];
  const rowOf = new Int32Array(o.size);
  const labels: number[] = [];
  const rules: number[] = [];
  let nnz = 0;
  let i = 0;
  contracts.forEach((contract, k) => {
    for (const clause of new ContractDocument(contract.text).clauses) {
      if (clause.sentences.length === 0) continue;
      const row = contractOf.length;
      const f = clauseFeatures(clause.heading, clause.sentences.map((s) => s.quote), bits);
      chunks.push(f.indices);
      nnz += f.indices.length;
      offsets.push(nnz);
      values.push(f.value);
      contractOf.push(k);
      clauseOf.push(clause.index);
      const label = new Uint8Array(C);
      const best = new Float32Array(C);
      for (let s = 0; s < clause.sentences.length; s++, i++) {
        if (o.contractOf[i] !== k || o.clauseOf[i] !== clause.index) throw new TrainingError(`sentence ${i} is not in clause ${clause.index} of contract ${k}: the out-of-fold scores were built on another segmentation`, "Delete tmp/clause-cv-cache and run again.");
        rowOf[i] = row;
        for (let c = 0; c < C; c++) {
          if (o.labels[i * C + c]) label[c] = 1;
          best[c] = Math.max(best[c]!, o.rules[i * C + c]!);
        }
      }
      labels.push(...label);
      rules.push(...best);
    }
  });
  if (i !== o.size) throw new TrainingError(`the clauses hold ${i} sentences, the out-of-fold scores ${o.size}`, "Delete tmp/clause-cv-cache and run again.");
  const indices = new Int32Array(nnz);
  let at = 0;
  for (const ch of chunks) {
    indices.set(ch, at);
    at += ch.length;
  }
  const n = contractOf.length;
  const data: SentenceDataset = {
    hashBits: bits,
    categories: o.categories,
    size: n,
    offsets: Int32Array.from(offsets),
    indices,
    values: Float32Array.from(values),
    rules: Float32Array.from(rules),
    labels: Uint8Array.from(labels),
    contractOf: Int32Array.from(contractOf),
    clauseOf: Int32Array.from(clauseOf),
    spans: [],
    contracts,
    goldSpans: [],
  };
  return { data, rowOf };
}

/** The clause reader's logits of each sentence's clause, [i * C + c], from clause-level logits [row * C + c]. */
export function spreadToSentences(clauseLogits: Float32Array, rowOf: Int32Array, C: number): Float32Array {
  const out = new Float32Array(rowOf.length * C);
  for (let i = 0; i < rowOf.length; i++) out.set(clauseLogits.subarray(rowOf[i]! * C, (rowOf[i]! + 1) * C), i * C);
  return out;
}

/** The clause reader's out-of-fold logits of every sentence's clause (same contract folds as `o`), cached. */
export function clauseReaderOutOfFold(o: OutOfFold, contracts: readonly CuadContract[], opts: ClauseReaderOptions = DEFAULT_CLAUSE_READER, log: (line: string) => void = () => undefined): Float32Array {
  const C = o.categories.length;
  const key = `clause-reader-${cacheKey({ ...opts, folds: o.folds, sentences: o.size }, contracts, CLAUSE_READER_SOURCES)}`;
  const file = cacheFile(key);
  if (fs.existsSync(file)) {
    log(`clause reader: out-of-fold logits read from the cache (${key})`);
    return readLogitsCache(file);
  }
  const t0 = performance.now();
  const { data, rowOf } = buildClauseDataset(contracts, o, opts.bits);
  const cv = crossValidate(data, o.folds, opts, log);
  const logits = spreadToSentences(cv.logits, rowOf, C);
  writeLogitsCache(file, logits, o.size, C);
  log(`clause reader: ${data.size} clauses, 2^${opts.bits} buckets, out-of-fold in ${((performance.now() - t0) / 1000).toFixed(0)} s, cached in ${file}`);
  return logits;
}

/** The clause reader fitted on the given contracts' clauses (the shipped file's). */
export function fitClauseReader(contracts: readonly CuadContract[], o: OutOfFold, keepContract: (contract: number) => boolean, opts: ClauseReaderOptions = DEFAULT_CLAUSE_READER): ClauseReaderWeights {
  const { data } = buildClauseDataset(contracts, o, opts.bits);
  const rows = Int32Array.from({ length: data.size }, (_, r) => r).filter((r) => keepContract(data.contractOf[r]!));
  const w = trainLogistic(data, rows, opts);
  return { bits: opts.bits, hashed: w.hashed, bias: w.bias, rules: w.rules };
}
