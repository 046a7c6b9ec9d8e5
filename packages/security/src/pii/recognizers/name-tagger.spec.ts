import fc from "fast-check";
import { nlp } from "./compromise-nlp";
import { NAME_GROUPS, NameTagger } from "./name-tagger";

/** What NameRecognizer read before the tagger: nlp(text), then each group's match offsets. */
function reference(text: string): string[] {
  const doc = (nlp() as unknown as (t: string) => { match(p: string): { json(o: object): { offset: { start: number; length: number } }[] } })(text);
  return NAME_GROUPS.flatMap((p, group) => doc.match(p).json({ offset: true }).map((f) => `${group}:${f.offset.start}+${f.offset.length}`));
}
const spans = (tagger: NameTagger, text: string): string[] => tagger.spans(text).map((s) => `${s.group}:${s.start}+${s.length}`);

const given = ["John", "Maria", "Wei", "Ahmed", "Fatima", "Olga", "Jean-Luc", "Siobhan", "Virginia", "Jordan", "Paris"];
const family = ["Smith", "García", "Okafor", "O'Neil", "Müller", "Zeta-Jones", "Kleist", "Washington", "Lincoln", "Bank"];
const words = ["the", "Borrower", "shall", "repay", "Agreement", "Lender", "of", "in", "and", "Inc.", "LLC", ",", "Delaware", "New York", "Bank of America", "Mr.", "Dr.", "Judge", "said", "works", "at", "Acme", "Street", "don't", "King", "Section 5.1", "(the \"Company\")", "MIT", "Google", "Santa Clara, California"];
const token = fc.oneof(fc.constantFrom(...given), fc.constantFrom(...family), fc.constantFrom(...words), fc.stringMatching(/^[A-Z][a-z]{2,8}$/));
const sentence = fc.array(token, { minLength: 2, maxLength: 14 }).chain((ws) => fc.constantFrom(".", "!", "?", ";", "").map((end) => `${ws.join(" ")}${end}`));
const text = fc.array(sentence, { minLength: 1, maxLength: 6 }).chain((ss) => fc.constantFrom(" ", "\n", "\n\n", ", ").map((sep) => ss.join(sep)));

describe("NameTagger", () => {
  it("reports exactly the spans of nlp(text) on generated sentences mixing names, places and defined terms", () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(spans(new NameTagger(0), t)).toEqual(reference(t));
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same spans from its memo as from tagging (sentences met again in other texts)", () => {
    const tagger = new NameTagger();
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), (texts) => {
        for (const t of texts) expect(spans(tagger, t)).toEqual(reference(t));
      }),
      { numRuns: 150 },
    );
  });

  it("keeps a bounded memo", () => {
    const tagger = new NameTagger(2);
    const t = "John Smith signed. Maria García paid. The Lender agreed. Wei Chen left.";
    expect(spans(tagger, t)).toEqual(reference(t));
    expect(spans(tagger, t)).toEqual(reference(t));
    expect((tagger as unknown as { memo: Map<string, unknown> }).memo.size).toBe(2);
  });
});
