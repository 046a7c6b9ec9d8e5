import { ChecklistModelError } from "../../errors";
import { newModelFile, readModelFile } from "../../model-file";
import type { ContractDocument } from "../../text/contract-document";
import { fnv1a } from "../../classification/clause-model/sentence-features";
import type { RequirementStatus } from "../check-compliance";
import type { ChecklistRequirement } from "../checklist";
import { evidenceUnits, type EvidenceUnit } from "../evidence-units";
import { conceptFeatureStrings } from "./nli-concepts";
import { baseHashes, bucket, cueFeatureStrings, unitFeatureStrings, type UnitCueHits } from "./nli-features";

const MAGIC = "BEARNLI1";
/** The three document-level answers, in the order the aggregator's rows are stored. */
export const NLI_LABELS = ["met", "contradicted", "absent"] as const;
export type NliLabel = (typeof NLI_LABELS)[number];
/** Length of the aggregator's input (see `documentFeatures`). */
export const AGGREGATE_FEATURES = 12;

/** One requirement's head: biases of its unit scorers, its aggregator (3 × AGGREGATE_FEATURES) and citation threshold. */
export interface ChecklistHead {
  readonly spanBias: number;
  readonly polarityBias: number;
  readonly aggregator: readonly number[];
  /** Unit evidence probability from which a unit is cited. */
  readonly citeThreshold: number;
  /** Fingerprint of the requirement's cues the head was trained with (`requirementFingerprint`): a head reads only those. */
  readonly fingerprint: number;
}

/** A hash of what a requirement's cues say; the model's cue features mean something only for the cues it was trained with. */
export function requirementFingerprint(r: ChecklistRequirement): number {
  return fnv1a(JSON.stringify([r.id, r.evidence, r.contradicted_by, r.weak_evidence, r.unless, r.precedence]));
}

interface FileHeader {
  readonly version: 1;
  readonly hashBits: number;
  /** Whether the unit scorers read the requirement's cue hits (absent = true); when not, cues reach the model only through the aggregator's cue status. */
  readonly unitCues?: boolean;
  readonly heads: Record<string, ChecklistHead>;
  readonly meta: Record<string, unknown>;
}

/** A unit with its feature hashes (computed once per document). */
export interface PreparedUnit {
  readonly unit: EvidenceUnit;
  readonly hashes: Uint32Array;
  /** Hashes of the word classes present and their pairs (`conceptFeatureStrings`). */
  readonly concepts: Uint32Array;
}

const prepared = new WeakMap<ContractDocument, readonly PreparedUnit[]>();

/** The document's evidence units with their hashed features, cached per document. */
export function prepareUnits(doc: ContractDocument): readonly PreparedUnit[] {
  let units = prepared.get(doc);
  if (units === undefined) {
    const length = Math.max(1, doc.text.length);
    units = evidenceUnits(doc).map((unit) => ({
      unit,
      hashes: baseHashes(unitFeatureStrings(unit, doc.clauseAt(unit.sentence.start)?.heading, unit.sentence.start / length)),
      concepts: baseHashes(conceptFeatureStrings(unit.text)),
    }));
    prepared.set(doc, units);
  }
  return units;
}

/** A unit as a scorer reads it: hashed text features (bag, scaled 1/sqrt(n)), cue features (each counted 1) and word classes (scaled 1/sqrt(n)). */
export interface UnitInput {
  readonly bag: Int32Array;
  readonly cues: Int32Array;
  readonly concepts: Int32Array;
}

const cueHashCache = new Map<string, Uint32Array>();
function cueHashes(hits: UnitCueHits): Uint32Array {
  const key = `${+hits.evidence}${+hits.contradicted}${+hits.weak}`;
  let h = cueHashCache.get(key);
  if (h === undefined) cueHashCache.set(key, (h = baseHashes(cueFeatureStrings(hits))));
  return h;
}

// Distinct buckets in first-seen order (what a Set gave), without a Set per unit and head: a bucket is
// taken when its stamp is not the current call's. One stamp table per hash size, reused by every call.
const stamps = new Map<number, { table: Uint32Array; current: number }>();
function uniqueBuckets(hashes: Uint32Array, spaces: readonly number[], hashBits: number): Int32Array {
  let s = stamps.get(hashBits);
  if (s === undefined) stamps.set(hashBits, (s = { table: new Uint32Array(1 << hashBits), current: 0 }));
  if (++s.current === 0xffffffff) {
    s.table.fill(0);
    s.current = 1;
  }
  const out = new Int32Array(hashes.length * spaces.length);
  let n = 0;
  for (const h of hashes)
    for (const space of spaces) {
      const b = bucket(h, space, hashBits);
      if (s.table[b] !== s.current) {
        s.table[b] = s.current;
        out[n++] = b;
      }
    }
  return out.subarray(0, n);
}

/** What the evidence scorer reads for a unit under head `head` (the requirement's own hash space only). */
export function spanInput(unit: PreparedUnit, hits: UnitCueHits, head: number, hashBits: number): UnitInput {
  return { bag: uniqueBuckets(unit.hashes, [head + 1], hashBits), ...ownCuesAndClasses(unit, hits, head, hashBits) };
}

/** The cue features and word classes of a unit in the requirement's own space (both scorers read the same ones). */
function ownCuesAndClasses(unit: PreparedUnit, hits: UnitCueHits, head: number, hashBits: number): Pick<UnitInput, "cues" | "concepts"> {
  return { cues: Int32Array.from(cueHashes(hits), (h) => bucket(h, head + 1, hashBits)), concepts: uniqueBuckets(unit.concepts, [head + 1], hashBits) };
}

/**
 * What the polarity scorer reads: the requirement's space plus the shared one (generic negation and
 * permission cues) for the words; its cues and word classes are the span input's, so pass that when
 * it is at hand rather than bucketing them again.
 */
export function polarityInput(unit: PreparedUnit, hits: UnitCueHits, head: number, hashBits: number, span?: UnitInput): UnitInput {
  const { cues, concepts } = span ?? ownCuesAndClasses(unit, hits, head, hashBits);
  return { bag: uniqueBuckets(unit.hashes, [head + 1, 0], hashBits), cues, concepts };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const NO_HITS: UnitCueHits = { evidence: false, contradicted: false, weak: false };
const logit = (p: number) => Math.log(Math.max(p, 1e-4) / Math.max(1 - p, 1e-4));

/** The scorer's raw score of a unit: bias + bag features at 1/sqrt(n) + cue features at 1 + word classes at 1/sqrt(n) (as in training). */
export function linear(input: UnitInput, weights: Float32Array, bias: number): number {
  let z = 0;
  for (const i of input.bag) z += weights[i]!;
  let c = 0;
  for (const i of input.cues) c += weights[i]!;
  let k = 0;
  for (const i of input.concepts) k += weights[i]!;
  return bias + z / Math.sqrt(Math.max(1, input.bag.length)) + c + k / Math.sqrt(Math.max(1, input.concepts.length));
}

/**
 * The aggregator's input for one requirement in one document: how strongly the best units look like its
 * evidence (p), whether they say the opposite (q = probability of contradiction), and the cue status.
 */
export function documentFeatures(p: ArrayLike<number>, q: ArrayLike<number>, ruleStatus: RequirementStatus): Float64Array {
  const order = Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[b]! - p[a]!);
  const top = order[0];
  const p1 = top === undefined ? 0 : p[top]!;
  const p2 = order[1] === undefined ? 0 : p[order[1]]!;
  let massContra = 0;
  let massMet = 0;
  let weight = 0;
  for (const i of order.slice(0, 3)) {
    weight += p[i]!;
    massContra += p[i]! * q[i]!;
    massMet += p[i]! * (1 - q[i]!);
  }
  const qTop = top === undefined ? 0.5 : q[top]!;
  const qMean = weight > 0 ? massContra / weight : 0.5;
  return Float64Array.from([
    1,
    logit(p1) / 4,
    p1,
    p2,
    Math.min(1, massMet),
    Math.min(1, massContra),
    logit(qTop) / 4,
    qMean,
    ruleStatus === "met" ? 1 : 0,
    ruleStatus === "contradicted" ? 1 : 0,
    ruleStatus === "unclear" ? 1 : 0,
    ruleStatus === "missing" ? 1 : 0,
  ]);
}

/** Softmax of the aggregator: probability of met / contradicted / absent. */
export function aggregate(weights: readonly number[], x: Float64Array): [number, number, number] {
  const z = [0, 1, 2].map((k) => {
    let s = 0;
    for (let j = 0; j < AGGREGATE_FEATURES; j++) s += weights[k * AGGREGATE_FEATURES + j]! * x[j]!;
    return s;
  });
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e[0]! + e[1]! + e[2]!;
  return [e[0]! / sum, e[1]! / sum, e[2]! / sum];
}

/**
 * The aggregator's probabilities without the decision offsets folded into its met and contradicted biases
 * (`meta.decisionOffsets.chosen[id]`, see train/decision-offsets.ts): the model's own estimate, not the threshold.
 */
export function withoutOffsets(probabilities: readonly [number, number, number], [met, contradicted]: readonly [number, number]): [number, number, number] {
  const e = [probabilities[0] * Math.exp(-met), probabilities[1] * Math.exp(-contradicted), probabilities[2]] as const;
  const sum = e[0] + e[1] + e[2];
  return [e[0] / sum, e[1] / sum, e[2] / sum];
}

/** The (met, contradicted) decision offsets the model's file records for a head; none when absent or malformed. */
function decisionOffsetsOf(meta: Readonly<Record<string, unknown>>, id: string): readonly [number, number] {
  const chosen = (meta.decisionOffsets as { chosen?: Record<string, unknown> } | undefined)?.chosen?.[id];
  return Array.isArray(chosen) && chosen.length === 2 && chosen.every((n) => typeof n === "number" && Number.isFinite(n)) ? [chosen[0], chosen[1]] : [0, 0];
}

/** The model's reading of one requirement in one document. */
export interface ChecklistAssessment {
  /** The label decided (with the decision offsets). */
  readonly label: NliLabel;
  /** The model's probabilities of met / contradicted / absent, without the decision offsets. */
  readonly probabilities: readonly [number, number, number];
  /** Units ranked by evidence probability (p) with their contradiction probability (q). */
  readonly units: readonly { readonly unit: EvidenceUnit; readonly p: number; readonly q: number }[];
}

/**
 * A trained reader for checklist requirements (the built-in NDA checklist: one head per ContractNLI
 * hypothesis). Per requirement, a logistic scorer ranks units as its evidence, a second one says whether
 * a unit grants or denies it, and a small softmax over the best units and the cue status decides met /
 * contradicted / absent.
 */
export class ChecklistModel {
  private constructor(
    readonly hashBits: number,
    private readonly spanWeights: Float32Array,
    private readonly polarityWeights: Float32Array,
    private readonly heads: ReadonlyMap<string, ChecklistHead & { readonly index: number; readonly offsets: readonly [number, number] }>,
    readonly meta: Readonly<Record<string, unknown>>,
    /** Whether the unit scorers read the cue hits of each unit (see `FileHeader.unitCues`). */
    readonly unitCues: boolean,
  ) {}

  static fromWeights(hashBits: number, spanWeights: Float32Array, polarityWeights: Float32Array, heads: Readonly<Record<string, ChecklistHead>>, meta: Record<string, unknown> = {}, unitCues = true): ChecklistModel {
    const size = 1 << hashBits;
    if (spanWeights.length !== size || polarityWeights.length !== size) throw new ChecklistModelError("(weights)", `expected ${size} weights per scorer`);
    return new ChecklistModel(hashBits, spanWeights, polarityWeights, new Map(Object.entries(heads).map(([id, h], index) => [id, { ...h, index, offsets: decisionOffsetsOf(meta, id) }])), { ...meta }, unitCues);
  }

  /** Requirement ids this model has a head for. */
  get requirementIds(): string[] {
    return [...this.heads.keys()];
  }

  /** Whether the model has a head for this requirement, trained with exactly these cues. */
  appliesTo(requirement: ChecklistRequirement): boolean {
    return this.heads.get(requirement.id)?.fingerprint === requirementFingerprint(requirement);
  }

  citeThreshold(requirementId: string): number {
    return this.heads.get(requirementId)?.citeThreshold ?? 1;
  }

  /** Reads one requirement: `hits` are its cue matches per unit (same order as the document's units), `ruleStatus` the cue verdict. */
  assess(doc: ContractDocument, requirementId: string, hits: readonly UnitCueHits[], ruleStatus: RequirementStatus): ChecklistAssessment {
    const head = this.heads.get(requirementId);
    if (head === undefined) throw new ChecklistModelError("(in memory)", `no head for requirement '${requirementId}'`);
    const units = prepareUnits(doc);
    const p = new Float64Array(units.length);
    const q = new Float64Array(units.length);
    units.forEach((u, i) => {
      const h = (this.unitCues ? hits[i] : undefined) ?? NO_HITS;
      const span = spanInput(u, h, head.index, this.hashBits);
      p[i] = sigmoid(linear(span, this.spanWeights, head.spanBias));
      q[i] = sigmoid(linear(polarityInput(u, h, head.index, this.hashBits, span), this.polarityWeights, head.polarityBias));
    });
    const decided = aggregate(head.aggregator, documentFeatures(p, q, ruleStatus));
    const best = decided.indexOf(Math.max(...decided));
    const probabilities = withoutOffsets(decided, head.offsets);
    const ranked = units.map((u, i) => ({ unit: u.unit, p: p[i]!, q: q[i]! })).sort((a, b) => b.p - a.p);
    return { label: NLI_LABELS[best]!, probabilities, units: ranked };
  }

  /** The weights file: signature, header length, JSON header (heads), then the two float32 weight vectors. */
  toBytes(): Uint8Array {
    const header: FileHeader = {
      version: 1,
      hashBits: this.hashBits,
      unitCues: this.unitCues,
      heads: Object.fromEntries([...this.heads].map(([id, { index: _index, offsets: _offsets, ...h }]) => [id, h])),
      meta: { ...this.meta },
    };
    const size = 1 << this.hashBits;
    const { bytes, bodyStart, view } = newModelFile(MAGIC, header, 2 * size * 4);
    [this.spanWeights, this.polarityWeights].forEach((w, k) => {
      for (let i = 0; i < size; i++) view.setFloat32(bodyStart + (k * size + i) * 4, w[i]!, true);
    });
    return bytes;
  }

  static fromBytes(bytes: Uint8Array, source = "(bytes)"): ChecklistModel {
    const fail = (reason: string, cause?: unknown): never => {
      throw new ChecklistModelError(source, reason, cause);
    };
    const { header, bodyStart, view } = readModelFile<FileHeader>(bytes, MAGIC, "checklist model", fail);
    if (header.version !== 1 || !Number.isInteger(header.hashBits) || header.hashBits < 8 || header.hashBits > 24) fail(`unsupported version ${String(header.version)} or hash size ${String(header.hashBits)}`);
    const size = 1 << header.hashBits;
    if (bytes.length !== bodyStart + 2 * size * 4) fail(`expected ${bodyStart + 2 * size * 4} bytes, read ${bytes.length}`);
    const heads: Record<string, ChecklistHead> = {};
    for (const [id, h] of Object.entries(header.heads ?? {})) {
      const numbers = [h?.spanBias, h?.polarityBias, h?.citeThreshold, h?.fingerprint, ...(Array.isArray(h?.aggregator) ? h.aggregator : [])];
      if (!Array.isArray(h?.aggregator) || h.aggregator.length !== 3 * AGGREGATE_FEATURES || !numbers.every((n) => typeof n === "number" && Number.isFinite(n))) fail(`head '${id}' is missing numbers`);
      heads[id] = { spanBias: h.spanBias, polarityBias: h.polarityBias, aggregator: [...h.aggregator], citeThreshold: h.citeThreshold, fingerprint: h.fingerprint };
    }
    if (Object.keys(heads).length === 0) fail("it has no heads");
    const read = (k: number) => {
      const w = new Float32Array(size);
      for (let i = 0; i < size; i++) w[i] = view.getFloat32(bodyStart + (k * size + i) * 4, true);
      return w;
    };
    return ChecklistModel.fromWeights(header.hashBits, read(0), read(1), heads, header.meta ?? {}, header.unitCues !== false);
  }
}
