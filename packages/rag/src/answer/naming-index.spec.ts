import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { nameWords, type DocumentProfileInput } from "./document-resolver";
import { documentResolver, NamingIndex, type NamedDocument } from "./naming-index";

/** The resolver's rank as it was written before its word -> documents postings (a document-by-document scan): the oracle of the property tests. */
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

const word = fc.constantFrom("flotek", "king", "depomed", "supply", "promotion", "nda", "resconnect", "confidential", "employees", "florida", "chemistry", "termination", "acme", "txt");
const fields = {
  title: fc.array(word, { maxLength: 3 }).map((w) => w.join(" ")),
  source: fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => `/d/${w.join("_")}.txt`),
  parties: fc.array(fc.array(word, { minLength: 1, maxLength: 2 }).map((w) => w.join(" ")), { maxLength: 2 }),
  // Words past the opening (1,500 characters) count in idf only: the resolver scores naming words alone.
  text: fc.tuple(fc.array(word, { maxLength: 40 }), fc.boolean(), fc.array(word, { maxLength: 10 })).map(([head, long, body]) => `${head.join(" ")}${long ? ` ${"x".repeat(1500)} ${body.join(" ")}` : ""}`),
};
const question = fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(" "));

describe("DocumentResolver", () => {
  const docs = [
    { id: "a", title: "SUPPLY AGREEMENT", source: "/d/FLOTEK-EX-10.1-SUPPLY AGREEMENT.txt", parties: ["Florida Chemical Company", "Flotek Chemistry"], text: "SUPPLY AGREEMENT between Florida Chemical Company and Flotek Chemistry. Terms for confidential information and employees." },
    { id: "b", title: "PROMOTION AGREEMENT", source: "/d/KING-EX-10.1-PROMOTION AGREEMENT.txt", parties: ["Depomed", "King Pharmaceuticals"], text: "PROMOTION AGREEMENT between Depomed and King Pharmaceuticals. Confidential information of employees." },
    { id: "c", title: "Non-Disclosure Agreement", source: "/d/NDA_ResConnect.txt", parties: [], text: "Non-Disclosure Agreement. Confidential information held by employees." },
  ];
  const thresholds = { minScore: 1, minMargin: 0.2, minSetScore: 1.4 };
  const resolver = documentResolver(docs);

  it("finds the document a question names by parties, title or file name", () => {
    expect(resolver.named("What is the governing law of the Flotek supply agreement?", thresholds)?.documentId).toBe("a");
    expect(resolver.named("Consider ResConnect's NDA; may employees see confidential information?", thresholds)?.documentId).toBe("c");
    expect(resolver.named("Does King Pharmaceuticals' agreement allow termination?", thresholds)?.documentId).toBe("b");
  });

  it("names no document for a question about all of them", () => {
    expect(resolver.scope("May employees see confidential information?", thresholds)).toEqual([]);
  });

  it("does not name a document by its file name's extension", () => {
    expect(resolver.rank("txt")).toEqual([]);
  });

  it("ranks as the document-by-document scan did, with words past the opening", () => {
    const profile = fc.record({ id: fc.uuid(), ...fields });
    fc.assert(
      fc.property(fc.uniqueArray(profile, { selector: (p) => p.id, maxLength: 40 }), question, (profiles, reference) => {
        const built = documentResolver(profiles);
        expect(built.rank(reference)).toEqual(referenceRank(profiles, reference));
        expect(built.size).toBe(profiles.length);
      }),
      { numRuns: 60 },
    );
  });
});

type Step = { op: "add" | "reingest"; id: number; doc: Omit<DocumentProfileInput, "id"> } | { op: "delete"; id: number } | { op: "scope"; ids: number[] };

describe("NamingIndex (incremental)", () => {
  const doc = fc.record(fields);
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ op: fc.constant("add" as const), id: fc.nat(11), doc }),
    fc.record({ op: fc.constant("reingest" as const), id: fc.nat(11), doc }),
    fc.record({ op: fc.constant("delete" as const), id: fc.nat(11) }),
    fc.record({ op: fc.constant("scope" as const), ids: fc.uniqueArray(fc.nat(11), { maxLength: 8 }) }),
  );

  it("after any sequence of adds, deletes, re-ingests and scope changes ranks exactly as a full build, reading only new versions", async () => {
    await fc.assert(
      // `stale`: the update is given the listing made before the step (a build that waited for another while a document was deleted or replaced)
      fc.asyncProperty(fc.array(fc.tuple(step, fc.boolean()), { minLength: 1, maxLength: 25 }), fc.array(question, { minLength: 1, maxLength: 4 }), async (steps, questions) => {
        const index = new NamingIndex();
        const live = new Map<string, NamedDocument & { text: string }>();
        let version = 0;
        let scope: Set<string> | undefined;
        const profiled = new Set<string>();
        for (const [s, stale] of steps) {
          const listed = [...live.values()].filter((d) => !scope || scope.has(d.id));
          if (s.op === "delete") live.delete(`d${s.id}`);
          else if (s.op === "scope") scope = new Set(s.ids.map((i) => `d${i}`));
          else if (s.op === "add" || live.has(`d${s.id}`)) live.set(`d${s.id}`, { id: `d${s.id}`, version: String(++version), ...s.doc });
          const all = [...live.values()];
          const current = all.filter((d) => !scope || scope.has(d.id));
          const visible = stale ? listed.filter((d) => live.get(d.id)?.version === d.version) : current;
          const read: string[] = [];
          const resolver = await index.update(stale ? listed : current, async function* (ids) {
            for (const id of ids) {
              const d = live.get(id)!;
              read.push(`${d.id}@${d.version}`);
              yield { id, version: d.version, text: d.text };
            }
          }, all);
          // Each version is read once while it lives (a scope change reads only versions never profiled).
          for (const key of read) {
            expect(profiled.has(key)).toBe(false);
            profiled.add(key);
          }
          expect(resolver.size).toBe(visible.length);
          for (const q of questions) {
            const expected = referenceRank(visible, q);
            expect(resolver.rank(q)).toEqual(expected);
            // named() picks the first two without sorting the rest: the same as the first two of the scan.
            for (const t of [{ minScore: 0.3, minMargin: 0 }, { minScore: 0.8, minMargin: 0.2 }]) {
              const [best, second] = expected;
              const oracle = best && best.score >= t.minScore && (!second || best.score - second.score >= t.minMargin) ? best : undefined;
              expect(resolver.named(q, { ...t, minSetScore: 1 })).toEqual(oracle);
            }
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  /** Two documents (a: Flotek supply, b: King lease) with these texts, and their texts' reader. */
  const twoDocuments = (aText: string, bText: string) => {
    const a = { id: "a", version: "1", title: "Supply", source: "/d/flotek.txt", parties: ["Flotek"], text: aText };
    const b = { id: "b", version: "1", title: "Lease", source: "/d/king.txt", parties: ["King"], text: bText };
    const texts = async function* (ids: readonly string[]) {
      for (const id of ids) yield { id, text: [a, b].find((d) => d.id === id)!.text };
    };
    return { a, b, texts };
  };

  it("holds no word of a document once it is forgotten, and none at all after clear()", async () => {
    const index = new NamingIndex();
    const { a, b, texts } = twoDocuments("supply of widgets to the borrower", "lease of premises");
    await index.update([a, b], texts);
    const both = index.heldWords;
    await index.update([b], texts); // a deleted: its own words go
    expect(index.heldWords).toBeGreaterThan(0);
    expect(index.heldWords).toBeLessThan(both);
    await index.update([], texts);
    expect(index.heldWords).toBe(0);
    await index.update([a, b], texts);
    index.clear();
    expect({ size: index.size, words: index.heldWords, named: index.resolver().rank("flotek supply") }).toEqual({ size: 0, words: 0, named: [] });
    expect((await index.update([b], texts)).rank("king lease")[0]?.documentId).toBe("b"); // usable again
  });

  it("keeps a resolver it made unchanged by later updates", async () => {
    const index = new NamingIndex();
    const { a, b, texts } = twoDocuments("supply", "lease flotek");
    const first = await index.update([a], texts);
    const before = first.rank("flotek");
    await index.update([a, b], texts);
    expect(first.rank("flotek")).toEqual(before);
    expect(first.size).toBe(1);
  });
});
