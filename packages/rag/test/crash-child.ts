// Run by crash.int.spec.ts in a separate process that the test kills with SIGKILL.
//   node --import tsx crash-child.ts half <indexDir>          writes one document's chunks, never commits, waits
//   node --import tsx crash-child.ts ingest <indexDir> <root>  ingests <root>/docs, printing each finished file
import path from "node:path";
import { RagEngine } from "../src/rag-engine";
import { LanceIndex } from "../src/store/lance-index";

const [mode, dir, root] = process.argv.slice(2);

if (mode === "half") {
  const index = await LanceIndex.open({ dir: dir! });
  const chunks = Array.from({ length: 50 }, (_, i) => ({
    id: `half:v1:${i}`, documentId: "half", version: "v1", matter: "m", docType: "text",
    text: `orphan clause number ${i} about termination`, start: i * 10, end: i * 10 + 5, page: 1, sectionPath: [], ordinal: i,
  }));
  await index.writeChunks(chunks, chunks.map((c) => c.text));
  process.stdout.write("written\n");
  await new Promise(() => undefined); // killed here, before commitDocument
} else {
  const rag = await RagEngine.open({ dir: dir!, root: root!, concurrency: 2 });
  rag.onDidIngestProgress.subscribe((e) => {
    if (e.type === "file-finished") process.stdout.write(`finished ${e.done}\n`);
  });
  await rag.ingest([path.join(root!, "docs")], { matter: "m" });
  process.stdout.write("done\n");
  await rag.dispose();
}
