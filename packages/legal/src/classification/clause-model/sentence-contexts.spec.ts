import fc from "fast-check";
import { ContractDocument } from "../../text/contract-document";
import { RuleClauseClassifier } from "../rule-clause-classifier";
import { sectionTitles, sentenceContexts } from "./sentence-contexts";
import { featureStrings } from "./sentence-features";

const CONTRACT = [
  "1. DEFINITIONS. Capitalised terms have the meanings below.",
  '1.1. "Products" means the goods listed in Schedule A.',
  "2. DISTRIBUTORSHIP",
  "2.1. Appointment. Supplier appoints Distributor as its exclusive distributor in the Territory.",
  "2.2. Pricing.",
  "2.2.1. Prices are set out in Schedule B and may change on 30 days' notice.",
  "Each change applies to orders placed after the notice.",
  "4",
  "     Supplier shall ship the Products within ten days.",
  "I. TERM AND RENEWAL",
  "A. This Agreement runs for five years.",
  "B. It renews for one-year terms unless either party gives notice.",
].join("\n\n");

describe("sectionTitles", () => {
  const doc = new ContractDocument(CONTRACT);
  const byOpening = (opening: string) => {
    const titles = sectionTitles(doc.clauses);
    const clause = doc.clauses.find((c) => c.span.quote.startsWith(opening));
    if (!clause) throw new Error(`no clause opens with '${opening}'`);
    return titles[clause.index];
  };

  it("gives a numbered sub-clause its parents' titles, nearest first", () => {
    expect(byOpening("1.1.")).toBe("DEFINITIONS");
    expect(byOpening("2.1.")).toBe("DISTRIBUTORSHIP");
    expect(byOpening("2.2.1.")).toBe("Pricing | DISTRIBUTORSHIP");
  });

  it("gives an unnumbered or lettered paragraph the section it follows, never its own title", () => {
    expect(byOpening("Each change")).toBe("Pricing | DISTRIBUTORSHIP");
    expect(byOpening("A. This")).toBe("TERM AND RENEWAL");
    expect(byOpening("B. It renews")).toBe("TERM AND RENEWAL");
    expect(byOpening("2. DISTRIBUTORSHIP")).toBeUndefined();
    expect(byOpening("I. TERM")).toBeUndefined();
  });

  it("does not take a page number of text from a PDF for a section", () => {
    expect(byOpening("4")).toBe("Pricing | DISTRIBUTORSHIP");
  });

  it("reaches the features only when asked (model files before them read none)", () => {
    const rules = new RuleClauseClassifier();
    const sentence = (contexts: ReturnType<typeof sentenceContexts>) => contexts.find((s) => s.span.quote.startsWith("2.2.1."))!.context;
    expect(sentence(sentenceContexts(doc, rules)).section).toBeUndefined();
    const withSections = sentence(sentenceContexts(doc, rules, { sections: true }));
    expect(withSections.section).toBe("Pricing | DISTRIBUTORSHIP");
    expect(featureStrings(withSections)).toEqual(expect.arrayContaining(["s:pricing", "s:distributorship"]));
    expect(featureStrings(sentence(sentenceContexts(doc, rules))).some((f) => f.startsWith("s:"))).toBe(false);
  });

  it("returns one entry per clause, a title or none, on any text", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom("1.", "1.1.", "2.", "A.", "IV.", "Term.", "TERM", "\n\n", "\n", " "), fc.string({ maxLength: 30 })), { maxLength: 40 }), (parts) => {
        const d = new ContractDocument(parts.join(" "));
        const titles = sectionTitles(d.clauses);
        expect(titles).toHaveLength(d.clauses.length);
        for (const t of titles) if (t !== undefined) expect(t.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});
