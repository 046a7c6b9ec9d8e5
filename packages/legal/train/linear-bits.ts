// The linear reader may use a smaller table than the features are hashed into (the network and the
// run time still read 2^hashBits buckets): feature b becomes row b & (2^linearBits − 1), and two
// features landing on one row both count, exactly as ClauseModel scores them at run time.
import type { SentenceDataset } from "./sentence-dataset";

export function linearView(data: SentenceDataset, linearBits: number): SentenceDataset {
  if (linearBits === data.hashBits) return data;
  if (!Number.isInteger(linearBits) || linearBits < 8 || linearBits > data.hashBits) throw new Error(`linear bits ${linearBits} must be an integer in 8–${data.hashBits}`);
  const mask = (1 << linearBits) - 1;
  return { ...data, hashBits: linearBits, indices: data.indices.map((b) => b & mask) };
}
