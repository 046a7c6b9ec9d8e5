// Run by full-text-partitions.int.spec.ts in a process of its own: LanceDB reads its full-text
// partition bound (LANCE_FTS_PARTITION_SIZE) once per process, at the first full-text build.
//   node --import tsx full-text-partitions-child.ts <indexDir>
// Writes the same invented chunks in two halves with an index upkeep after each (a rebuild, then
// LanceDB's fold of the new rows into the index), then prints one JSON line: the bound the process
// ran with, the full-text index's partition count, and each query's top 8 (chunk id, BM25 score).
import fs from "node:fs";
import path from "node:path";
import { LanceIndex } from "../src/store/lance-index";
import type { ChunkRecord } from "../src/store/records";

const dir = process.argv[2]!;
// mulberry32: a seeded generator whose low bits do not cycle (texts must not repeat, or BM25 ties would hide any difference)
let seed = 7;
const rnd = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};
const syllables = ["ka", "lo", "mir", "tes", "van", "dru", "pel", "som", "ric", "nu", "tal", "bex"];
const vocabulary = Array.from({ length: 2_000 }, () => Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => syllables[Math.floor(rnd() * syllables.length)]).join(""));
const sentence = (): string => Array.from({ length: 20 + Math.floor(rnd() * 30) }, () => vocabulary[Math.floor(rnd() ** 2 * vocabulary.length)]).join(" ");

const DOCUMENTS = 16;
const CHUNKS_PER_DOCUMENT = 1_000;

async function writeDocuments(index: LanceIndex, from: number, to: number): Promise<void> {
  for (let d = from; d < to; d++) {
    const id = `doc${d}`;
    const chunks: ChunkRecord[] = Array.from({ length: CHUNKS_PER_DOCUMENT }, (_, i) => {
      const text = sentence();
      return { id: `${id}:v:${i}`, documentId: id, version: "v", matter: "m", docType: "text", text, start: i * 1_000, end: i * 1_000 + text.length, page: 1, sectionPath: [], ordinal: i };
    });
    await index.writeChunks(chunks);
    const text = chunks.map((c) => c.text).join("\n");
    await index.commitDocument(
      { id, version: "v", matter: "m", source: `/${id}`, title: id, type: "text", pageCount: 1, contentHash: id, bytes: text.length, chars: text.length, chunkCount: chunks.length, dates: [], parties: [], ingestedAt: new Date(0).toISOString(), scrubbed: false },
      text,
      [0],
      false,
    );
  }
}

/** Partitions of the newest full-text index on disk (each is a `part_<n>_invert.lance` file). */
function fullTextPartitions(): number {
  const indices = path.join(dir, "lance", "chunks.lance", "_indices");
  const fullText = fs
    .readdirSync(indices)
    .map((name) => path.join(indices, name))
    .filter((d) => fs.readdirSync(d).some((f) => /^part_\d+_invert\.lance$/.test(f)))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  return fs.readdirSync(fullText[0]!).filter((f) => /^part_\d+_invert\.lance$/.test(f)).length;
}

const index = await LanceIndex.open({ dir });
try {
  await writeDocuments(index, 0, DOCUMENTS / 2);
  await index.optimize();
  await writeDocuments(index, DOCUMENTS / 2, DOCUMENTS);
  await index.optimize();
  const queries = Array.from({ length: 40 }, () => `${vocabulary[Math.floor(rnd() * 200)]} ${vocabulary[Math.floor(rnd() * vocabulary.length)]} ${vocabulary[Math.floor(rnd() * vocabulary.length)]}`);
  const hits: [string, number][][] = [];
  for (const query of queries) hits.push((await index.lexical(query, 8, {})).map((h) => [h.chunk.id, h.score]));
  process.stdout.write(`${JSON.stringify({ bound: process.env["LANCE_FTS_PARTITION_SIZE"], partitions: fullTextPartitions(), hits })}\n`);
} finally {
  await index.dispose();
}
