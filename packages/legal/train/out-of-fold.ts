// The first stage's out-of-fold scores with what the second stage reads of each sentence, cached on
// disk (tmp/, git-ignored) so that second-stage experiments take seconds, not the minutes the first
// stage's cross-validation takes. The cache key covers the options, the data and the source code
// of the first stage, so a stale cache is never read.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ContractDocument, detectDocumentType, type CuadCategory, type DocumentType } from "../src/index";
import type { CrossValidation } from "./cross-validate";
import type { SentenceDataset } from "./sentence-dataset";
import { readArrayBundle, writeArrayBundle } from "./array-bundle";

/** What the second stage needs of the corpus: no hashed features, only scores, places and labels. */
export interface OutOfFold {
  readonly categories: readonly CuadCategory[];
  readonly size: number;
  /** Out-of-fold first-stage logits, [i * C + c]. */
  readonly logits: Float32Array;
  /** [i * C + c]: rule score of sentence i (categories in CUAD order, as `categories`). */
  readonly rules: Float32Array;
  readonly labels: Uint8Array;
  readonly contractOf: Int32Array;
  readonly clauseOf: Int32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly contracts: readonly { readonly file: string; readonly textLength: number; readonly type: DocumentType }[];
  readonly goldSpans: readonly { contract: number; category: number; sentences: Int32Array }[];
  readonly folds: number;
  /** Out-of-fold clause-reader logits of each sentence's clause, [i * C + c] (clause-reader-oof.ts), when the second stage reads them. */
  readonly clauseLogits?: Float32Array;
}

export function outOfFold(data: SentenceDataset, cv: CrossValidation): OutOfFold {
  return {
    categories: data.categories,
    size: data.size,
    logits: cv.logits,
    rules: data.rules,
    labels: data.labels,
    contractOf: data.contractOf,
    clauseOf: data.clauseOf,
    starts: Int32Array.from(data.spans, (s) => s.start),
    ends: Int32Array.from(data.spans, (s) => s.end),
    contracts: data.contracts.map((c) => ({ file: c.file, textLength: c.text.length, type: detectDocumentType(new ContractDocument(c.text)).type })),
    goldSpans: data.goldSpans,
    folds: cv.folds,
  };
}

const ROOT = path.resolve(import.meta.dirname, "..");
const SOURCES = ["src/classification/clause-lexicon.ts", "src/classification/lexicon-phrases.ts", "src/classification/rule-clause-classifier.ts", "src/classification/clause-model/sentence-features.ts", "src/classification/clause-model/document-features.ts", "src/classification/clause-model/sentence-contexts.ts", "src/classification/clause-model/typed-cues.ts", "src/text", "src/document-type", "train/logistic-trainer.ts", "train/linear-bits.ts", "train/sentence-dataset.ts", "train/cross-validate.ts", "train/cuad-data.ts"];

function sourceFiles(rel: string): string[] {
  const abs = path.join(ROOT, rel);
  if (fs.statSync(abs).isFile()) return [abs];
  return fs
    .readdirSync(abs, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".spec.ts"))
    .sort()
    .map((f) => path.join(abs, f));
}

/** A key over the first stage's options, the contracts and the code that builds its scores. */
export function cacheKey(opts: object, files: readonly { file: string; text: string }[], extraSources: readonly string[] = []): string {
  const h = crypto.createHash("sha256").update(JSON.stringify(opts));
  for (const f of files) h.update(`${f.file}|${f.text.length}|`).update(crypto.createHash("sha1").update(f.text).digest());
  for (const rel of [...SOURCES, ...extraSources]) for (const file of sourceFiles(rel)) h.update(fs.readFileSync(file));
  return h.digest("hex").slice(0, 16);
}

/** Where the training caches live (git-ignored). */
export const CACHE_DIR = path.join(ROOT, "tmp", "clause-cv-cache");

export const cacheFile = (key: string, dir = CACHE_DIR) => path.join(dir, `${key}.bin`);

export function writeCache(key: string, o: OutOfFold): string {
  const goldOffsets = new Int32Array(o.goldSpans.length + 1);
  o.goldSpans.forEach((g, k) => (goldOffsets[k + 1] = goldOffsets[k]! + g.sentences.length));
  const goldSentences = new Int32Array(goldOffsets[o.goldSpans.length]!);
  o.goldSpans.forEach((g, k) => goldSentences.set(g.sentences, goldOffsets[k]!));
  const goldMeta = Int32Array.from(o.goldSpans.flatMap((g) => [g.contract, g.category]));
  const file = cacheFile(key);
  writeArrayBundle(file, { categories: o.categories, size: o.size, contracts: o.contracts, folds: o.folds }, { logits: o.logits, rules: o.rules, labels: o.labels, contractOf: o.contractOf, clauseOf: o.clauseOf, starts: o.starts, ends: o.ends, goldOffsets, goldSentences, goldMeta });
  return file;
}

export function readCache(key: string): OutOfFold | undefined {
  const file = cacheFile(key);
  if (!fs.existsSync(file)) return undefined;
  const { header, arrays: a } = readArrayBundle<{ categories: CuadCategory[]; size: number; contracts: OutOfFold["contracts"]; folds: number }>(file);
  const goldOffsets = a["goldOffsets"] as Int32Array;
  const goldSentences = a["goldSentences"] as Int32Array;
  const goldMeta = a["goldMeta"] as Int32Array;
  const goldSpans = Array.from({ length: goldOffsets.length - 1 }, (_, k) => ({ contract: goldMeta[2 * k]!, category: goldMeta[2 * k + 1]!, sentences: goldSentences.subarray(goldOffsets[k]!, goldOffsets[k + 1]!) }));
  return {
    categories: header.categories,
    size: header.size,
    contracts: header.contracts,
    folds: header.folds,
    goldSpans,
    logits: a["logits"] as Float32Array,
    rules: a["rules"] as Float32Array,
    labels: a["labels"] as Uint8Array,
    contractOf: a["contractOf"] as Int32Array,
    clauseOf: a["clauseOf"] as Int32Array,
    starts: a["starts"] as Int32Array,
    ends: a["ends"] as Int32Array,
  };
}
