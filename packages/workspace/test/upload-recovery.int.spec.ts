import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it, jest } from "@jest/globals";
import { processScope, processStartOf } from "@bear/core";
import { openWorkspace, WorkspaceFolder, type Workspace } from "@bear/workspace";
import { UploadStore } from "../src/uploads/upload-store";
import { filesHolding, quietConfig, tempDirs, withWorkspace } from "./support/workspace-fixture";

/**
 * An upload to an encrypted workspace is placed in clear while it is indexed and sealed after: a
 * process stopped in between (kill, power loss) must not leave the client's original in clear, nor
 * lose the original it was replacing. Each state a crash can leave is made here as the upload would
 * have left it (its journal and files in tmp, named by a process that is gone), then the workspace is
 * opened again.
 */

const PASSPHRASE = "correct horse battery";
const CHEAP_SCRYPT = { N: 2 ** 14, r: 8, p: 1 };
const FIRST = "SUPPLY AGREEMENT\n\n1. Price. The Buyer pays the Wrenfield price of ten dollars per unit.\n";
const SECOND = "SUPPLY AGREEMENT (AMENDED)\n\n1. Price. The Buyer pays the Thistlecombe price of twelve dollars per unit.\n";
const tempDir = tempDirs("bear-upload-recovery-");
const open = (dir: string): Promise<Workspace> => openWorkspace({ config: quietConfig(dir), passphrase: PASSPHRASE });
const sealed = (file: string): boolean => fs.readFileSync(file).subarray(0, 8).toString() === "BEARENC1";

/** The id of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

/** The owner an upload's journal names for process `pid` of this machine (as `UploadStore` writes it for itself). */
function ownerOf(pid: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const start = processStartOf(pid);
  return { host: os.hostname(), pid, run: randomUUID(), ...(processScope ? { scope: processScope } : {}), ...(start ? { start } : {}), ...overrides };
}

/** Writes an upload's journal as `UploadStore.store` does before it writes anything; returns its tmp stem. */
function journal(dir: string, owner: Record<string, unknown>, target: string): string {
  const stem = path.join(dir, "tmp", `upload-${randomUUID()}`);
  fs.writeFileSync(`${stem}.target`, JSON.stringify({ target, owner }));
  return stem;
}

async function newWorkspace(): Promise<string> {
  const dir = path.join(tempDir(), "ws");
  await WorkspaceFolder.at(dir).create({ passphrase: PASSPHRASE, scrypt: CHEAP_SCRYPT });
  return dir;
}

describe("uploads a stopped process left in an encrypted workspace", () => {
  it("an original the index committed is sealed on the next open; one it did not is removed", async () => {
    const dir = await newWorkspace();
    const owner = ownerOf(await deadPid());
    const committed = path.join(dir, "uploads", "acme", "committed.txt");
    const uncommitted = path.join(dir, "uploads", "acme", "uncommitted.txt");
    await withWorkspace(open(dir), async (workspace) => {
      // as store() leaves it when killed after the ingest and before the sealing
      fs.mkdirSync(path.dirname(committed), { recursive: true });
      journal(dir, owner, "acme/committed.txt");
      fs.writeFileSync(committed, FIRST);
      const report = await (await workspace.rag()).ingest([committed], { matter: "acme" });
      expect(report.files[0]?.status).toBe("added");
      // as store() leaves it when killed during the ingest of a new file
      journal(dir, owner, "acme/uncommitted.txt");
      fs.writeFileSync(uncommitted, SECOND);
      // and a body that was still being received (an older release's name: no process id)
      fs.writeFileSync(path.join(dir, "tmp", `upload-${randomUUID()}`), SECOND);
    });
    expect(filesHolding(dir, "Wrenfield")).toEqual(["uploads/acme/committed.txt"]);
    await withWorkspace(open(dir), async (workspace) => {
      expect(sealed(committed)).toBe(true);
      expect(fs.existsSync(uncommitted)).toBe(false);
      expect(fs.readdirSync(path.join(dir, "tmp")).filter((n) => n.startsWith("upload-"))).toEqual([]);
      const document = (await workspace.rag()).documents().find((d) => d.source === committed)!;
      expect((await workspace.upload({ matter: "acme", fileName: "other.txt", body: Readable.from([SECOND]), actor: "alice" })).status).toBe("added");
      expect(document).toBeDefined(); // still indexed: only its original was sealed
    });
    expect(filesHolding(dir, "Wrenfield")).toEqual([]);
    expect(filesHolding(dir, "Thistlecombe")).toEqual([]);
  }, 120_000);

  it("a replacement cut short puts the sealed original back; a live process's upload is left alone", async () => {
    const dir = await newWorkspace();
    const target = path.join(dir, "uploads", "acme", "supply.txt");
    await withWorkspace(open(dir), async (workspace) => {
      await workspace.upload({ matter: "acme", fileName: "supply.txt", body: Readable.from([FIRST]), actor: "alice" });
    });
    const original = fs.readFileSync(target);
    expect(sealed(target)).toBe(true);
    // killed mid-replace: the sealed original set aside in tmp, the new text in clear in its place, not indexed
    // by a process given this very pid before (a restarted container): not us, so stopped
    const stem = journal(dir, ownerOf(process.pid, { start: "1" }), "acme/supply.txt");
    fs.renameSync(target, `${stem}.previous`);
    fs.writeFileSync(target, SECOND);
    // a server beside us, mid-upload of another file: its journal and clear file must stay untouched
    const live = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    try {
      const liveFile = path.join(dir, "uploads", "acme", "in-flight.txt");
      const liveStem = journal(dir, ownerOf(live.pid!), "acme/in-flight.txt");
      // another machine's upload in a shared folder is never ours to finish
      const remoteFile = path.join(dir, "uploads", "acme", "remote.txt");
      const remoteStem = journal(dir, ownerOf(live.pid!, { host: "another-host.example" }), "acme/remote.txt");
      fs.writeFileSync(remoteFile, SECOND.replace("Thistlecombe", "Marrowby"));
      fs.writeFileSync(liveFile, SECOND.replace("Thistlecombe", "Oakhollow"));
      await withWorkspace(open(dir), async () => undefined);
      expect(fs.readFileSync(target).equals(original)).toBe(true);
      expect(fs.existsSync(`${stem}.previous`)).toBe(false);
      expect(filesHolding(dir, "Thistlecombe")).toEqual([]);
      expect(fs.existsSync(liveFile) && fs.existsSync(`${liveStem}.target`)).toBe(true);
      expect(fs.existsSync(remoteFile) && fs.existsSync(`${remoteStem}.target`)).toBe(true);
      // once that process is gone, its cut-short upload is undone like any other
      live.kill("SIGKILL");
      await new Promise((resolve) => live.once("exit", resolve));
      await withWorkspace(open(dir), async () => undefined);
      expect(fs.existsSync(liveFile)).toBe(false);
      expect(filesHolding(dir, "Oakhollow")).toEqual([]);
      expect(fs.existsSync(remoteFile)).toBe(true);
    } finally {
      live.kill("SIGKILL");
    }
  }, 120_000);

  it("an open reads no stored original once the workspace was swept; one from before journals is swept once", async () => {
    const dir = await newWorkspace();
    const marker = path.join(dir, "uploads", ".swept-v1");
    await withWorkspace(open(dir), async (workspace) => {
      for (const n of [1, 2, 3]) await workspace.upload({ matter: "acme", fileName: `supply-${n}.txt`, body: Readable.from([FIRST.replace("ten", `${n}0`)]), actor: "alice" });
    });
    expect(fs.existsSync(marker)).toBe(true); // the first open found nothing to sweep
    // reading the first bytes of every stored original is what made each open O(uploads)
    const sweeps = jest.spyOn(UploadStore.prototype, "clearOriginals");
    try {
      await withWorkspace(open(dir), async () => undefined);
      await withWorkspace(open(dir), async () => undefined);
      expect(sweeps).not.toHaveBeenCalled();

      // A workspace a release before journals wrote to: no marker, an indexed original left in clear, and a
      // stray clear file no one indexed. Its first open sweeps (seals the indexed one), later ones do not.
      const legacy = path.join(dir, "uploads", "acme", "legacy.txt");
      const stray = path.join(dir, "uploads", "acme", "stray.txt");
      await withWorkspace(open(dir), async (workspace) => {
        fs.writeFileSync(legacy, SECOND);
        expect((await (await workspace.rag()).ingest([legacy], { matter: "acme" })).files[0]?.status).toBe("added");
        fs.writeFileSync(stray, "A note nobody ingested.");
      });
      fs.rmSync(marker);
      await withWorkspace(open(dir), async () => undefined);
      const swept = sweeps.mock.calls.length; // that open's check, and its recovery's sweep
      expect(swept).toBeGreaterThan(0);
      expect(sealed(legacy)).toBe(true);
      expect(fs.existsSync(marker)).toBe(true);
      await withWorkspace(open(dir), async (workspace) => {
        expect(sweeps).toHaveBeenCalledTimes(swept);
        expect(workspace.uploadsInClear()).toEqual(["acme/stray.txt"]); // what bear doctor lists
      });
      expect(filesHolding(dir, "Thistlecombe")).toEqual([]);
    } finally {
      sweeps.mockRestore();
    }
  }, 120_000);
});
