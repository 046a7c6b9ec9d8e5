import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import type { SearchHit } from "../retrieval/search-types";
import { extractiveAnswer } from "./answer-builder";
import path from "node:path";
import { DocumentResolver, nameWords, type DocumentProfileInput } from "./document-resolver";
import { isHeadingOrBlank } from "./sentence-features";
import { SentenceRanker } from "./sentence-ranker";

function hit(documentId: string, text: string, start = 0, sectionPath: string[] = []): SearchHit {
  return { chunkId: `${documentId}:${start}`, documentId, title: documentId, source: `/docs/${documentId}.txt`, matter: "m", documentType: "text", page: 1, start, end: start + text.length, sectionPath, text, score: 1, snippet: text, highlights: [] };
}

describe("the learned answer ranker", () => {
  it("cites the sentence with the duration for a 'how long' question, not the blank form line", () => {
    const passages = [
      hit("nda", "End of confidentiality obligations:\n________________\nThe Recipient shall keep the information in a safe place.", 0),
      hit("nda", "The obligations of confidentiality under this Agreement shall survive for a period of five (5) years after the termination of this Agreement.", 200),
    ];
    const answer = extractiveAnswer("How long do confidentiality obligations survive after the agreement ends?", passages, 1);
    expect(answer.notFound).toBe(false);
    expect(answer.citations[0]!.quote).toMatch(/five \(5\) years/);
  });

  it("cites the governing-law sentence for a governing-law question", () => {
    const passages = [
      hit("supply", "Supplier shall deliver the Products to the Buyer's warehouse in accordance with each purchase order.", 0),
      hit("supply", "This Agreement shall be governed by and construed in accordance with the laws of the State of Delaware, without regard to its conflict of laws rules.", 300, ["12. Governing Law"]),
      hit("supply", "Each party shall comply with all laws applicable to its performance.", 600),
    ];
    const answer = extractiveAnswer("What is the governing law of this supply agreement?", passages, 1);
    expect(answer.citations[0]!.quote).toMatch(/laws of the State of Delaware/);
  });

  it("never cites a heading-only or blank form line, even when it is all there is", () => {
    expect(isHeadingOrBlank("ARTICLE 12 GOVERNING LAW")).toBe(true);
    expect(isHeadingOrBlank("Effective Date:")).toBe(true);
    expect(isHeadingOrBlank("Term: ____________")).toBe(true);
    expect(isHeadingOrBlank("This Agreement is governed by the laws of Delaware.")).toBe(false);
    const ranked = new SentenceRanker().rank("What is the governing law?", [hit("x", "GOVERNING LAW\nEffective Date:\nTerm: ________")]);
    expect(ranked).toEqual([]);
    expect(extractiveAnswer("What is the governing law?", [hit("x", "GOVERNING LAW\nEffective Date:")]).notFound).toBe(true);
  });

  it("says 'not found' when nothing retrieved can answer, keeping the closest passages", () => {
    const passages = [hit("x", "SCHEDULE A\nEffective Date:\nSignature: ________")];
    const answer = extractiveAnswer("Is there a cap on liability under this contract?", passages);
    expect(answer.notFound).toBe(true);
    expect(answer.citations).toEqual([]);
    expect(answer.text).toMatch(/not found in the selected documents/i);
    expect(answer.passages).toEqual(passages);
    expect(extractiveAnswer("Is there a cap on liability?", []).notFound).toBe(true);
  });

  it("scores the clause a question asks for far above sentences that only brush against it; 'not found' is the best score under the threshold", () => {
    const without = [
      hit("lease", "The Lessee shall pay rent of $2,000 on the first day of each month.", 0),
      hit("lease", "The Lessee shall keep the premises in good repair.", 100),
    ];
    const cap = hit("lease", "In no event shall either party's aggregate liability under this Agreement exceed the fees paid in the twelve (12) months before the claim.", 200);
    const ranker = new SentenceRanker();
    const question = "Is there a cap on liability under this contract?";
    const withCap = ranker.rank(question, [...without, cap]);
    const withoutCap = ranker.rank(question, without);
    expect(withCap[0]!.text).toMatch(/aggregate liability/);
    expect(withCap[0]!.score - withoutCap[0]!.score).toBeGreaterThan(1);
    // The rule itself: a threshold between the two best scores answers one and not the other.
    const between = new SentenceRanker({ ...ranker.weights, notFoundBelow: (withCap[0]!.score + withoutCap[0]!.score) / 2 });
    expect(extractiveAnswer(question, [...without, cap], 1, between).citations[0]!.quote).toMatch(/aggregate liability/);
    expect(extractiveAnswer(question, without, 1, between).notFound).toBe(true);
  });
});

/** The resolver's rank as it was written before its word -> documents postings (a document-by-document scan): the oracle of the property test. */
function referenceRank(documents: readonly DocumentProfileInput[], reference: string): { documentId: string; score: number }[] {
  const names = new Map<string, Set<string>>();
  const heads = new Map<string, Set<string>>();
  const df = new Map<string, number>();
  for (const d of documents) {
    const file = path.basename(d.source).replace(/\.[a-z0-9]{1,5}$/i, "");
    names.set(d.id, new Set(nameWords(`${d.title} ${d.parties.join(" ")} ${file.replace(/[_.-]+/g, " ")}`)));
    heads.set(d.id, new Set(nameWords(d.text.slice(0, 1500))));
    for (const w of new Set([...names.get(d.id)!, ...nameWords(d.text)])) df.set(w, (df.get(w) ?? 0) + 1);
  }
  const n = documents.length;
  const rarest = Math.log((n + 1) / 1.5);
  const out: { documentId: string; score: number }[] = [];
  for (const [id, name] of names) {
    let score = 0;
    for (const w of new Set(nameWords(reference))) {
      const f = df.get(w);
      const idf = f === undefined ? undefined : Math.log((n + 1) / (f + 0.5)) / rarest;
      if (idf === undefined || idf <= 0) continue;
      if (name.has(w)) score += idf;
      else if (heads.get(id)!.has(w)) score += 0.6 * idf;
    }
    if (score > 0) out.push({ documentId: id, score });
  }
  return out.sort((a, b) => b.score - a.score || a.documentId.localeCompare(b.documentId));
}

describe("DocumentResolver", () => {
  const docs = [
    { id: "a", title: "SUPPLY AGREEMENT", source: "/d/FLOTEK-EX-10.1-SUPPLY AGREEMENT.txt", parties: ["Florida Chemical Company", "Flotek Chemistry"], text: "SUPPLY AGREEMENT between Florida Chemical Company and Flotek Chemistry. Terms for confidential information and employees." },
    { id: "b", title: "PROMOTION AGREEMENT", source: "/d/KING-EX-10.1-PROMOTION AGREEMENT.txt", parties: ["Depomed", "King Pharmaceuticals"], text: "PROMOTION AGREEMENT between Depomed and King Pharmaceuticals. Confidential information of employees." },
    { id: "c", title: "Non-Disclosure Agreement", source: "/d/NDA_ResConnect.txt", parties: [], text: "Non-Disclosure Agreement. Confidential information held by employees." },
  ];
  const thresholds = { minScore: 1, minMargin: 0.2, minSetScore: 1.4 };
  const resolver = new DocumentResolver(docs);

  it("finds the document a question names by parties, title or file name", () => {
    expect(resolver.named("What is the governing law of the Flotek supply agreement?", thresholds)?.documentId).toBe("a");
    expect(resolver.named("Consider ResConnect's NDA; may employees see confidential information?", thresholds)?.documentId).toBe("c");
    expect(resolver.named("Does King Pharmaceuticals' agreement allow termination?", thresholds)?.documentId).toBe("b");
  });

  it("names no document for a question about all of them", () => {
    expect(resolver.scope("May employees see confidential information?", thresholds)).toEqual([]);
  });

  it("ranks as the document-by-document scan did, built at once or a few documents at a time, with words past the opening", async () => {
    const word = fc.constantFrom("flotek", "king", "depomed", "supply", "promotion", "nda", "resconnect", "confidential", "employees", "florida", "chemistry", "termination", "acme");
    const profile = fc.record({
      id: fc.uuid(),
      title: fc.array(word, { maxLength: 3 }).map((w) => w.join(" ")),
      source: fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => `/d/${w.join("_")}.txt`),
      parties: fc.array(fc.array(word, { minLength: 1, maxLength: 2 }).map((w) => w.join(" ")), { maxLength: 2 }),
      // Words past the opening (1,500 characters) count in idf only: the resolver scores naming words alone.
      text: fc.tuple(fc.array(word, { maxLength: 40 }), fc.boolean(), fc.array(word, { maxLength: 10 })).map(([head, long, body]) => `${head.join(" ")}${long ? ` ${"x".repeat(1500)} ${body.join(" ")}` : ""}`),
    });
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(profile, { selector: (p) => p.id, maxLength: 40 }), fc.array(word, { minLength: 1, maxLength: 6 }), async (profiles, question) => {
        const built = await DocumentResolver.build(profiles);
        const reference = question.join(" ");
        const expected = referenceRank(profiles, reference);
        expect(built.rank(reference)).toEqual(expected);
        expect(new DocumentResolver(profiles).rank(reference)).toEqual(expected);
        expect(built.size).toBe(profiles.length);
      }),
      { numRuns: 60 },
    );
  });
});
