import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readSse, startTestServer, type TestServer, type Who } from "./support/test-server";

type Step = { stepId: string; status: string; output: Record<string, unknown> | null; error: { code: string; message: string } | null };

/** Every regular file under `dir`, with its bytes. */
function filesUnder(dir: string): { file: string; bytes: Buffer }[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => ({ file: path.join(e.parentPath, e.name), bytes: fs.readFileSync(path.join(e.parentPath, e.name)) }));
}

describe("workflow files: one sealed area per matter (the ethical wall holds for what workflows write)", () => {
  let t: TestServer;
  const SECRET = "Quillbrook settles the Marrowgate claim";

  beforeAll(async () => {
    // An encrypted workspace: created with its keys sealed under this passphrase.
    t = await startTestServer({ passphrase: "correct horse battery staple", rateLimit: { capacity: 1000, refillPerSecond: 100 } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  /** Runs a one-step file_operations workflow for `matter` as `who`, to its end; returns the step. */
  async function fileStep(who: Who, matter: string, parameters: Record<string, unknown>): Promise<Step & { runStatus: string }> {
    const start = await fetch(`${t.url}/api/v1/workflows`, {
      method: "POST",
      headers: { ...t.auth(who), "content-type": "application/json" },
      body: JSON.stringify({ workflow: { name: "files", steps: [{ id: "f", type: "file_operations", parameters }] }, matter }),
    });
    expect(start.status).toBe(201);
    const { runId } = (await start.json()) as { runId: string };
    await readSse(await fetch(`${t.url}/api/v1/workflows/${runId}/events`, { headers: t.auth(who) }));
    const run = (await (await fetch(`${t.url}/api/v1/workflows/${runId}`, { headers: t.auth(who) })).json()) as { status: string; steps: Step[] };
    return { ...run.steps[0]!, runStatus: run.status };
  }

  it("a matter-B key cannot read, list, overwrite or delete what a matter-A workflow wrote; matter A still reads it", async () => {
    const wrote = await fileStep("alice", "acme", { operation: "write", path: "notes/memo.txt", content: SECRET });
    expect(wrote).toMatchObject({ runStatus: "completed", output: { path: "notes/memo.txt", bytes: SECRET.length } });

    // The attack, from a key for matter globex: the same relative paths, '..' and an absolute path.
    const read = await fileStep("bob", "globex", { operation: "read", path: "notes/memo.txt" });
    expect(read.runStatus).toBe("failed");
    expect(JSON.stringify(read)).not.toContain("Quillbrook");
    const listed = await fileStep("bob", "globex", { operation: "list", path: "." });
    expect(listed).toMatchObject({ runStatus: "completed", output: { entries: [] } });
    for (const p of ["../acme/notes/memo.txt", "../../matters/acme/notes/memo.txt", path.join(t.dir, "workflows", "matters", "acme", "notes", "memo.txt")]) {
      const escape = await fileStep("bob", "globex", { operation: "read", path: p });
      expect([p, escape.runStatus, escape.error?.code]).toEqual([p, "failed", "PATH_OUTSIDE_WORKSPACE"]);
    }
    const removed = await fileStep("bob", "globex", { operation: "delete", path: "notes/memo.txt" });
    expect(removed.runStatus).toBe("failed");
    const overwritten = await fileStep("bob", "globex", { operation: "write", path: "notes/memo.txt", content: "bob was here" });
    expect(overwritten.runStatus).toBe("completed"); // in globex's own area

    const again = await fileStep("alice", "acme", { operation: "read", path: "notes/memo.txt" });
    expect(again).toMatchObject({ runStatus: "completed", output: { content: SECRET, bytes: SECRET.length } });
    const appended = await fileStep("alice", "acme", { operation: "append", path: "notes/memo.txt", content: " Zephyrcourt" });
    expect(appended.runStatus).toBe("completed");
    expect((await fileStep("alice", "acme", { operation: "read", path: "notes/memo.txt" })).output).toMatchObject({ content: `${SECRET} Zephyrcourt` });
    // A key for acme cannot start a run in globex's area either (403 before any step runs).
    const denied = await fetch(`${t.url}/api/v1/workflows`, {
      method: "POST",
      headers: { ...t.auth("alice"), "content-type": "application/json" },
      body: JSON.stringify({ workflow: { name: "files", steps: [{ id: "f", type: "file_operations", parameters: { operation: "list", path: "." } }] }, matter: "globex" }),
    });
    expect(denied.status).toBe(403);
  });

  it("a failed step's error names the path relative to the caller's area, never the server's folder (issue 15)", async () => {
    // Before: `ENOENT: no such file or directory, open '/…/workflows/…/missing.txt'`.
    for (const parameters of [
      { operation: "read", path: "missing.txt" },
      { operation: "delete", path: "gone/nowhere.txt" },
      { operation: "list", path: "no-such-folder" },
    ]) {
      const failed = await fileStep("alice", "acme", parameters);
      expect(failed.runStatus).toBe("failed");
      expect(failed.error?.message).toContain(`'${parameters.path}'`);
      const everything = JSON.stringify(failed);
      expect(everything).not.toContain(t.dir);
      expect(everything).not.toMatch(/'\/[^']*(workflows|matters)\//);
    }
  });

  it("keeps the files sealed at rest, in private folders: no word of them anywhere under the encrypted workspace", async () => {
    const area = path.join(t.dir, "workflows", "matters", "acme");
    expect(fs.statSync(area).mode & 0o777).toBe(0o700);
    // notes/memo.txt, its folder and their sealed names: folders 0700, files 0600, no name in clear
    const stored = fs.readdirSync(area, { recursive: true, withFileTypes: true });
    expect(stored.filter((e) => e.isDirectory())).toHaveLength(1);
    expect(stored.filter((e) => e.isFile()).length).toBeGreaterThanOrEqual(3);
    for (const e of stored) expect(fs.statSync(path.join(e.parentPath, e.name)).mode & 0o777).toBe(e.isDirectory() ? 0o700 : 0o600);
    const everything = filesUnder(t.dir);
    expect(everything.length).toBeGreaterThan(5);
    for (const word of ["Quillbrook", "Marrowgate", "Zephyrcourt", "memo", "notes"]) {
      const held = everything.filter((f) => path.relative(t.dir, f.file).includes(word) || (word !== "memo" && word !== "notes" && f.bytes.includes(word)));
      expect([word, held.map((f) => path.relative(t.dir, f.file))]).toEqual([word, []]);
    }
  });
});
