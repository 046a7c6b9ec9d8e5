// The name model's training: an averaged perceptron over the hashed token features, seeded, so that the same data
// and settings give the same bytes (the shipped model/name-model.bin is checked against it by
// test/name-model-drift.int.spec.ts and `npm run train -- --check`).
import { NameModel } from "../src/pii/model/name-model";
import { LABEL_COUNT, MAX_FEATURES } from "../src/pii/model/name-tokens";
import { loadCuad, splitOf } from "../bench/legal-eval";
import { cuadExamples, IGNORE, presidioExamples, secExamples, type CuadOptions, type Example } from "./name-data";

/** The settings the shipped weights are trained with. */
export const SHIPPED_SETTINGS = { bits: 18, epochs: 8, repeat: 3, seed: 18, preamble: 2500, mentions: 12 } as const;

export interface TrainSettings {
  readonly bits: number;
  readonly epochs: number;
  /** The small fully labelled sets are seen `repeat` times an epoch, so the large partly labelled one does not drown them. */
  readonly repeat: number;
  readonly seed: number;
}

export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Averaged perceptron with lazy averaging (Collins 2002; Daumé's trick). */
class Trainer {
  readonly w: Float32Array;
  private readonly total: Float64Array;
  private readonly stamp: Uint32Array;
  private step = 1;
  constructor(readonly bits: number) {
    const n = (1 << bits) * LABEL_COUNT;
    this.w = new Float32Array(n);
    this.total = new Float64Array(n);
    this.stamp = new Uint32Array(n);
  }
  private bump(idx: number, by: number): void {
    this.total[idx] = (this.total[idx] ?? 0) + (this.step - (this.stamp[idx] ?? 0)) * (this.w[idx] ?? 0);
    this.stamp[idx] = this.step;
    this.w[idx] = (this.w[idx] ?? 0) + by;
  }
  update(feats: Uint32Array, k: number, gold: number, guess: number): void {
    if (gold !== guess) {
      for (let f = 0; f < k; f++) {
        const base = (feats[f] ?? 0) * LABEL_COUNT;
        this.bump(base + gold, 1);
        this.bump(base + guess, -1);
      }
    }
    this.step++;
  }
  averaged(): Float32Array {
    const out = new Float32Array(this.w.length);
    for (let i = 0; i < out.length; i++) out[i] = ((this.total[i] ?? 0) + (this.step - (this.stamp[i] ?? 0)) * (this.w[i] ?? 0)) / this.step;
    return out;
  }
}

function trainEpoch(trainer: Trainer, model: NameModel, examples: readonly Example[], order: readonly number[]): number {
  const feats = new Uint32Array(MAX_FEATURES);
  const scores = new Float64Array(LABEL_COUNT);
  let errors = 0;
  for (const e of order.map((i) => examples[i] as Example)) {
    const n = e.table.count;
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (!e.learn[i]) continue;
      // the previous token's label as the decoder will see it: predicted if it was labelled, O otherwise
      const k = model.scoreToken(e.table, i, i > 0 ? (labels[i - 1] ?? 0) : 0, feats, scores);
      let guess = 0;
      for (let c = 1; c < LABEL_COUNT; c++) if ((scores[c] ?? 0) > (scores[guess] ?? 0)) guess = c;
      const gold = e.gold[i] ?? 0;
      if (gold === IGNORE) continue;
      if (guess !== gold) errors++;
      trainer.update(feats, k, gold, guess);
      labels[i] = guess;
    }
  }
  return errors;
}

/** The training examples: the small fully labelled sets (repeated) and the large partly labelled CUAD one. */
export interface TrainingSet {
  readonly small: readonly Example[];
  readonly cuad: readonly Example[];
}

/** Trains on `set` (each epoch in a seeded shuffled order); `onEpoch` hears the token errors of each epoch. */
export function trainNameModel(set: TrainingSet, settings: TrainSettings, onEpoch?: (epoch: number, errors: number) => void): NameModel {
  const train = [...Array.from({ length: settings.repeat }, () => set.small).flat(), ...set.cuad];
  const trainer = new Trainer(settings.bits);
  const live = new NameModel(settings.bits, trainer.w);
  const rand = mulberry32(settings.seed);
  const order = train.map((_, i) => i);
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    const errors = trainEpoch(trainer, live, train, order);
    onEpoch?.(epoch, errors);
  }
  return new NameModel(settings.bits, trainer.averaged());
}

/** The CUAD training contracts: the tune part; `extraReport` adds the report-part ones other than the 50 bench/legal-text.ts reports on. */
export function cuadTrainingExamples(data: string, options: CuadOptions, extraReport = false): Example[] {
  const evaluated = new Set(loadCuad(data, "report", 50).map((c) => c.file));
  return [...cuadExamples(data, "tune", Infinity, options), ...(extraReport ? cuadExamples(data, "report", Infinity, options, evaluated) : [])];
}

/** The shipped model's bytes, trained afresh from the public data in `data` with the shipped settings. */
export function trainShippedModelBytes(data: string): Uint8Array {
  const small = [...presidioExamples(data, "tune"), ...secExamples(data, (doc) => splitOf(doc) === "tune")];
  const cuad = cuadTrainingExamples(data, SHIPPED_SETTINGS);
  return trainNameModel({ small, cuad }, SHIPPED_SETTINGS).toBytes();
}
