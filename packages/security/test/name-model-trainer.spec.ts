// The name model's trainer: seeded, so the same data and seeds give the same model, and the shipped model is the mean
// of one perceptron per seed (linear scores: the mean model scores every token with the mean of the seeds' scores).
import { LABEL_COUNT, MAX_FEATURES, tokenTable } from "../src/pii/model/name-tokens";
import type { NameModel } from "../src/pii/model/name-model";
import type { Example } from "../train/name-data";
import { trainNameModel, type TrainSettings } from "../train/name-model-trainer";

/** Invented sentences, every candidate token labelled: 1 person, 2 organisation, 3 place. */
function example(text: string, names: readonly [string, number][]): Example {
  const table = tokenTable(text);
  const gold = new Uint8Array(table.count);
  const learn = new Uint8Array(table.count);
  for (let i = 0; i < table.count; i++) {
    const [s, e] = [table.starts[i] ?? 0, table.ends[i] ?? 0];
    for (const [name, label] of names) {
      const at = text.indexOf(name);
      if (at < e && s < at + name.length) gold[i] = label;
    }
    learn[i] = table.candidate[i] ?? 0;
  }
  return { source: `spec:${text.slice(0, 12)}`, text, table, gold, learn };
}
const small = [
  example("Orla Fenwick signed for Quillmore Robotics Inc. in Tarrow.", [["Orla Fenwick", 1], ["Quillmore Robotics Inc.", 2], ["Tarrow", 3]]),
  example("Notices go to Bram Ostler at Vesk Holdings LLC, Pellingford.", [["Bram Ostler", 1], ["Vesk Holdings LLC", 2], ["Pellingford", 3]]),
  example("The Agreement is between Ysolde Marr and Calloway Freight Ltd.", [["Ysolde Marr", 1], ["Calloway Freight Ltd.", 2]]),
  example("Mr. Tobin Achterberg moved from Dunmarsh to Kelloway.", [["Tobin Achterberg", 1], ["Dunmarsh", 3], ["Kelloway", 3]]),
];
const settings = (seeds: number[]): TrainSettings => ({ bits: 12, epochs: 3, repeat: 2, seeds });
const train = (seeds: number[]): NameModel => trainNameModel({ small, cuad: [] }, settings(seeds));

/** Scores of every candidate token of the examples, the previous label taken as O. */
function scores(model: NameModel): number[] {
  const feats = new Uint32Array(MAX_FEATURES);
  const s = new Float64Array(LABEL_COUNT);
  const out: number[] = [];
  for (const e of small)
    for (let i = 0; i < e.table.count; i++) {
      if (!e.table.candidate[i]) continue;
      model.scoreToken(e.table, i, 0, feats, s);
      out.push(...s);
    }
  return out;
}

describe("name model trainer", () => {
  it("gives the same bytes for the same data and seeds", () => {
    expect(Buffer.from(train([3, 4]).toBytes()).equals(Buffer.from(train([3, 4]).toBytes()))).toBe(true);
  });

  it("averages one perceptron per seed: the mean model's scores are the mean of the seeds' scores", () => {
    const [a, b, mean] = [scores(train([3])), scores(train([4])), scores(train([3, 4]))];
    // two training orders give different weights (else averaging would be pointless)
    expect(a.some((x, i) => Math.abs(x - (b[i] ?? 0)) > 1e-3)).toBe(true);
    mean.forEach((m, i) => expect(m).toBeCloseTo(((a[i] ?? 0) + (b[i] ?? 0)) / 2, 4));
  });

  it("learns the labelled names (every candidate token of the training sentences)", () => {
    const model = train([3, 4, 5]);
    expect(model.spans(small[0]?.text ?? "").map((s) => s.type)).toEqual(["PERSON", "ORGANIZATION", "LOCATION"]);
  });

  it("refuses an empty seed list", () => {
    expect(() => train([])).toThrow(/seeds is empty/);
  });
});
