// rev10 #17: the linear typed cues give, line by line, the features the quadratic ones gave on every
// contract of cuad_train (an identity check of the regexes, nothing learned or tuned from the text).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { sentenceTypedFeatures } from "../src/classification/clause-model/typed-cues";
import { CUAD_TRAIN_DIR } from "../train/cuad-data";
import * as quadratic from "./fixtures/typed-cues-quadratic";

describe("typed cues on real contracts", () => {
  it("are identical to the quadratic regexes' on every line of every cuad_train contract", () => {
    const dir = path.join(CUAD_TRAIN_DIR, "full_contract_txt");
    let lines = 0;
    let features = 0;
    const differing: string[] = [];
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".txt"))) {
      for (const line of fs.readFileSync(path.join(dir, file), "utf8").split(/\n+/)) {
        if (!line.trim()) continue;
        lines++;
        const now = sentenceTypedFeatures(line);
        features += now.length;
        if (JSON.stringify(now) !== JSON.stringify(quadratic.sentenceTypedFeatures(line))) differing.push(`${file}: line ${lines}`);
      }
    }
    expect(lines).toBeGreaterThan(40_000);
    expect(features).toBeGreaterThan(100_000);
    expect(differing).toEqual([]);
  }, 120_000);
});
