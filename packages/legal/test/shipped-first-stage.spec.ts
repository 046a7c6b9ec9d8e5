// `npm run train`'s first stage (train/shipped-first-stage.ts): each reader is fitted once and then read
// from its cache, bit for bit, without building the dataset; changing one member's options refits that
// member only; the CI hold-out's sentences are never learnt from.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { trainBagNetwork } from "../train/bag-network-trainer";
import { isClauseCiHoldout, shippedTrainingRows } from "../train/clause-ci-holdout";
import { DEFAULT_EXPERIMENT, type ExperimentOptions } from "../train/clause-model-experiment";
import { linearView } from "../train/linear-bits";
import { trainLogistic } from "../train/logistic-trainer";
import { buildDataset, type SentenceDataset } from "../train/sentence-dataset";
import { shippedReaders } from "../train/shipped-first-stage";
import { toyContract } from "./toy-contracts";

const contracts = Array.from({ length: 90 }, (_, k) => toyContract(k));
const opts: ExperimentOptions = { ...DEFAULT_EXPERIMENT, hashBits: 12, linearBits: 11, epochs: 1, network: { ...DEFAULT_EXPERIMENT.network, bucketBits: 10, hidden: 4, epochs: 1 }, networkMembers: 2, memberHidden: [4, 3] };
const same = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe("the shipped first stage's readers", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "legal-shipped-readers-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  let builds = 0;
  const dataset = (): SentenceDataset => {
    builds++;
    return buildDataset(contracts, opts.hashBits);
  };

  it("are fitted on every contract but the CI hold-out, then read back from the cache without the dataset", () => {
    const data = buildDataset(contracts, opts.hashBits);
    const rows = shippedTrainingRows(data);
    const held = contracts.filter((c) => isClauseCiHoldout(c.file)).length;
    expect(held).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(data.size);
    expect(Array.from(rows).some((r) => isClauseCiHoldout(contracts[data.contractOf[r]!]!.file))).toBe(false);

    const fitted = shippedReaders(opts, contracts, dataset, () => undefined, dir);
    expect(builds).toBe(1);
    expect(fitted.sentences).toBe(rows.length);
    const linear = trainLogistic(linearView(data, opts.linearBits), rows, opts);
    expect(same(fitted.linear.hashed, linear.hashed) && same(fitted.linear.bias, linear.bias) && same(fitted.linear.rules, linear.rules)).toBe(true);
    expect(fitted.networks.map((n) => n.hidden)).toEqual([4, 3]);
    const second = trainBagNetwork(data, rows, { ...opts.network, hidden: 3, seed: opts.network.seed + 1 });
    expect(same(fitted.networks[1]!.embeddings, second.embeddings) && same(fitted.networks[1]!.w2, second.w2)).toBe(true);

    const lines: string[] = [];
    const again = shippedReaders(opts, contracts, dataset, (l) => lines.push(l), dir);
    expect(builds).toBe(1);
    expect(lines.every((l) => l.includes("read from the cache"))).toBe(true);
    expect(again.sentences).toBe(rows.length);
    expect(same(again.linear.hashed, fitted.linear.hashed)).toBe(true);
    fitted.networks.forEach((n, k) => {
      const m = again.networks[k]!;
      expect([m.hidden, m.bucketBits, m.bucketHashes]).toEqual([n.hidden, n.bucketBits, n.bucketHashes]);
      for (const part of ["embeddings", "ruleWeights", "b1", "w2", "b2"] as const) expect(same(m[part], n[part])).toBe(true);
    });
  });

  it("refit only the reader whose options changed", () => {
    const lines: string[] = [];
    const wider = shippedReaders({ ...opts, memberHidden: [4, 5] }, contracts, dataset, (l) => lines.push(l), dir);
    expect(builds).toBe(2);
    expect(wider.networks.map((n) => n.hidden)).toEqual([4, 5]);
    expect(lines.filter((l) => l.includes("read from the cache")).length).toBe(2);
    expect(lines.filter((l) => l.includes("fitted on")).length).toBe(1);
  });

  it("read a network with two buckets per feature back from the cache with two (its header records it)", () => {
    const two: ExperimentOptions = { ...opts, network: { ...opts.network, bucketHashes: 2 }, networkMembers: 1 };
    const fitted = shippedReaders(two, contracts, dataset, () => undefined, dir);
    expect(fitted.networks[0]!.bucketHashes).toBe(2);
    const lines: string[] = [];
    const again = shippedReaders(two, contracts, dataset, (l) => lines.push(l), dir);
    expect(lines.every((l) => l.includes("read from the cache"))).toBe(true);
    expect(again.networks[0]!.bucketHashes).toBe(2);
    expect(same(again.networks[0]!.embeddings, fitted.networks[0]!.embeddings)).toBe(true);
  });
});
