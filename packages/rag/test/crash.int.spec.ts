import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { AuditEvent, AuditSink } from "@bear/core";
import { describe, expect, it } from "@jest/globals";
import { RagEngine } from "../src/rag-engine";
import { crashChild as child, startUntil } from "./support/child-process";
import { tempDir } from "./support/temp-dir";

/** The AuditSink contract, kept in memory (the real log is @bear/security's, which rag does not depend on). */
class CollectingAuditSink implements AuditSink {
  readonly events: AuditEvent[] = [];
  async record(event: AuditEvent): Promise<void> {
    this.events.push(event);
  }
}

/** Starts the child and SIGKILLs it as soon as stdout shows `trigger`. Resolves with its output. */
function runAndKill(args: string[], trigger: RegExp): Promise<{ output: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", child, ...args], { cwd: path.resolve(import.meta.dirname, ".."), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let killed = false;
    proc.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      if (!killed && trigger.test(output)) {
        killed = true;
        proc.kill("SIGKILL");
      }
    });
    let errors = "";
    proc.stderr.on("data", (d: Buffer) => (errors += d.toString()));
    proc.on("error", reject);
    proc.on("exit", () => (output.length === 0 && !killed ? reject(new Error(errors.slice(-2000))) : resolve({ output, killed })));
  });
}

function writeDocs(root: string, count: number, amended = false): void {
  const docs = path.join(root, "docs");
  fs.mkdirSync(docs, { recursive: true });
  for (let i = 0; i < count; i++) {
    const body = Array.from({ length: 120 }, (_, j) => `Clause ${i}.${j} The party number ${i} shall give ${amended ? "amended " : ""}notice number ${j} of termination in writing.`).join("\n");
    fs.writeFileSync(path.join(docs, `contract-${String(i).padStart(3, "0")}.txt`), `AGREEMENT ${i}\n\n${body}\n`);
  }
}

describe("crash consistency (a real killed process)", () => {
  it("chunks written by a process killed before its commit never become visible and are cleaned up", async () => {
    const dir = tempDir("rag-crash-half-");
    const run = await runAndKill(["half", dir], /written/);
    expect(run.killed).toBe(true);
    const rag = await RagEngine.open({ dir, root: dir });
    try {
      expect(rag.documents()).toEqual([]);
      expect(await rag.search("orphan clause termination", { k: 10 })).toEqual([]);
      expect(await rag.countChunks()).toBe(0);
    } finally {
      await rag.dispose();
    }
  });

  it("an ingest killed midway leaves only whole documents, and a rerun finishes the job", async () => {
    const root = tempDir("rag-crash-ingest-");
    const dir = path.join(root, "index");
    writeDocs(root, 30);
    const run = await runAndKill(["ingest", dir, root], /finished 3\n/);
    expect(run.killed).toBe(true);
    expect(run.output).not.toContain("done");

    let rag = await RagEngine.open({ dir, root });
    const partial = rag.documents();
    expect(partial.length).toBeGreaterThanOrEqual(3);
    expect(partial.length).toBeLessThan(30);
    // Every visible document is complete: all of its chunks are there, nothing else is.
    for (const doc of partial) {
      const hits = await rag.search(`AGREEMENT ${doc.title.split(" ")[1]} party termination notice`, { k: 1000, filter: { documentIds: [doc.id] } });
      expect(hits).toHaveLength(doc.chunkCount);
    }
    expect(await rag.countChunks()).toBe(partial.reduce((s, d) => s + d.chunkCount, 0));
    const report = await rag.ingest(["docs"], { matter: "m" });
    expect(report.unchanged).toBe(partial.length);
    expect(report.added).toBe(30 - partial.length);
    expect(rag.documents()).toHaveLength(30);
    expect(await rag.countChunks()).toBe(rag.documents().reduce((s, d) => s + d.chunkCount, 0));
    await rag.dispose();
    rag = await RagEngine.open({ dir, root });
    expect(rag.documents()).toHaveLength(30);
    await rag.dispose();
  });

  it("an ingest killed mid-batch (chunks written, documents not committed) leaves the old versions whole, and a rerun finishes the job", async () => {
    const root = tempDir("rag-crash-batch-");
    const dir = path.join(root, "index");
    writeDocs(root, 12);
    let rag = await RagEngine.open({ dir, root });
    expect((await rag.ingest(["docs"], { matter: "m" })).added).toBe(12);
    await rag.dispose();
    writeDocs(root, 16, true); // 12 changed files and 4 new ones
    const hashOf = (i: number): string => createHash("sha256").update(fs.readFileSync(path.join(root, "docs", `contract-${String(i).padStart(3, "0")}.txt`))).digest("hex");
    const amended = new Set(Array.from({ length: 16 }, (_, i) => hashOf(i)));

    const run = await runAndKill(["pause-batch", dir, root, "2"], /batch-written 2\n/);
    expect(run.killed).toBe(true);
    expect(run.output).toContain("finished 4\n"); // batch 1 was committed
    expect(run.output).not.toContain("finished 5\n"); // batch 2 never was

    const audit = new CollectingAuditSink();
    rag = await RagEngine.open({ dir, root, audit });
    try {
      const docs = rag.documents();
      // Exactly one batch of 4 became visible with the new content; every other document is still its old version.
      expect(docs.filter((d) => amended.has(d.contentHash))).toHaveLength(4);
      // Opening audited the batch the killed run committed (and only it: batch 2 was journaled, never committed).
      const committed = docs.filter((d) => amended.has(d.contentHash));
      const perDocument = audit.events.filter((e) => e.outcome === "success");
      expect(perDocument.map((e) => e.resource).sort()).toEqual(committed.map((d) => d.id).sort());
      expect(perDocument.every((e) => e.action === "ingest" && e.matter === "m" && e.details?.["reconciled"] === true && e.details["status"] === "updated")).toBe(true);
      expect(audit.events.filter((e) => e.outcome === "failure")).toEqual([
        { action: "ingest", outcome: "failure", actor: "system", resource: expect.any(String), matter: "m", details: { reconciled: true, reason: "interrupted", committed: 4, journaled: 8 } },
      ]);
      expect(fs.readdirSync(path.join(dir, "ingest-journal"))).toEqual([]);
      expect(docs).toHaveLength(12 + docs.filter((d) => Number(d.title.split(" ")[1]) >= 12).length);
      for (const doc of docs) {
        const hits = await rag.search(`AGREEMENT ${doc.title.split(" ")[1]} party termination notice`, { k: 1000, filter: { documentIds: [doc.id] } });
        expect(hits).toHaveLength(doc.chunkCount);
        expect(hits.every((h) => h.text.includes("amended") === amended.has(doc.contentHash))).toBe(true);
      }
      // The chunks batch 2 wrote were never visible and are gone after recovery.
      expect(await rag.countChunks()).toBe(docs.reduce((s, d) => s + d.chunkCount, 0));
      const report = await rag.ingest(["docs"], { matter: "m" });
      expect(report).toMatchObject({ unchanged: 4, updated: 8, added: 4, failed: 0 });
      expect(audit.events.slice(5)).toEqual([expect.objectContaining({ action: "ingest", outcome: "success", details: expect.objectContaining({ updated: 8, added: 4 }) })]);
      expect(rag.documents().every((d) => amended.has(d.contentHash))).toBe(true);
      expect(await rag.countChunks()).toBe(rag.documents().reduce((s, d) => s + d.chunkCount, 0));
    } finally {
      await rag.dispose();
    }
  }, 60_000);
});

describe("audit of what an unfinished ingest committed", () => {
  it("a cancelled ingest audits the documents it committed before it stopped", async () => {
    const root = tempDir("rag-cancel-audit-");
    const dir = path.join(root, "index");
    writeDocs(root, 12);
    const audit = new CollectingAuditSink();
    const rag = await RagEngine.open({ dir, root, audit });
    try {
      const abort = new AbortController();
      const subscription = rag.onDidIngestProgress.subscribe((e) => e.type === "file-finished" && abort.abort());
      await expect(rag.ingest(["docs"], { matter: "m", actor: "alice", signal: abort.signal, concurrency: 1, batch: { maxDocuments: 3 } })).rejects.toThrow();
      subscription.unsubscribe();
      const committed = rag.documents();
      expect(committed.length).toBeGreaterThanOrEqual(3);
      expect(committed.length).toBeLessThan(12);
      expect(audit.events.filter((e) => e.outcome === "success").map((e) => e.resource).sort()).toEqual(committed.map((d) => d.id).sort());
      expect(audit.events.at(-1)).toMatchObject({ action: "ingest", outcome: "failure", actor: "alice", details: { reconciled: true, reason: "cancelled", committed: committed.length } });
      expect(fs.readdirSync(path.join(dir, "ingest-journal"))).toEqual([]);
    } finally {
      await rag.dispose();
    }
  }, 60_000);
});

describe("several processes on one index", () => {
  it("opening the index beside another process's ingest in flight leaves its chunks alone; writers wait, then take over a dead writer's lock", async () => {
    const root = tempDir("rag-processes-");
    const dir = path.join(root, "index");
    writeDocs(root, 2);
    const writer = await startUntil(["held", dir], /written/);
    try {
      const rag = await RagEngine.open({ dir, root, lockWaitMs: 300 });
      try {
        // Recovery was skipped: the 50 chunks of the other process's ingest are still there.
        expect(await rag.countChunks()).toBe(50);
        expect(rag.documents()).toEqual([]);
        const waiting: unknown[] = [];
        const subscription = rag.onDidIngestProgress.subscribe((e) => e.type === "ingest-waiting" && waiting.push(e));
        await expect(rag.ingest(["docs"], { matter: "m" })).rejects.toMatchObject({
          code: "RAG_INDEX_BUSY",
          message: expect.stringContaining(`being written by process ${writer.proc.pid}`),
        });
        subscription.unsubscribe();
        expect(waiting).toEqual([{ type: "ingest-waiting", runId: expect.any(String), holder: writer.proc.pid }]);
        writer.proc.kill("SIGKILL");
        await writer.exited;
        // The dead writer's lock is taken over at once; its orphans go at the next recovery.
        const report = await rag.ingest(["docs"], { matter: "m" });
        expect(report.added).toBe(2);
      } finally {
        await rag.dispose();
      }
      const reopened = await RagEngine.open({ dir, root });
      try {
        expect(await reopened.countChunks()).toBe(reopened.documents().reduce((s, d) => s + d.chunkCount, 0));
        expect(reopened.documents()).toHaveLength(2);
      } finally {
        await reopened.dispose();
      }
      expect(fs.existsSync(path.join(dir, "writer.lock"))).toBe(false);
    } finally {
      writer.proc.kill("SIGKILL");
    }
  }, 60_000);

  it("a long-lived engine sees what another process ingested: searches at once, documents() after refresh()", async () => {
    const root = tempDir("rag-processes-fresh-");
    const dir = path.join(root, "index");
    const server = await RagEngine.open({ dir, root });
    try {
      expect(await server.search("termination notice", { k: 5 })).toEqual([]);
      writeDocs(root, 3);
      const ingest = await startUntil(["ingest", dir, root], /done/);
      await ingest.exited;
      expect(server.documents()).toEqual([]); // the view as of the last refresh
      const hits = await server.search("party number 2 shall give notice of termination", { k: 5 });
      expect(hits.length).toBeGreaterThan(0);
      expect(server.documents().map((d) => d.title).sort()).toEqual(["AGREEMENT 0", "AGREEMENT 1", "AGREEMENT 2"]);
      expect(await server.refresh()).toBe(false);
      // And this process's own writes still work after another process wrote.
      fs.writeFileSync(path.join(root, "docs", "contract-009.txt"), "AGREEMENT 9\n\nThe supplier shall indemnify the customer against all third-party claims.\n");
      expect((await server.ingest(["docs"], { matter: "m" })).added).toBe(1);
      expect(server.documents()).toHaveLength(4);
    } finally {
      await server.dispose();
    }
  }, 60_000);
});
