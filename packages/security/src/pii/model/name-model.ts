import { NameModelError } from "../../errors";
import { featuresOf, LABEL_COUNT, LABELS, MAX_FEATURES, tokenTable, tokenText, type TokenTable } from "./name-tokens";

/** A name the model found: offsets into the text, the label, and the mean probability of its tokens. */
export interface ModelSpan {
  readonly type: (typeof LABELS)[number];
  readonly start: number;
  readonly end: number;
  readonly probability: number;
}

const MAGIC = "BNM1";
/** A line break, a tab or three spaces between two tokens: one name never spans it (columns of a signature block). */
const COLUMN_BREAK = /\n|\t|[ \u00a0]{3}/;
const HEADER = 12;

/**
 * A token classifier for people, organisations and places: an averaged perceptron over hashed token features
 * (word, shape, affixes, a ±2 word window, casing of the line, general word lists), decoded greedily left to right
 * with the previous label as a feature. Trained by `train/train-name-model.ts`.
 */
export class NameModel {
  readonly bits: number;
  private readonly weights: Float32Array;
  private readonly mask: number;

  constructor(bits: number, weights: Float32Array) {
    if (weights.length !== (1 << bits) * LABEL_COUNT) throw new NameModelError("(memory)", `expected ${(1 << bits) * LABEL_COUNT} weights, got ${weights.length}`);
    this.bits = bits;
    this.weights = weights;
    this.mask = (1 << bits) - 1;
  }

  /** The weights file: "BNM1", bits (u8), labels (u8), 2 spare bytes, scale (f32 LE), then int16 LE weights. */
  toBytes(): Uint8Array {
    let max = 0;
    for (const w of this.weights) max = Math.max(max, Math.abs(w));
    const scale = max === 0 ? 1 : max / 32767;
    const out = Buffer.alloc(HEADER + this.weights.length * 2);
    out.write(MAGIC, 0, "latin1");
    out.writeUInt8(this.bits, 4);
    out.writeUInt8(LABEL_COUNT, 5);
    out.writeFloatLE(scale, 8);
    for (let i = 0; i < this.weights.length; i++) out.writeInt16LE(Math.round((this.weights[i] ?? 0) / scale), HEADER + i * 2);
    return out;
  }

  static fromBytes(bytes: Uint8Array, file: string): NameModel {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (buf.length < HEADER || buf.toString("latin1", 0, 4) !== MAGIC) throw new NameModelError(file, "not a name model (bad magic)");
    const bits = buf.readUInt8(4);
    const labels = buf.readUInt8(5);
    if (labels !== LABEL_COUNT || bits < 8 || bits > 24) throw new NameModelError(file, `unsupported shape (bits ${bits}, labels ${labels})`);
    const count = (1 << bits) * labels;
    if (buf.length !== HEADER + count * 2) throw new NameModelError(file, `truncated (${buf.length} bytes, expected ${HEADER + count * 2})`);
    const scale = buf.readFloatLE(8);
    const weights = new Float32Array(count);
    for (let i = 0; i < count; i++) weights[i] = buf.readInt16LE(HEADER + i * 2) * scale;
    return new NameModel(bits, weights);
  }

  /** Class scores of token i into `scores`. */
  scoreToken(table: TokenTable, i: number, prevLabel: number, feats: Uint32Array, scores: Float64Array): number {
    const k = featuresOf(table, i, prevLabel, this.mask, feats);
    const w = this.weights;
    // the four class sums (LABEL_COUNT is 4) in locals, each added to in feature order: the same sums as a loop over `scores`
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let f = 0; f < k; f++) {
      const base = (feats[f] ?? 0) * LABEL_COUNT;
      s0 += w[base] ?? 0;
      s1 += w[base + 1] ?? 0;
      s2 += w[base + 2] ?? 0;
      s3 += w[base + 3] ?? 0;
    }
    scores[0] = s0;
    scores[1] = s1;
    scores[2] = s2;
    scores[3] = s3;
    return k;
  }

  /** The label of every token (O for tokens that are no candidates), greedily left to right. */
  labelTokens(table: TokenTable): { labels: Uint8Array; probabilities: Float32Array } {
    const n = table.count;
    const labels = new Uint8Array(n);
    const probabilities = new Float32Array(n);
    const feats = new Uint32Array(MAX_FEATURES);
    const scores = new Float64Array(LABEL_COUNT);
    for (let i = 0; i < n; i++) {
      if (!table.candidate[i]) continue;
      this.scoreToken(table, i, i > 0 ? (labels[i - 1] ?? 0) : 0, feats, scores);
      let best = 0;
      for (let c = 1; c < LABEL_COUNT; c++) if ((scores[c] ?? 0) > (scores[best] ?? 0)) best = c;
      labels[i] = best;
      // a softmax over perceptron margins: only used to rank findings, not calibrated
      let z = 0;
      for (let c = 0; c < LABEL_COUNT; c++) z += Math.exp(Math.max(-30, (scores[c] ?? 0) - (scores[best] ?? 0)));
      probabilities[i] = 1 / z;
    }
    return { labels, probabilities };
  }

  /** Names in a text: runs of tokens with one label, without punctuation or connectors at their ends. */
  spans(text: string): ModelSpan[] {
    const table = tokenTable(text);
    const { labels, probabilities } = this.labelTokens(table);
    const out: ModelSpan[] = [];
    const { starts, ends, count } = table;
    const word = (k: number): string => tokenText(table, k);
    let i = 0;
    while (i < count) {
      const label = labels[i] ?? 0;
      if (label === 0) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < count && labels[j + 1] === label && !COLUMN_BREAK.test(text.slice(ends[j] ?? 0, starts[j + 1] ?? 0))) j++;
      let a = i;
      let b = j;
      while (a <= b && !/[\p{L}\p{N}]/u.test(word(a))) a++;
      while (b >= a && (/^(?:of|and|the|for|on|&)$/i.test(word(b)) || (!/[\p{L}\p{N}]/u.test(word(b)) && word(b) !== "."))) b--;
      while (a <= b && /^(?:of|and|the|for|on|&)$/i.test(word(a))) a++;
      if (a <= b) {
        let p = 0;
        for (let k = a; k <= b; k++) p += probabilities[k] ?? 0;
        out.push({ type: LABELS[label] ?? "PERSON", start: starts[a] ?? 0, end: ends[b] ?? 0, probability: p / (b - a + 1) });
      }
      i = j + 1;
    }
    return out;
  }
}
