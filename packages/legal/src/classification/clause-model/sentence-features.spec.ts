import fc from "fast-check";
import fs from "node:fs";
import path from "node:path";
import { ContractDocument } from "../../text/contract-document";
import { CUAD_CATEGORIES, type CuadCategory } from "../cuad-categories";
import { RuleClauseClassifier } from "../rule-clause-classifier";
import { sentenceContexts } from "./sentence-contexts";
import { featureStrings, fnv1a, sentenceFeatures, type FeatureOptions, type SentenceContext } from "./sentence-features";

/** What sentenceFeatures computed before it hashed features part by part: every feature string, hashed into a set. */
function bucketsOfStrings(ctx: SentenceContext, hashBits: number, options: FeatureOptions = {}) {
  const mask = (1 << hashBits) - 1;
  const set = new Set<number>();
  for (const f of featureStrings(ctx, options)) set.add(fnv1a(f) & mask);
  const indices = Int32Array.from(set).sort();
  return { indices, value: indices.length > 0 ? 1 / Math.sqrt(indices.length) : 0, rules: Float32Array.from(CUAD_CATEGORIES, (c) => ctx.ruleScores.get(c) ?? 0) };
}

// Pieces that try the tokenizer: apostrophes (straight and curly), digits and long numbers, capitals, letters that
// lower-case into ASCII or into two characters (Kelvin sign, dotted capital I), a surrogate pair, a colon lead-in.
const piece = fc.constantFrom("Term", "term", "don't", "'s", "’s", "o'", "'", "a", "B", "30", "2024", "1234567", "x9", "9x", " ", "  ", "\n", ".", ",", ":", "-", "K", "İ", "é", "😀", "$1,000", "10%", "thirty (30) days", "Governing Law");
const phrase = (max: number) => fc.array(piece, { maxLength: max }).map((p) => p.join(""));
const optional = (arb: fc.Arbitrary<string>) => fc.option(arb, { nil: undefined });
const context: fc.Arbitrary<SentenceContext> = fc
  .record({
    sentence: phrase(60),
    heading: optional(phrase(8)),
    previous: optional(phrase(30)),
    next: optional(phrase(30)),
    clauseOpening: optional(phrase(30)),
    section: optional(phrase(6)),
    position: fc.double({ min: 0, max: 1, noNaN: true }),
    scores: fc.array(fc.tuple(fc.constantFrom(...CUAD_CATEGORIES), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 4 }),
  })
  .map(({ scores, ...c }) => {
    const ctx: Record<string, unknown> = { sentence: c.sentence, position: c.position, ruleScores: new Map<CuadCategory, number>(scores) };
    for (const k of ["heading", "previous", "next", "clauseOpening", "section"] as const) if (c[k] !== undefined) ctx[k] = c[k];
    return ctx as unknown as SentenceContext;
  });

describe("sentenceFeatures", () => {
  it("gives the buckets of hashing every feature string (generated contexts, with and without typed cues)", () => {
    fc.assert(
      fc.property(context, fc.integer({ min: 6, max: 20 }), fc.boolean(), (ctx, bits, typed) => {
        expect(sentenceFeatures(ctx, bits, { typed })).toEqual(bucketsOfStrings(ctx, bits, { typed }));
      }),
      { numRuns: 1500 },
    );
  });

  it("reads at most as many tokens as tokenize does (a sentence of 6,000 characters and 900 words)", () => {
    const ctx: SentenceContext = { sentence: "Word 12 ".repeat(750), previous: "alpha beta ".repeat(100), position: 0.5, ruleScores: new Map() };
    expect(sentenceFeatures(ctx, 18)).toEqual(bucketsOfStrings(ctx, 18));
  });

  it("gives the same buckets for every sentence of a contract in its context", () => {
    const text = fs.readFileSync(path.join(import.meta.dirname, "../../../test/fixtures/services-agreement.txt"), "utf8");
    const contexts = sentenceContexts(new ContractDocument(text), new RuleClauseClassifier(), { sections: true });
    expect(contexts.length).toBeGreaterThan(20);
    for (const s of contexts) for (const typed of [false, true]) expect(sentenceFeatures(s.context, 18, { typed })).toEqual(bucketsOfStrings(s.context, 18, { typed }));
  });
});
