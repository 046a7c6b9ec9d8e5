import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type nlpType from "compromise";
import { COMPROMISE_LEXICON_FILE, lexicon } from "./compromise-nlp";

describe("compromise's lexicon, shipped", () => {
  it("is the installed compromise's lexicon, word for word and tag for tag (npm run lexicon after an upgrade)", () => {
    const nlp = createRequire(import.meta.url)("compromise") as typeof nlpType;
    const installed = (nlp.model() as { one: { lexicon: Record<string, string | string[]> } }).one.lexicon;
    const shipped = fs.readFileSync(path.join(import.meta.dirname, "../../../model", COMPROMISE_LEXICON_FILE), "utf8");
    expect(shipped).toBe(JSON.stringify(installed));
    // what the recognizers read is that copy: same keys in the same order, same tags
    expect(JSON.stringify(lexicon())).toBe(JSON.stringify(installed));
    expect(lexicon()["paris"]).toEqual(installed["paris"]);
  });
});
