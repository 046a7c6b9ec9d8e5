import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { openWorkspace, WorkspaceFolder, type Workspace } from "@bear/workspace";
import { quietConfig, tempDirs, withWorkspace } from "./support/workspace-fixture";

/**
 * An older workspace's workflow files: a shared `workflows/` folder (any matter's key read it) and
 * matter areas whose file names were plain. Opening it with this version migrates it once.
 */

const PASSPHRASE = "correct horse battery";
const CHEAP_SCRYPT = { N: 2 ** 14, r: 8, p: 1 };
const tempDir = tempDirs("bear-migrate-");

/** A workspace as an older version left it: manifest without a layout, shared files, a plain-named matter file. */
async function olderWorkspace(passphrase?: string): Promise<string> {
  const root = tempDir();
  const dir = path.join(root, "ws");
  const folder = WorkspaceFolder.at(dir);
  await folder.create(passphrase ? { passphrase, scrypt: CHEAP_SCRYPT } : {});
  const { layout: _layout, ...older } = folder.requireManifest();
  fs.writeFileSync(folder.paths.manifestFile, JSON.stringify(older));
  fs.mkdirSync(path.join(dir, "workflows", "notes"), { recursive: true });
  fs.writeFileSync(path.join(dir, "workflows", "notes", "Quillbrook.txt"), "Quillbrook settles the Marrowgate claim");
  fs.writeFileSync(path.join(dir, "workflows", "Zephyrcourt-memo.txt"), "Zephyrcourt memo");
  fs.mkdirSync(path.join(dir, "workflows", "matters", "acme"), { recursive: true });
  fs.writeFileSync(path.join(dir, "workflows", "matters", "acme", "Brambleton.txt"), "Brambleton lease");
  return dir;
}

async function readAs(workspace: Workspace, matter: string, file: string): Promise<{ status: string; content?: string }> {
  const engine = await workspace.workflows();
  const result = await engine.run({ name: "read", steps: [{ id: "r", type: "file_operations", parameters: { operation: "read", path: file } }] }, {}, { matter });
  return { status: result.status, ...(result.status === "completed" ? { content: (result.outputs["r"] as { content: string }).content } : {}) };
}

/** Every path and file byte under `dir`. */
function everythingUnder(dir: string): { paths: string; bytes: Buffer } {
  const entries = fs.readdirSync(dir, { recursive: true, withFileTypes: true });
  return {
    paths: entries.map((e) => path.join(e.parentPath, e.name)).join("\n"),
    bytes: Buffer.concat(entries.filter((e) => e.isFile()).map((e) => fs.readFileSync(path.join(e.parentPath, e.name)))),
  };
}

describe("workspace layout migration (real SQLite workflow engine)", () => {
  it("encrypted: the shared files move into the default matter's area and every area is sealed, names and text; each matter reads its own", async () => {
    const dir = await olderWorkspace(PASSPHRASE);
    await withWorkspace(openWorkspace({ config: quietConfig(dir), passphrase: PASSPHRASE }), async (workspace) => {
      expect(WorkspaceFolder.at(dir).requireManifest().layout).toBe(2);
      expect(fs.readdirSync(path.join(dir, "workflows"))).toEqual(["matters"]);
      const stored = everythingUnder(path.join(dir, "workflows"));
      for (const word of ["Quillbrook", "Marrowgate", "Zephyrcourt", "Brambleton", "notes"]) {
        expect([word, stored.paths.includes(word), stored.bytes.includes(word)]).toEqual([word, false, false]);
      }
      await expect(readAs(workspace, "default", "notes/Quillbrook.txt")).resolves.toEqual({ status: "completed", content: "Quillbrook settles the Marrowgate claim" });
      await expect(readAs(workspace, "default", "Zephyrcourt-memo.txt")).resolves.toMatchObject({ content: "Zephyrcourt memo" });
      await expect(readAs(workspace, "acme", "Brambleton.txt")).resolves.toMatchObject({ content: "Brambleton lease" });
      // The ethical wall: another matter does not see the moved files.
      await expect(readAs(workspace, "acme", "notes/Quillbrook.txt")).resolves.toMatchObject({ status: "failed" });
    });
    // Once: a second open changes nothing.
    const before = everythingUnder(path.join(dir, "workflows")).paths;
    await withWorkspace(openWorkspace({ config: quietConfig(dir), passphrase: PASSPHRASE }), async () => undefined);
    expect(everythingUnder(path.join(dir, "workflows")).paths).toBe(before);
  });

  it("not encrypted: the shared files move into the default matter's area, names and text as they were", async () => {
    const dir = await olderWorkspace();
    fs.mkdirSync(path.join(dir, "workflows", "matters", "default"));
    fs.writeFileSync(path.join(dir, "workflows", "matters", "default", "Zephyrcourt-memo.txt"), "the default matter's own");
    await withWorkspace(openWorkspace({ config: quietConfig(dir) }), async (workspace) => {
      expect(WorkspaceFolder.at(dir).requireManifest().layout).toBe(2);
      expect(fs.readFileSync(path.join(dir, "workflows", "matters", "default", "notes", "Quillbrook.txt"), "utf8")).toBe("Quillbrook settles the Marrowgate claim");
      // never overwrites: the moved file takes another name
      await expect(readAs(workspace, "default", "Zephyrcourt-memo.txt")).resolves.toMatchObject({ content: "the default matter's own" });
      await expect(readAs(workspace, "default", "Zephyrcourt-memo (2).txt")).resolves.toMatchObject({ content: "Zephyrcourt memo" });
    });
  });

  it("a new workspace starts at the current layout", async () => {
    const root = tempDir();
    expect((await WorkspaceFolder.at(path.join(root, "ws")).create()).layout).toBe(2);
  });
});
