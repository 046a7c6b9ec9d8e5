// Run by crash.int.spec.ts in a separate process that the test kills with SIGKILL.
//   node --import tsx crash-child.ts half <indexDir>          writes one document's chunks, never commits, waits
//   node --import tsx crash-child.ts ingest <indexDir> <root>  ingests <root>/docs, printing each finished file
//   node --import tsx crash-child.ts held <indexDir>          like `half`, but as an ingest in flight: holding the writer lock
import path from "node:path";
import { RagEngine } from "../src/rag-engine";
import { LanceIndex } from "../src/store/lance-index";

const [mode, dir, root] = process.argv.slice(2);

if (mode === "half" || mode === "held") {
  const index = await LanceIndex.open({ dir: dir! });
  const chunks = Array.from({ length: 50 }, (_, i) => ({
    id: `half:v1:${i}`, documentId: "half", version: "v1", matter: "m", docType: "text",
    text: `orphan clause number ${i} about termination`, start: i * 10, end: i * 10 + 5, page: 1, sectionPath: [], ordinal: i,
  }));
  const writeAndWait = async (): Promise<void> => {
    await index.writeChunks(chunks, chunks.map((c) => c.text));
    process.stdout.write("written\n");
    setInterval(() => undefined, 60_000); // alive until killed, before commitDocument
    await new Promise(() => undefined);
  };
  await (mode === "held" ? index.withWriterLock(writeAndWait) : writeAndWait());
} else {
  const rag = await RagEngine.open({ dir: dir!, root: root!, concurrency: 2 });
  rag.onDidIngestProgress.subscribe((e) => {
    if (e.type === "file-finished") process.stdout.write(`finished ${e.done}\n`);
  });
  await rag.ingest([path.join(root!, "docs")], { matter: "m" });
  process.stdout.write("done\n");
  await rag.dispose();
}
