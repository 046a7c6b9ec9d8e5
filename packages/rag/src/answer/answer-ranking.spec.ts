import { describe, expect, it } from "@jest/globals";
import type { SearchHit } from "../retrieval/search-types";
import { extractiveAnswer } from "./answer-builder";
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
