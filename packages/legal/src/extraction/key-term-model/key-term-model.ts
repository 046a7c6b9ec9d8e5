import { KeyTermModelError } from "../../errors";
import { newModelFile, readModelFile } from "../../model-file";
import { hashFeatures } from "./candidate-features";

const MAGIC = "BEARKTM1";
export const KEY_TERM_HEADS = ["party", "agreement", "effective", "expiration"] as const;
export type KeyTermHead = (typeof KEY_TERM_HEADS)[number];

/** One logistic scorer: weights over hashed candidate features, Platt calibration, and the score a value needs to be taken. */
export interface KeyTermHeadWeights {
  readonly weights: Float32Array;
  readonly a: number;
  readonly b: number;
  readonly threshold: number;
}

/** The optional second-stage head that scores party entities (version 2 files; version 1 files have none). */
export const ENTITY_HEAD = "entity";
type StoredHead = KeyTermHead | typeof ENTITY_HEAD;

interface FileHeader {
  readonly version: 1 | 2;
  readonly hashBits: number;
  /** Heads scored as a softmax over a contract's candidates and a "none" choice (absent in older files: none). */
  readonly listwise?: readonly KeyTermHead[];
  readonly heads: Record<string, { readonly a: number; readonly b: number; readonly threshold: number }>;
  readonly meta: Record<string, unknown>;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
/** The heads a file of this version holds, in body order. */
/** Softmax over a list's scores and its "none" score: each item's probability and that of none (the trainer scores with it too). */
export function softmaxWithNone(zs: readonly number[], zNone: number): { readonly scores: number[]; readonly none: number } {
  const max = Math.max(zNone, ...zs);
  const e = zs.map((z) => Math.exp(z - max));
  const eNone = Math.exp(zNone - max);
  const sum = e.reduce((a, b) => a + b, eNone);
  return { scores: e.map((x) => x / sum), none: eNone / sum };
}

const storedHeads = (version: number): readonly StoredHead[] => (version >= 2 ? [...KEY_TERM_HEADS, ENTITY_HEAD] : KEY_TERM_HEADS);

/**
 * Scores candidate parties and dates (spans the candidate generators found) with one calibrated
 * logistic head per key term; a score reads as the probability that the candidate is the answer.
 */
export class KeyTermModel {
  private constructor(
    readonly hashBits: number,
    private readonly heads: ReadonlyMap<StoredHead, KeyTermHeadWeights>,
    readonly meta: Readonly<Record<string, unknown>>,
    private readonly listwise: ReadonlySet<KeyTermHead> = new Set(),
  ) {}

  /**
   * `entity`: the second-stage party head (`scoreEntity`); without it parties are chosen per mention.
   * `listwise`: heads trained as a softmax over a contract's candidates plus a "none" choice (`scoreList`);
   * their `a` is 1 and their `b` is the offset added to the "none" score.
   */
  static fromWeights(hashBits: number, heads: Readonly<Record<KeyTermHead, KeyTermHeadWeights>> & { readonly entity?: KeyTermHeadWeights }, meta: Record<string, unknown> = {}, listwise: readonly KeyTermHead[] = []): KeyTermModel {
    const map = new Map<StoredHead, KeyTermHeadWeights>(KEY_TERM_HEADS.map((h) => [h, heads[h]]));
    if (heads.entity) map.set(ENTITY_HEAD, heads.entity);
    return new KeyTermModel(hashBits, map, { ...meta }, new Set(listwise));
  }

  /** Whether the head scores a contract's candidates together (`scoreList`) rather than one at a time. */
  isListwise(head: KeyTermHead): boolean {
    return this.listwise.has(head);
  }

  /**
   * A listwise head's probabilities: of each candidate being the answer, and of none being it (`none`
   * scored over its own features). For a pointwise head, each candidate's own probability and none 0.
   */
  scoreList(head: KeyTermHead, candidates: readonly (readonly string[])[], noneFeatures: readonly string[]): { readonly scores: number[]; readonly none: number } {
    if (!this.listwise.has(head)) return { scores: candidates.map((f) => this.scoreHead(head, f)), none: 0 };
    const h = this.heads.get(head)!;
    return softmaxWithNone(
      candidates.map((f) => this.rawScore(head, f)),
      this.rawScore(head, noneFeatures) + h.b,
    );
  }

  /** Whether the file has the entity head (version 2). */
  get hasEntityHead(): boolean {
    return this.heads.has(ENTITY_HEAD);
  }

  /** Probability that a party entity with these features (`entityFeatures`) is a party; undefined without the entity head. */
  scoreEntity(features: readonly string[]): number | undefined {
    return this.heads.has(ENTITY_HEAD) ? this.scoreHead(ENTITY_HEAD, features) : undefined;
  }

  entityThreshold(): number | undefined {
    return this.heads.get(ENTITY_HEAD)?.threshold;
  }

  /** Probability that a candidate with these features is the head's answer. */
  score(head: KeyTermHead, features: readonly string[]): number {
    return this.scoreHead(head, features);
  }

  private rawScore(head: StoredHead, features: readonly string[]): number {
    const w = this.heads.get(head)!.weights;
    let z = 0;
    for (const i of hashFeatures(features, this.hashBits)) z += w[i]!;
    return z;
  }

  private scoreHead(head: StoredHead, features: readonly string[]): number {
    const h = this.heads.get(head)!;
    return sigmoid(h.a * this.rawScore(head, features) + h.b);
  }

  threshold(head: KeyTermHead): number {
    return this.heads.get(head)!.threshold;
  }

  /** The weights file: signature, header length, JSON header, then one float32 vector per head. */
  toBytes(): Uint8Array {
    const stored = storedHeads(this.hasEntityHead ? 2 : 1);
    const header: FileHeader = {
      version: this.hasEntityHead ? 2 : 1,
      hashBits: this.hashBits,
      ...(this.listwise.size > 0 ? { listwise: [...this.listwise] } : {}),
      heads: Object.fromEntries(stored.map((h) => [h, { a: this.heads.get(h)!.a, b: this.heads.get(h)!.b, threshold: this.heads.get(h)!.threshold }])),
      meta: { ...this.meta },
    };
    const size = 1 << this.hashBits;
    const { bytes, bodyStart } = newModelFile(MAGIC, header, stored.length * size * 4);
    stored.forEach((h, k) => {
      const w = this.heads.get(h)!.weights;
      const view = new DataView(bytes.buffer, bodyStart + k * size * 4, size * 4);
      for (let i = 0; i < size; i++) view.setFloat32(i * 4, w[i]!, true);
    });
    return bytes;
  }

  static fromBytes(bytes: Uint8Array, source = "(bytes)"): KeyTermModel {
    const fail = (reason: string, cause?: unknown): never => {
      throw new KeyTermModelError(source, reason, cause);
    };
    const { header, bodyStart, view } = readModelFile<FileHeader>(bytes, MAGIC, "key-term model", fail);
    if ((header.version !== 1 && header.version !== 2) || !Number.isInteger(header.hashBits) || header.hashBits < 8 || header.hashBits > 24) fail(`unsupported version ${String(header.version)} or hash size ${String(header.hashBits)}`);
    const listwise = header.listwise ?? [];
    if (!Array.isArray(listwise) || !listwise.every((h) => (KEY_TERM_HEADS as readonly string[]).includes(h))) fail(`listwise heads ${JSON.stringify(header.listwise)} are not key-term heads`);
    const stored = storedHeads(header.version);
    const size = 1 << header.hashBits;
    if (bytes.length !== bodyStart + stored.length * size * 4) fail(`expected ${bodyStart + stored.length * size * 4} bytes, read ${bytes.length}`);
    const heads = {} as Record<StoredHead, KeyTermHeadWeights>;
    stored.forEach((h, k) => {
      const cal = header.heads?.[h];
      if (!cal || ![cal.a, cal.b, cal.threshold].every(Number.isFinite)) fail(`head '${h}' is missing or has no calibration`);
      const weights = new Float32Array(size);
      for (let i = 0; i < size; i++) weights[i] = view.getFloat32(bodyStart + (k * size + i) * 4, true);
      heads[h] = { weights, a: cal!.a, b: cal!.b, threshold: cal!.threshold };
    });
    return KeyTermModel.fromWeights(header.hashBits, heads, header.meta ?? {}, listwise);
  }
}
