// Several network readers (same shape, other seeds) averaged: the mean of their logits is exactly
// one wider network's (hidden units side by side, output weights divided by the count), so the
// model file and run time read an ensemble as one network.
import type { BagNetworkWeights } from "../src/classification/clause-model/bag-network";

export function mergeBagNetworks(members: readonly BagNetworkWeights[]): BagNetworkWeights {
  const first = members[0];
  if (!first) throw new Error("mergeBagNetworks needs at least one network");
  if (members.length === 1) return first;
  const K = members.length;
  const Hs = members.map((m) => m.hidden);
  if (members.some((m) => m.bucketBits !== first.bucketBits || (m.bucketHashes ?? 1) !== (first.bucketHashes ?? 1) || m.b2.length !== first.b2.length)) throw new Error("mergeBagNetworks: members differ in bucket bits, buckets per feature or categories");
  const H = Hs.reduce((a, b) => a + b, 0);
  const B = 1 << first.bucketBits;
  const C = first.b2.length;
  const R = first.ruleWeights.length / first.hidden;
  const embeddings = new Float32Array(B * H);
  const ruleWeights = new Float32Array(R * H);
  const b1 = new Float32Array(H);
  const w2 = new Float32Array(C * H);
  const b2 = new Float32Array(C);
  let offset = 0;
  for (const m of members) {
    const h = m.hidden;
    for (let b = 0; b < B; b++) embeddings.set(m.embeddings.subarray(b * h, (b + 1) * h), b * H + offset);
    for (let r = 0; r < R; r++) ruleWeights.set(m.ruleWeights.subarray(r * h, (r + 1) * h), r * H + offset);
    b1.set(m.b1, offset);
    for (let c = 0; c < C; c++) {
      for (let j = 0; j < h; j++) w2[c * H + offset + j] = m.w2[c * h + j]! / K;
      b2[c]! += m.b2[c]! / K;
    }
    offset += h;
  }
  return { bucketBits: first.bucketBits, ...(first.bucketHashes === 2 ? { bucketHashes: 2 as const } : {}), hidden: H, embeddings, ruleWeights, b1, w2, b2 };
}
