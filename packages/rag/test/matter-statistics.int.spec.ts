// The ethical wall in lexical scores (rev12 #10): a search scoped to matters ranks by BM25 statistics of those
// matters alone, so what other matters hold (a word, how often, how long their chunks are) never moves its scores or order.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "@jest/globals";
import { KeyEncryptionKey, KeyedContentCipher } from "@bear/security";
import { RagEngine, type RagEngineOptions } from "../src/rag-engine";
import { tempDir } from "./support/temp-dir";

// Invented words: a probe (a name someone might test for) and a control, each in one of the caller's two memos.
const PROBE = "vendrikos";
const CONTROL = "pallimund";
const FILLER = [
  "The Landlord shall keep the roof and the outer walls in good repair.",
  "Either party may end this lease on ninety days written notice.",
  "The deposit is held in a separate account and returned at the end of the term.",
  "Rent is paid monthly in advance on the first business day.",
  "The Tenant shall insure the contents of the premises against fire.",
  "Disputes are settled by arbitration in the city where the premises lie.",
];

function write(dir: string, name: string, text: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The caller's view of a query in matter m1: chunk ids in order with their scores. */
async function callerView(rag: RagEngine, query: string, matters = ["m1"]): Promise<[string, number][]> {
  const hits = await rag.search(query, { mode: "lexical", k: 20, documentBoost: 0, rerank: null, filter: { matters } });
  return hits.map((h) => [path.basename(h.source), Number(h.score.toFixed(9))]);
}

describe.each([
  ["plain", (): Partial<RagEngineOptions> => ({})],
  ["encrypted", (): Partial<RagEngineOptions> => ({ cipher: new KeyedContentCipher(KeyEncryptionKey.fromBytes(randomBytes(32))) })],
])("matter-local lexical statistics (%s index, real LanceDB)", (_name, extra) => {
  const root = tempDir("rag-matter-stats-");
  let rag: RagEngine;
  afterAll(async () => rag?.dispose());

  it("gives the caller the same scores and order whether or not other matters hold the probe word", async () => {
    rag = await RagEngine.open({ dir: path.join(root, "index"), root, ...extra() });
    const m1 = path.join(root, "m1");
    const files = [write(m1, "p1.txt", `Memo one. The word ${PROBE} appears in this memo about the lease.`), write(m1, "p2.txt", `Memo two. The word ${CONTROL} appears in this memo about the lease.`)];
    FILLER.forEach((t, i) => files.push(write(m1, `filler-${i}.txt`, t)));
    await rag.ingest(files, { matter: "m1" });
    await rag.ingest([write(path.join(root, "m3"), "unrelated.txt", "A short note about parking spaces and keys.")], { matter: "m3" });

    const query = `${PROBE} ${CONTROL}`;
    const before = await callerView(rag, query);
    const beforeTwo = await callerView(rag, query, ["m1", "m3"]);
    const beforeLease = await callerView(rag, "lease memo deposit");
    expect(before.map(([f]) => f).sort()).toEqual(["p1.txt", "p2.txt"]);
    // the two memos are alike but for the two words, each once in its own memo: equal weight, equal score
    expect(before[0]![1]).toBeCloseTo(before[1]![1], 9);

    // another matter gets one engagement letter naming the probe, then a dozen, with long chunks
    await rag.ingest([write(path.join(root, "m2"), "letter-0.txt", `Engagement letter for ${PROBE} Holdings. We act for ${PROBE} in the matter.`)], { matter: "m2" });
    expect(await callerView(rag, query)).toEqual(before);
    const many = Array.from({ length: 12 }, (_, i) => write(path.join(root, "m2"), `letter-${i + 1}.txt`, `${PROBE} ${PROBE} board minutes ${i}. ${"The lease and the memo were discussed at length. ".repeat(20)}`));
    await rag.ingest(many, { matter: "m2" });
    expect(await callerView(rag, query)).toEqual(before);
    expect(await callerView(rag, query, ["m1", "m3"])).toEqual(beforeTwo);
    expect(await callerView(rag, "lease memo deposit")).toEqual(beforeLease);

    // the matter that holds the word sees it weighted by its own statistics (common there: a low weight)
    const insideM2 = await rag.search(query, { mode: "lexical", k: 20, documentBoost: 0, rerank: null, filter: { matters: ["m2"] } });
    expect(insideM2.length).toBeGreaterThan(0);
    expect(insideM2.every((h) => h.matter === "m2")).toBe(true);
  }, 120_000);
});

describe("matter-local lexical candidates (real LanceDB)", () => {
  const root = tempDir("rag-matter-pool-");
  let rag: RagEngine;
  afterAll(async () => rag?.dispose());

  // rev12 #17: more of the caller's chunks match than a search's candidate pool holds; the one with the probe word
  // must make the pool whether or not other matters make that word common.
  it("keeps the caller's rare-word chunk among the results however common other matters make the word", async () => {
    rag = await RagEngine.open({ dir: path.join(root, "index"), root });
    const m1 = path.join(root, "m1");
    const files = Array.from({ length: 90 }, (_, i) => write(m1, `q${i}.txt`, `Note ${i}: the ${CONTROL} clause was reviewed today.`));
    files.push(write(m1, "z.txt", `Note z: the ${PROBE} clause was reviewed today.`));
    await rag.ingest(files, { matter: "m1" });
    const query = `${PROBE} ${CONTROL}`;
    const top = async (k: number, documentBoost?: number) =>
      (await rag.search(query, { mode: "lexical", k, rerank: null, ...(documentBoost === undefined ? {} : { documentBoost }), filter: { matters: ["m1"] } })).map((h): [string, number] => [path.basename(h.source), Number(h.score.toFixed(9))]);
    const before = [await top(1, 0), await top(8)];
    expect(before[0]![0]![0]).toBe("z.txt");
    await rag.ingest(
      Array.from({ length: 150 }, (_, i) => write(path.join(root, "m2"), `z-${i}.txt`, `The ${PROBE} engagement letter number ${i} for the ${PROBE} group.`)),
      { matter: "m2" },
    );
    expect([await top(1, 0), await top(8)]).toEqual(before);
  }, 180_000);
});

describe("matter-local lexical statistics in a workspace of one matter (real LanceDB)", () => {
  const root = tempDir("rag-matter-one-");
  let rag: RagEngine;
  afterAll(async () => rag?.dispose());

  it("ranks and scores as LanceDB's own BM25 does when the matter is the whole index", async () => {
    rag = await RagEngine.open({ dir: path.join(root, "index"), root });
    const dir = path.join(root, "m1");
    const clauses = [
      ...FILLER,
      "The Tenant shall pay the rent and the service charge to the Landlord's bank account.",
      "Notices under this lease are given in writing to the address of the party named above.",
      "The Landlord may enter the premises to inspect them on reasonable notice to the Tenant.",
      "Rent reviews take place every fifth year of the term by reference to the open market rent.",
    ];
    const files = clauses.map((t, i) => write(dir, `clause-${i}.txt`, `${t}\n\n${clauses[(i + 3) % clauses.length]!}`));
    await rag.ingest(files, { matter: "m1" });
    for (const query of ["rent notice tenant", "landlord premises repair", "arbitration disputes city", "deposit account term end"]) {
      const options = { mode: "lexical" as const, k: 10, documentBoost: 0, rerank: null };
      const scoped = await rag.search(query, { ...options, filter: { matters: ["m1"] } });
      const whole = await rag.search(query, options);
      expect(scoped.map((h) => h.chunkId).sort()).toEqual(whole.map((h) => h.chunkId).sort());
      const wholeScore = new Map(whole.map((h) => [h.chunkId, h.score]));
      // LanceDB scores in 32-bit floats: equal to 6 digits
      for (const h of scoped) expect(h.score).toBeCloseTo(wholeScore.get(h.chunkId)!, 5);
    }
  }, 120_000);

  it("scores accented, dotted, decomposed and over-long words as LanceDB's tokenizer and folding do", async () => {
    // LanceDB splits at anything not alphanumeric (the combining dot of "i̇", JavaScript's lower case of "İ", and the
    // marks of decomposed letters), drops tokens of 40 UTF-8 bytes or more, then folds: the scoped terms must too
    // (before: "İstanbul" scored 1.90 scoped against LanceDB's 1.36, the chunk counted as one term "istanbul")
    const dir = path.join(root, "m2");
    const clauses = [
      "La société Dupré paie le loyer à Genève chaque trimestre.",
      "Die Straße gehört der Müller GmbH in Düsseldorf.",
      "İstanbul office of the Licensee keeps the records; İzmir İİ too.",
      "The cafe\u0301 on Mu\u0308llerstrasse is the Tenant's premises.",
      "Œuvre and ﬁnance clauses: the Licensor's ærø rights.",
      "The Grundstückskaufvertragsverhandlungsprotokollentwurf is long, and so is its plural.",
    ];
    const files = clauses.map((t, i) => write(dir, `accent-${i}.txt`, `${t}\n\n${clauses[(i + 2) % clauses.length]!}`));
    const other = await RagEngine.open({ dir: path.join(root, "index-accents"), root });
    try {
      await other.ingest(files, { matter: "m2" });
      for (const query of ["société", "straße strasse", "genève", "İstanbul", "İzmir", "stanbul", "café", "mu ller", "müller", "œuvre finance", "ærø", "long plural", "grundstückskaufvertragsverhandlungsprotokollentwurf"]) {
        const options = { mode: "lexical" as const, k: 10, documentBoost: 0, rerank: null };
        const scoped = await other.search(query, { ...options, filter: { matters: ["m2"] } });
        const whole = await other.search(query, options);
        // ties may come back in either order: compare each chunk's score
        const view = (hits: typeof whole): string[] => hits.map((h) => `${h.chunkId}=${h.score.toFixed(4)}`).sort();
        expect([query, view(scoped)]).toEqual([query, view(whole)]);
      }
    } finally {
      await other.dispose();
    }
  }, 120_000);
});
