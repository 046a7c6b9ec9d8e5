import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { featureStrings } from "./sentence-features";
import { sentenceTypedFeatures, typedCues } from "./typed-cues";

describe("typedCues", () => {
  it("names money with its order of magnitude, in any currency form", () => {
    expect(typedCues("a fee of $500 per order")).toEqual(expect.arrayContaining(["t:money", "t:money:s"]));
    expect(typedCues("no less than US$ 75,000 in total")).toEqual(expect.arrayContaining(["t:money", "t:money:m"]));
    expect(typedCues("EUR 2,500,000 shall be paid")).toEqual(expect.arrayContaining(["t:money:l"]));
    expect(typedCues("up to $12.5 million")).toEqual(expect.arrayContaining(["t:money:xl"]));
    expect(typedCues("1,000 dollars")).toContain("t:money");
  });

  it("names percentages, in figures or words, with a band", () => {
    expect(typedCues("seven percent (7%) of gross receipts")).toEqual(expect.arrayContaining(["t:pct", "t:pct:w", "t:pct:lt10"]));
    expect(typedCues("at least 50 per cent of the voting shares")).toEqual(expect.arrayContaining(["t:pct", "t:pct:50"]));
    expect(typedCues("the whole of the stock")).not.toContain("t:pct");
  });

  it("names durations by unit, rates, dates, spelled-out figures and references", () => {
    expect(typedCues("within sixty (60) calendar days")).toEqual(expect.arrayContaining(["t:dur:day", "t:spelled"]));
    expect(typedCues("for 3 consecutive years")).toContain("t:dur:year");
    expect(typedCues("invoiced quarterly, or once per contract year")).toEqual(expect.arrayContaining(["t:rate:quarter", "t:rate:year"]));
    expect(typedCues("signed on March 4, 2011")).toContain("t:date");
    expect(typedCues("subject to Section 12.3 and Exhibit C")).toEqual(expect.arrayContaining(["t:ref:section", "t:ref:exhibit"]));
    expect(typedCues("NEITHER PARTY SHALL BE LIABLE FOR LOST PROFITS")).toContain("t:caps");
    expect(typedCues("Neither party shall be liable for lost profits")).not.toContain("t:caps");
  });

  it("puts every cue under the prefix it is given (a neighbour's cues are not the sentence's)", () => {
    expect(typedCues("10% of the fees", "tn:")).toEqual(expect.arrayContaining(["tn:pct", "tn:pct:lt50"]));
    expect(typedCues("10% of the fees", "tn:").every((f) => f.startsWith("tn:"))).toBe(true);
  });

  it("never throws, is deterministic and prefixes every cue, whatever the text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const cues = typedCues(text, "tp:");
        expect(cues).toEqual(typedCues(text, "tp:"));
        expect(cues.every((c) => c.startsWith("tp:"))).toBe(true);
        expect(new Set(cues).size).toBe(cues.length);
        expect(() => sentenceTypedFeatures(text)).not.toThrow();
      }),
    );
  });
});

describe("sentenceTypedFeatures", () => {
  it("reads the terms a sentence defines and the defined terms it uses, not its opening word", () => {
    const f = sentenceTypedFeatures('Buyer shall order at least 4,000 Units in each Sales Year (the "Annual Floor").');
    expect(f).toEqual(expect.arrayContaining(["t:defines", "td:annual", "td:floor", "tr:units", "tr:sales year"]));
    expect(f).not.toContain("tr:buyer");
    expect(sentenceTypedFeatures('"Gross Margin" means the receipts less costs.')).toContain("t:defines");
  });

  it("joins a term's words across 'of' and reads a list item and a lead-in", () => {
    expect(sentenceTypedFeatures("(b) a Transfer of Ownership of the Seller;")).toEqual(expect.arrayContaining(["tr:transfer ownership", "t:item"]));
    expect(sentenceTypedFeatures("The Agent may end this Agreement if:")).toContain("t:leadin");
  });
});

describe("featureStrings with typed cues", () => {
  const ctx = { sentence: "Reseller shall remit 15% of fees.", previous: "Payment terms are as follows:", next: "Each remittance is due within 30 days.", position: 0.4, ruleScores: new Map() };

  it("adds the sentence's and its neighbours' cues only when asked, leaving every other feature as it was", () => {
    const plain = featureStrings(ctx);
    const typed = featureStrings(ctx, { typed: true });
    expect(plain.some((f) => /^t[a-z]?:/.test(f))).toBe(false);
    expect(typed.slice(0, plain.length)).toEqual(plain);
    expect(typed).toEqual(expect.arrayContaining(["t:pct", "tn:dur:day", "t:after-leadin"]));
  });
});
