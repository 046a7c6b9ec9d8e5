// The shipped weights are what the training script writes today: trained afresh (seeded, from the public data's
// training parts) they must equal model/name-model.bin byte for byte. A change to the features, to the training
// data or to a recognizer the data is labelled with fails here until `npm run train -w @bear/security` is re-run
// and the new file committed (and the quality figures re-measured).
import { createHash } from "node:crypto";
import fs from "node:fs";
import { sharedDataDir } from "../bench/pii-eval";
import { shippedNameModelPath } from "../src/pii/model/shipped-name-model";
import { trainShippedModelBytes } from "../train/name-model-trainer";

const digest = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex").slice(0, 16);

describe("shipped name model", () => {
  it("is reproduced byte for byte by the training script", () => {
    const file = shippedNameModelPath();
    expect(file).toBeDefined();
    const shipped = fs.readFileSync(file as string);
    const fresh = trainShippedModelBytes(sharedDataDir(import.meta.dirname));
    // digests first: a readable message when they differ
    expect(digest(fresh)).toBe(digest(shipped));
    expect(Buffer.from(fresh).equals(shipped)).toBe(true);
  }, 300_000);
});
