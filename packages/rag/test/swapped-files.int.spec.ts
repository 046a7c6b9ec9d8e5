// A listed file swapped after the folder walk (rev12 #1): the ingest reads by handle what it opened, never a
// symlink's target outside the folder, never a FIFO (which would block the ingest for good).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { RagEngine } from "../src/rag-engine";
import { tempDir } from "./support/temp-dir";

describe("files swapped between the listing and the read (real files, real LanceDB)", () => {
  const root = tempDir("rag-swapped-");
  let rag: RagEngine;
  beforeAll(async () => {
    rag = await RagEngine.open({ dir: path.join(root, "index"), root: path.join(root, "work") });
  });
  afterAll(async () => rag.dispose());

  /** inbox/{a,b}.txt in the ingest root; outside/secret.txt beside it; at a.txt's file-started, `swap` replaces b.txt. */
  async function ingestWithSwap(name: string, swap: (b: string, secret: string) => void) {
    const inbox = path.join(root, "work", name);
    fs.mkdirSync(inbox, { recursive: true });
    const secret = path.join(root, "outside", `${name}-secret.txt`);
    fs.mkdirSync(path.dirname(secret), { recursive: true });
    fs.writeFileSync(secret, "PRIVATE KEY quindlewort-5521 belongs to the server user only.");
    fs.writeFileSync(path.join(inbox, "a.txt"), "The first memo of the inbox, about the lease of the warehouse.");
    fs.writeFileSync(path.join(inbox, "b.txt"), "The second memo of the inbox, about the parking spaces.");
    const b = path.join(inbox, "b.txt");
    const trigger = rag.onDidIngestProgress.subscribe((e) => {
      if (e.type === "file-started" && e.file.endsWith("a.txt")) {
        fs.rmSync(b);
        swap(b, secret);
      }
    });
    try {
      return await rag.ingest([inbox], { matter: name });
    } finally {
      trigger.unsubscribe();
    }
  }

  it("refuses a file swapped for a symlink leading out of the folder (typed error), and ingests the rest", async () => {
    const report = await ingestWithSwap("link", (b, secret) => fs.symlinkSync(secret, b));
    const byName = Object.fromEntries(report.files.map((f) => [path.basename(f.file), f]));
    expect(byName["a.txt"]!.status).toBe("added");
    expect(byName["b.txt"]).toMatchObject({ status: "failed", error: { code: "PATH_OUTSIDE_WORKSPACE" } });
    expect(await rag.search("quindlewort", { mode: "lexical" })).toEqual([]);
  }, 60_000);

  it("refuses a file swapped for a symlink inside the folder (changed after the listing)", async () => {
    const report = await ingestWithSwap("inner-link", (b) => fs.symlinkSync(path.join(path.dirname(b), "a.txt"), b));
    expect(report.files.find((f) => f.file.endsWith("b.txt"))).toMatchObject({ status: "failed", error: { code: "RAG_FILE_UNREADABLE" } });
  }, 60_000);

  it("refuses a file swapped for a FIFO without waiting for a writer, and the ingest finishes", async () => {
    const started = Date.now();
    const report = await ingestWithSwap("fifo", (b) => execFileSync("mkfifo", [b]));
    expect(report.files.find((f) => f.file.endsWith("a.txt"))!.status).toBe("added");
    expect(report.files.find((f) => f.file.endsWith("b.txt"))).toMatchObject({ status: "failed", error: { code: "RAG_FILE_UNREADABLE", message: expect.stringContaining("not a regular file") } });
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
