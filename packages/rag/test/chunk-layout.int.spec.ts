// The chunk layouts on real LanceDB: new indexes store a chunk's search terms (analysed here, or blind
// tokens when encrypted) beside its text; indexes written before keep their rows (a column per field,
// or the text at the end of its search text) and still read, write and rank as before.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { KeyEncryptionKey, KeyedContentCipher } from "@bear/security";
import { chunkFields } from "../src/store/chunk-layout";
import { foldTerm } from "../src/store/matter-bm25";
import { LanceIndex } from "../src/store/lance-index";
import type { ChunkRecord, DocumentRecord } from "../src/store/records";
import { tempDir } from "./support/temp-dir";

const TEXT = "1.1 Definitions, terms and commas. 2.4 The tenant shall pay the rent monthly, in advance.";

function record(id: string): DocumentRecord {
  return { id, version: "v", matter: "m", source: `/${id}.txt`, title: id, type: "text", pageCount: 1, contentHash: id, bytes: 1, chars: TEXT.length, chunkCount: 2, dates: [], parties: [], ingestedAt: new Date().toISOString(), scrubbed: false };
}

/** Two chunks of TEXT with section paths holding commas and quotes, and search texts with a header. */
async function writeDocument(index: LanceIndex, id: string): Promise<ChunkRecord[]> {
  const cut = TEXT.indexOf("2.4");
  const chunks: ChunkRecord[] = [
    { id: `${id}:v:0`, documentId: id, version: "v", matter: "m", docType: "text", text: TEXT.slice(0, cut), start: 0, end: cut, page: 1, sectionPath: ["Article 1, \"Definitions\""], ordinal: 0 },
    { id: `${id}:v:1`, documentId: id, version: "v", matter: "m", docType: "text", text: TEXT.slice(cut), start: cut, end: TEXT.length, page: 2, sectionPath: ["Article 2", "2.4 Rent, payment"], ordinal: 1 },
  ];
  await index.writeChunks(chunks, chunks.map((c) => `${id}.txt\nLease of ${id}\n${c.sectionPath.join(" > ")}\n`));
  await index.commitDocuments([{ record: record(id), text: TEXT, pageStarts: [0, cut], replaces: false }]);
  return chunks;
}

async function columnsOf(dir: string): Promise<string[]> {
  const lancedb = await import("@lancedb/lancedb");
  const db = await lancedb.connect(path.join(dir, "lance"));
  try {
    return (await (await db.openTable("chunks")).schema()).fields.map((f) => f.name);
  } finally {
    db.close();
  }
}

describe("chunk layouts (real LanceDB)", () => {
  for (const sealed of [false, true]) {
    it(`a new ${sealed ? "encrypted" : "plain"} index packs a chunk's place into one column and reads every field back exactly`, async () => {
      const dir = tempDir("rag-layout-");
      const cipher = sealed ? new KeyedContentCipher(KeyEncryptionKey.fromBytes(randomBytes(32))) : undefined;
      const index = await LanceIndex.open({ dir, ...(cipher ? { cipher } : {}) });
      try {
        const written = await writeDocument(index, "lease");
        // The search terms (analysed, or blind tokens) and the text (sealed when encrypted) each in a column.
        expect(await columnsOf(dir)).toEqual(["documentId", "version", "matter", "docType", "searchText", "text", "place"]);
        const hits = await index.lexical("rent payment", 5, {});
        expect(hits.map((h) => h.chunk.id)).toContain("lease:v:1");
        for (const h of hits) expect(JSON.parse(JSON.stringify(h.chunk))).toEqual(written.find((c) => c.id === h.chunk.id));
      } finally {
        await index.dispose();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it("an index written before (a column per field) keeps its layout: old and new rows are read and searched", async () => {
    const dir = tempDir("rag-layout-old-");
    const lancedb = await import("@lancedb/lancedb");
    const arrow = await import("apache-arrow");
    const db = await lancedb.connect(path.join(dir, "lance"));
    await db.createEmptyTable("chunks", new arrow.Schema(chunkFields(arrow, "columns", undefined)));
    db.close();
    const index = await LanceIndex.open({ dir });
    try {
      const written = await writeDocument(index, "old");
      expect(await columnsOf(dir)).toContain("sectionPath");
      const [best] = await index.lexical("rent payment", 1, {});
      expect(JSON.parse(JSON.stringify(best!.chunk))).toEqual(written[1]);
    } finally {
      await index.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // Words that stem, fold, stop, split and overflow LanceDB's 40-byte token limit, in several cases.
  const WORDS = ["Terminate", "terminated", "TERMINATION", "terminating", "agreement", "Agreements", "the", "of", "and", "shall", "Licensee's", "licensing", "indemnify", "indemnified", "INDEMNIFICATION",
    "Société", "societe", "naïve", "Straße", "ΟΔΟΣ", "οδος", "14.2(b)", "30-day", "generously", "skies", "dying", "news", "x".repeat(39), "y".repeat(40), "Zürich", "zurich", "ﬁnance", "Ⅻ", "２０２５"];

  /** Each word's accents folded (lower-cased first, as the analyser does): what a folding index's terms read. */
  const folded = (text: string): string => text.replace(/[\p{Alphabetic}\p{N}]+/gu, (w) => foldTerm([...w].map((c) => c.toLowerCase()).join("")));

  // An index made before accent folding (its manifest says nothing of it) ranks as LanceDB ranks the same text; one
  // made now folds accents before stemming (sec14), and ranks as LanceDB ranks the text with its accents folded.
  it.each([
    ["made before accent folding", false],
    ["made now, folding accents before stemming", true],
  ])("a new plain index (%s) ranks exactly as LanceDB's own analyser ranks the same text (the layout written before)", async (_name, folds) => {
    const sentence = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 24 }).map((w) => w.join(" "));
    const asPacked = folds ? folded : (text: string): string => text;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(sentence, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 12 }), fc.array(sentence, { minLength: 4, maxLength: 8 }), async (documents, queries) => {
        const dirs = [tempDir("rag-layout-terms-"), tempDir("rag-layout-packed-")];
        const lancedb = await import("@lancedb/lancedb");
        const arrow = await import("apache-arrow");
        const db = await lancedb.connect(path.join(dirs[1]!, "lance"));
        await db.createEmptyTable("chunks", new arrow.Schema(chunkFields(arrow, "packed", undefined)));
        db.close();
        if (!folds) fs.writeFileSync(path.join(dirs[0]!, "rag-index.json"), JSON.stringify({ format: 1, embedderId: null, dimensions: null, sealedKeyId: null }));
        const indexes = await Promise.all(dirs.map((dir) => LanceIndex.open({ dir })));
        try {
          for (const [i, index] of indexes.entries()) {
            const as = i === 1 ? asPacked : (text: string): string => text;
            for (const [d, sentences] of documents.entries()) {
              const id = `doc${d}`;
              const chunks: ChunkRecord[] = sentences.map(as).map((text, ordinal) => ({ id: `${id}:v:${ordinal}`, documentId: id, version: "v", matter: "m", docType: "text", text, start: 0, end: text.length, page: 1, sectionPath: [], ordinal }));
              await index.writeChunks(chunks, chunks.map(() => as(`${WORDS[d % WORDS.length]!} ${id}\n`)));
              await index.commitDocuments([{ record: { ...record(id), chunkCount: chunks.length }, text: sentences.join(" "), pageStarts: [0], replaces: false }]);
            }
          }
          expect(await columnsOf(dirs[1]!)).not.toContain("text");
          const rankings = async (): Promise<[string, number][][][]> =>
            Promise.all(indexes.map((index, i) => Promise.all(queries.map(async (q) => (await index.lexical(i === 1 ? asPacked(q) : q, 64, {})).map((h): [string, number] => [h.chunk.id, Math.round(h.score * 1e4) / 1e4]).sort()))));
          // Before upkeep the rows are searched by a flat scan with the index's analyser, after it through the built index.
          const [flatTerms, flatPacked] = await rankings();
          expect(flatTerms).toEqual(flatPacked);
          await Promise.all(indexes.map((index) => index.optimize()));
          const [terms, packed] = await rankings();
          expect(terms).toEqual(packed);
          expect(terms!.some((hits) => hits.length > 0)).toBe(true);
        } finally {
          await Promise.all(indexes.map((index) => index.dispose()));
          for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 6 },
    );
  }, 180_000);
});
