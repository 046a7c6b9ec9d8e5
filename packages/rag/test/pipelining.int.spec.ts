// The pipelined ingest on real LanceDB: while one batch is committed the next is prepared; progress,
// per-file errors and cancellation behave as without it.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { extractDocumentIsolated } from "../src/extraction/isolated-extraction";
import { pdfProcessPool } from "../src/extraction/pdf-process/pdf-process-pool";
import type { IngestEvent } from "../src/ingest/ingest-types";
import { RagEngine } from "../src/rag-engine";
import { pdfChildUrl } from "./support/pdf-child-build";
import { docxBomb } from "./support/hostile-files";
import { writeNumberedContracts } from "./support/numbered-contracts";
import { tempDir } from "./support/temp-dir";

const name = (i: number): string => `contract-${String(i).padStart(2, "0")}.txt`;

/** What an ingest published, as `started 3` / `finished 3 added`. */
function record(rag: RagEngine): { events: string[]; stop: () => void } {
  const events: string[] = [];
  const subscription = rag.onDidIngestProgress.subscribe((e: IngestEvent) => {
    if (e.type === "file-started") events.push(`started ${Number(path.basename(e.file).slice(9, 11))}`);
    if (e.type === "file-finished") events.push(`finished ${Number(path.basename(e.outcome.file).slice(9, 11))} ${e.outcome.status}`);
    if (e.type === "ingest-finished") events.push("ingest-finished");
  });
  return { events, stop: () => subscription.unsubscribe() };
}

describe("pipelined ingest (real LanceDB)", () => {
  it("prepares the next batch while one is committed; files finish batch by batch, in order, once visible", async () => {
    const root = tempDir("rag-pipeline-order-");
    writeNumberedContracts(root, 9);
    const rag = await RagEngine.open({ dir: path.join(root, "index"), root });
    try {
      const { events, stop } = record(rag);
      const report = await rag.ingest(["docs"], { matter: "m", concurrency: 1, batch: { maxDocuments: 3 } });
      stop();
      expect(report).toMatchObject({ added: 9, failed: 0 });
      const finished = events.filter((e) => e.startsWith("finished"));
      expect(finished).toEqual(Array.from({ length: 9 }, (_, i) => `finished ${i} added`));
      // Batch 2 (files 3-5) was read while batch 1 (files 0-2) was being committed.
      expect(events.indexOf("started 3")).toBeLessThan(events.indexOf("finished 0 added"));
      // Batch 1 is whole when it shows: its three files finish together, before batch 2's.
      expect(events.indexOf("finished 2 added")).toBeLessThan(events.indexOf("finished 3 added"));
      expect(events.at(-1)).toBe("ingest-finished");
      expect(await rag.countChunks()).toBe(rag.documents().reduce((s, d) => s + d.chunkCount, 0));
    } finally {
      await rag.dispose();
    }
  });

  it("a file that fails while prepared beside a batch being committed fails alone; its batch-mates are committed", async () => {
    const root = tempDir("rag-pipeline-error-");
    writeNumberedContracts(root, 9);
    // File 4 sits in the second batch, prepared while the first is committed: binary data with a .txt name.
    fs.writeFileSync(path.join(root, "docs", name(4)), Uint8Array.from({ length: 4096 }, (_, i) => (i * 151 + 7) % 256));
    const rag = await RagEngine.open({ dir: path.join(root, "index"), root });
    try {
      const report = await rag.ingest(["docs"], { matter: "m", batch: { maxDocuments: 3 } });
      expect(report).toMatchObject({ added: 8, failed: 1 });
      expect(report.files.filter((f) => f.status === "failed")).toEqual([expect.objectContaining({ file: expect.stringContaining(name(4)), error: expect.objectContaining({ code: "RAG_UNSUPPORTED_FORMAT" }) })]);
      expect(rag.documents()).toHaveLength(8);
      const hits = await rag.search("widget5 notice", { k: 1 });
      expect(hits[0]?.title).toBe("AGREEMENT 5");
    } finally {
      await rag.dispose();
    }
  });

  it("cancelling while the next batch is prepared: the committing batch stays whole, nothing of the next is written, no work goes on after, a rerun finishes", async () => {
    const root = tempDir("rag-pipeline-cancel-");
    const dir = path.join(root, "index");
    writeNumberedContracts(root, 9);
    let rag = await RagEngine.open({ dir, root });
    const { events, stop } = record(rag);
    const abort = new AbortController();
    // One file at a time: when file 3 starts, batch 1 (files 0-2) is sealed and being committed.
    const trigger = rag.onDidIngestProgress.subscribe((e) => e.type === "file-started" && e.file.endsWith(name(3)) && abort.abort());
    await expect(rag.ingest(["docs"], { matter: "m", concurrency: 1, signal: abort.signal, batch: { maxDocuments: 3 } })).rejects.toMatchObject({ name: "AbortError" });
    trigger.unsubscribe();
    const atRejection = events.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop();
    expect(events).toHaveLength(atRejection); // nothing was still running
    expect(events.filter((e) => e.startsWith("finished"))).toEqual(["finished 0 added", "finished 1 added", "finished 2 added"]);
    expect(rag.documents().map((d) => d.title).sort()).toEqual(["AGREEMENT 0", "AGREEMENT 1", "AGREEMENT 2"]);
    expect(await rag.countChunks()).toBe(rag.documents().reduce((s, d) => s + d.chunkCount, 0));
    await rag.dispose();
    rag = await RagEngine.open({ dir, root });
    try {
      const report = await rag.ingest(["docs"], { matter: "m" });
      expect(report).toMatchObject({ unchanged: 3, added: 6, failed: 0 });
    } finally {
      await rag.dispose();
    }
  });

  it("cancelling stops a file's extraction in its reader process at once, and the next file gets a new reader", async () => {
    const childUrl = await pdfChildUrl();
    const abort = new AbortController();
    // One reader, so the second file waits in the queue. 40 MB of document XML: seconds of parsing.
    const options = { childUrl, processes: 1, signal: abort.signal };
    const slow = extractDocumentIsolated("slow.docx", docxBomb(40), options);
    const queued = extractDocumentIsolated("queued.html", new TextEncoder().encode("<html><body><p>Queued behind the slow file.</p></body></html>"), options);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [pid] = pdfProcessPool({ childUrl, processes: 1 })!.pids();
    expect(pid).toEqual(expect.any(Number));
    const abortedAt = performance.now();
    abort.abort();
    await expect(slow).rejects.toMatchObject({ name: "AbortError" });
    await expect(queued).rejects.toMatchObject({ name: "AbortError" });
    expect(performance.now() - abortedAt).toBeLessThan(200);
    // the reader process itself was killed, not only the promise
    const alive = (): boolean => {
      try {
        process.kill(pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && alive(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(alive()).toBe(false);
    await expect(extractDocumentIsolated("next.html", new TextEncoder().encode("<html><body><p>The Tenant shall pay rent monthly.</p></body></html>"), { childUrl, processes: 1 })).resolves.toMatchObject({ format: "html" });
  }, 60_000);

  it("reads plain text and Markdown in the calling thread (no reader start or round trip), every other format in a reader process", async () => {
    // A reader script that does not exist: only a file sent to a reader can fail on it.
    const childUrl = new URL("file:///nonexistent/pdf-child.js");
    const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
    await expect(extractDocumentIsolated("lease.txt", utf8("The Tenant shall pay rent monthly."), { childUrl })).resolves.toMatchObject({ format: "text", text: "The Tenant shall pay rent monthly." });
    await expect(extractDocumentIsolated("lease.md", utf8("# Lease\n\n- **Rent**: [monthly](#rent)\n"), { childUrl })).resolves.toMatchObject({ format: "markdown" });
    await expect(extractDocumentIsolated("lease.html", utf8("<html><body><p>The Tenant shall pay rent.</p></body></html>"), { childUrl })).rejects.toThrow();
    // Limits and refusals are the same in either thread.
    await expect(extractDocumentIsolated("big.txt", utf8("x".repeat(2000)), { childUrl, maxBytes: 1000 })).rejects.toMatchObject({ code: "RAG_FILE_TOO_LARGE" });
    const abort = new AbortController();
    abort.abort();
    await expect(extractDocumentIsolated("lease.txt", utf8("The Tenant shall pay rent."), { childUrl, signal: abort.signal })).rejects.toMatchObject({ name: "AbortError" });
  });
});
