import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import fc from "fast-check";
import { shared } from "../../test/fixtures";
import { PORTER2_SLACK, porter2Ascii } from "./porter2";

/** The stemmer the index's terms were first made with: ours must give exactly its stems. */
const wink = createRequire(import.meta.url)("wink-porter2-stemmer") as (word: string) => string;

function ours(word: string): string {
  const bytes = Buffer.alloc(word.length + PORTER2_SLACK);
  bytes.write(word, "latin1");
  return bytes.toString("latin1", 0, porter2Ascii(bytes, word.length));
}

/** The distinct lower-case ASCII words (runs of letters and digits, as the analyser cuts them) of every file under `dir`. */
function wordsOf(dir: string, into: Set<string>): Set<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const text = fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8").toLowerCase();
    for (const m of text.matchAll(/[a-z0-9]+/g)) if (m[0].length < 40) into.add(m[0]);
  }
  return into;
}

/** The words whose stems differ, with both stems (empty when ours agrees with wink on all). */
function disagreements(words: Iterable<string>): string[] {
  const out: string[] = [];
  for (const w of words) {
    const expected = wink(w);
    const got = ours(w);
    if (got !== expected) out.push(`${w}: ${got} (wink ${expected})`);
  }
  return out;
}

describe("porter2Ascii (Porter2 for ASCII words, in place)", () => {
  it("stems as Porter2 does, with wink's readings", () => {
    const cases: Record<string, string> = {
      running: "run", agreements: "agreement", termination: "termin", indemnified: "indemnifi", generously: "generous",
      skies: "sky", dying: "die", agreed: "agre", proceed: "proceed", hopping: "hop", hoping: "hope", controlling: "control",
      ties: "tie", cries: "cri", gas: "gas", this: "this", caresses: "caress", luxuriating: "luxuri", sayyay: "sayyay",
      "2023": "202i", "1933": "19yi", yes: "yes", ab: "ab", fallible: "fallibl", conditional: "condit", "3yes": "yye",
    };
    for (const [word, stem] of Object.entries(cases)) expect([word, ours(word)]).toEqual([word, stem]);
    for (const [word, stem] of Object.entries(cases)) expect([word, wink(word)]).toEqual([word, stem]);
  });

  it("gives wink's stem for every distinct word of cuad_train, LegalBench-RAG and the synthetic bench corpus", () => {
    const words = new Set<string>();
    wordsOf(path.join(shared(), "data/cuad_train/full_contract_txt"), words);
    wordsOf(path.join(shared(), "data/legalbench_rag/corpus"), words);
    // The synthetic corpus is drawn from the bench's word lists and numbers.
    wordsOf(path.join(import.meta.dirname, "../../bench"), words);
    for (let i = 0; i < 100_000; i++) words.add(String(i));
    expect(words.size).toBeGreaterThan(100_000 + 25_000);
    expect(disagreements(words)).toEqual([]);
  });

  it("gives wink's stem for random words of the letters and endings its steps look at", () => {
    const piece = fc.constantFrom(
      ..."abcdefghijklmnopqrstuvwxyz0123".split(""),
      ..."y y y e e s s i l ed ing ly edly ingly eed eedly ies ied sses us ss at bl iz bb dd ff gg mm nn pp rr tt".split(" "),
      ..."ational tional enci anci abli entli izer ization ation ator alism iveness fulness ousness aliti iviti biliti bli ogi logi fulli lessli li ousli alli".split(" "),
      ..."alize icate iciti ative ical ness ful ement ance ence able ible ment ant ent ism ate iti ous ive ize ion sion tion al er ic ll".split(" "),
      ..."gener commun arsen news sky skis dying only".split(" "),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), (pieces) => {
        const word = pieces.join("").slice(0, 39);
        expect(ours(word)).toBe(wink(word));
      }),
      { numRuns: 20_000 },
    );
  });
});
