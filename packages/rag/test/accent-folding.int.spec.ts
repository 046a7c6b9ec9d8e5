// Accent-insensitive lexical search (sec14): "societe" finds "société", in scoped (matter) and global search. LanceDB
// folds accents after its English stemmer, which reads "é" as no vowel: "société" was indexed as "societe" while the
// query "societe" was stemmed to "societ". New indexes fold before stemming; one made before keeps its own analysis.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { RagEngine } from "../src/rag-engine";
import { tempDir } from "./support/temp-dir";

const CLAUSES = [
  "La Société Générale paie le loyer à Genève chaque trimestre.",
  "The résumés of the Zürich team are attached to the naïve draft.",
  "The Tenant keeps the keys of the warehouse and the parking spaces.",
  "A Societe Anonyme of Geneve signs the lease for the Zurich office.",
];

function ingestable(root: string): string[] {
  const dir = path.join(root, "m1");
  fs.mkdirSync(dir, { recursive: true });
  return CLAUSES.map((text, i) => {
    const file = path.join(dir, `clause-${i}.txt`);
    fs.writeFileSync(file, `${text}\n`);
    return file;
  });
}

/** The files a lexical search finds, scoped to the matter and over the whole index (each sorted). */
async function found(rag: RagEngine, query: string): Promise<{ scoped: string[]; whole: string[] }> {
  const options = { mode: "lexical" as const, k: 10, documentBoost: 0, rerank: null };
  const names = (hits: { source: string }[]): string[] => hits.map((h) => path.basename(h.source)).sort();
  return { scoped: names(await rag.search(query, { ...options, filter: { matters: ["m1"] } })), whole: names(await rag.search(query, options)) };
}

describe("accent-insensitive lexical search (real LanceDB)", () => {
  const root = tempDir("rag-accents-");
  const opened: RagEngine[] = [];
  afterAll(async () => {
    for (const rag of opened) await rag.dispose();
  });

  it("finds a word written with or without its accents, scoped and global, with LanceDB's scores", async () => {
    const rag = await RagEngine.open({ dir: path.join(root, "index"), root });
    opened.push(rag);
    await rag.ingest(ingestable(root), { matter: "m1" });
    for (const [query, files] of [
      ["societe", ["clause-0.txt", "clause-3.txt"]],
      ["société", ["clause-0.txt", "clause-3.txt"]],
      ["geneve", ["clause-0.txt", "clause-3.txt"]],
      ["Genève", ["clause-0.txt", "clause-3.txt"]],
      ["resumes", ["clause-1.txt"]],
      ["zurich", ["clause-1.txt", "clause-3.txt"]],
      ["naive", ["clause-1.txt"]],
    ] as const) {
      expect([query, await found(rag, query)]).toEqual([query, { scoped: files, whole: files }]);
    }
    // one matter: the scoped BM25 gives LanceDB's own scores
    const options = { mode: "lexical" as const, k: 10, documentBoost: 0, rerank: null };
    for (const query of ["societe", "société générale", "zurich résumés"]) {
      const view = (hits: { chunkId: string; score: number }[]): string[] => hits.map((h) => `${h.chunkId}=${h.score.toFixed(4)}`).sort();
      expect([query, view(await rag.search(query, { ...options, filter: { matters: ["m1"] } }))]).toEqual([query, view(await rag.search(query, options))]);
    }
  }, 120_000);

  it("keeps searching an index made before folding as it was made (its manifest says so)", async () => {
    const dir = path.join(root, "old-index");
    const first = await RagEngine.open({ dir, root });
    await first.dispose();
    // an index of an earlier release: its manifest has no foldsAccents
    const manifest = path.join(dir, "rag-index.json");
    const { foldsAccents, ...earlier } = JSON.parse(fs.readFileSync(manifest, "utf8")) as Record<string, unknown>;
    expect(foldsAccents).toBe(true);
    fs.writeFileSync(manifest, JSON.stringify(earlier));
    const rag = await RagEngine.open({ dir, root });
    opened.push(rag);
    await rag.ingest(ingestable(path.join(root, "old")), { matter: "m1" });
    expect(await found(rag, "société")).toEqual({ scoped: ["clause-0.txt"], whole: ["clause-0.txt"] });
    expect(await found(rag, "societe")).toEqual({ scoped: ["clause-3.txt"], whole: ["clause-3.txt"] });
    expect(JSON.parse(fs.readFileSync(manifest, "utf8")).foldsAccents).toBeUndefined();
  }, 120_000);
});
