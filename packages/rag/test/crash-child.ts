// Run by crash.int.spec.ts in a separate process that the test kills with SIGKILL.
//   node --import tsx crash-child.ts half <indexDir>          writes one document's chunks, never commits, waits
//   node --import tsx crash-child.ts ingest <indexDir> <root>  ingests <root>/docs in batches of 3, printing each finished file
//   node --import tsx crash-child.ts held <indexDir>          like `half`, but as an ingest in flight: holding the writer lock
//   node --import tsx crash-child.ts pause-batch <indexDir> <root> <n>
//        ingests <root>/docs in batches of 4 and freezes right after batch n's chunks are written,
//        before its documents are committed (a kill then lands mid-batch, every time)
//   node --import tsx crash-child.ts delete <indexDir> <root> <documentId>
//        deletes one document as `bear` does beside a server: prints "holder <pid>" (the index's writer then,
//        or "holder none"), then "deleted" once the delete is done
import path from "node:path";
import type { LogFn, Logger } from "@bear/core";
import { RagEngine } from "../src/rag-engine";
import { LanceIndex, indexWriterHolder } from "../src/store/lance-index";

const [mode, dir, root, pauseAt] = process.argv.slice(2);

/** A logger that prints each written batch and blocks the process (no await can run) at batch `n`. */
function pausingLogger(n: number): Logger {
  let batches = 0;
  const noop: LogFn = () => undefined;
  const debug: LogFn = (fields: unknown, message?: string) => {
    if (message !== "batch chunks written") return;
    batches++;
    process.stdout.write(`batch-written ${batches}\n`);
    if (batches === n) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  };
  const logger: Logger = { level: "debug", fatal: noop, error: noop, warn: noop, info: noop, debug, trace: noop, child: () => logger };
  return logger;
}

if (mode === "delete") {
  const rag = await RagEngine.open({ dir: dir!, root: root! });
  process.stdout.write(`holder ${indexWriterHolder(dir!) ?? "none"}\n`);
  await rag.delete(pauseAt!);
  process.stdout.write("deleted\n");
  await rag.dispose();
} else if (mode === "half" || mode === "held") {
  const index = await LanceIndex.open({ dir: dir! });
  const chunks = Array.from({ length: 50 }, (_, i) => ({
    id: `half:v1:${i}`, documentId: "half", version: "v1", matter: "m", docType: "text",
    text: `orphan clause number ${i} about termination`, start: i * 10, end: i * 10 + 5, page: 1, sectionPath: [], ordinal: i,
  }));
  const writeAndWait = async (): Promise<void> => {
    await index.writeChunks(chunks);
    process.stdout.write("written\n");
    setInterval(() => undefined, 60_000); // alive until killed, before commitDocument
    await new Promise(() => undefined);
  };
  await (mode === "held" ? index.withWriterLock(writeAndWait) : writeAndWait());
} else {
  const pause = mode === "pause-batch" ? Number(pauseAt) : undefined;
  const rag = await RagEngine.open({ dir: dir!, root: root!, concurrency: 2, ...(pause ? { logger: pausingLogger(pause) } : {}) });
  rag.onDidIngestProgress.subscribe((e) => {
    if (e.type === "file-finished") process.stdout.write(`finished ${e.done}\n`);
  });
  await rag.ingest([path.join(root!, "docs")], { matter: "m", batch: { maxDocuments: pause ? 4 : 3 } });
  process.stdout.write("done\n");
  await rag.dispose();
}
