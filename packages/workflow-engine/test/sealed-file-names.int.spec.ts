import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { KeyEncryptionKey, KeyedContentCipher } from "@bear/security";
import type { JsonValue } from "../src/execution/json-value";
import { WorkflowFiles } from "../src/steps/workflow-files";
import { runFileStep } from "./support/file-step";

/** Every path and every file's bytes under `dir`, as one searchable text. */
function everythingUnder(dir: string): { paths: string; bytes: Buffer } {
  const entries = fs.readdirSync(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => fs.readFileSync(path.join(e.parentPath, e.name)));
  return { paths: entries.map((e) => path.join(path.relative(dir, e.parentPath), e.name)).join("\n"), bytes: Buffer.concat(files) };
}

describe("file_operations in a sealed matter area (real AES-256-GCM from @bear/security)", () => {
  let root: string;
  let cipher: KeyedContentCipher;
  const step = (matter: string, params: Record<string, unknown>, c: KeyedContentCipher = cipher): Promise<JsonValue> =>
    runFileStep({ workspaceRoot: root, matterFolders: true, cipher: c }, params, matter);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "wf-sealed-names-"));
    cipher = new KeyedContentCipher(KeyEncryptionKey.fromBytes(randomBytes(32)));
  });
  afterEach(() => {
    cipher.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("stores no file or folder name in clear, and every operation still uses the names the steps gave", async () => {
    await step("acme", { operation: "write", path: "Quillbrook/Marrowgate settlement.txt", content: "first" });
    await step("acme", { operation: "append", path: "Quillbrook/Marrowgate settlement.txt", content: " and more" });
    await step("acme", { operation: "mkdir", path: "Quillbrook/Zephyrcourt" });
    await expect(step("acme", { operation: "read", path: "Quillbrook/Marrowgate settlement.txt" })).resolves.toMatchObject({ path: "Quillbrook/Marrowgate settlement.txt", content: "first and more" });
    await expect(step("acme", { operation: "list", path: "Quillbrook" })).resolves.toEqual({
      path: "Quillbrook",
      entries: [
        { name: "Marrowgate settlement.txt", kind: "file" },
        { name: "Zephyrcourt", kind: "directory" },
      ],
    });
    await expect(step("acme", { operation: "list", path: "." })).resolves.toMatchObject({ entries: [{ name: "Quillbrook", kind: "directory" }] });
    await expect(step("acme", { operation: "exists", path: "Quillbrook/Zephyrcourt" })).resolves.toMatchObject({ exists: true });

    const stored = everythingUnder(root);
    for (const word of ["Quillbrook", "Marrowgate", "settlement", "Zephyrcourt", "first"]) {
      expect([word, stored.paths.includes(word), stored.bytes.includes(word)]).toEqual([word, false, false]);
    }
    // Modes: folders 0700, files (and their sealed names) 0600.
    for (const e of fs.readdirSync(path.join(root, "matters", "acme"), { recursive: true, withFileTypes: true })) {
      const mode = fs.statSync(path.join(e.parentPath, e.name)).mode & 0o777;
      expect([e.name, mode]).toEqual([e.name, e.isDirectory() ? 0o700 : 0o600]);
    }

    await expect(step("acme", { operation: "delete", path: "Quillbrook/Marrowgate settlement.txt" })).resolves.toMatchObject({ deleted: true });
    await expect(step("acme", { operation: "list", path: "Quillbrook" })).resolves.toMatchObject({ entries: [{ name: "Zephyrcourt" }] });
  });

  it("an error names the path the step used, never the stored one", async () => {
    const failure = await step("acme", { operation: "read", path: "Quillbrook/missing.txt" }).catch((e: Error) => e);
    expect(String((failure as Error).message)).toContain("Quillbrook/missing.txt");
    expect(String((failure as Error).message)).not.toMatch(/\bn[0-9a-f]{20}\b/);
  });

  it("another key finds nothing by name (the names are keyed)", async () => {
    await step("acme", { operation: "write", path: "memo.txt", content: "x" });
    const other = new KeyedContentCipher(KeyEncryptionKey.fromBytes(randomBytes(32)));
    await expect(step("acme", { operation: "exists", path: "memo.txt" }, other)).resolves.toMatchObject({ exists: false });
    other.dispose();
  });

  it("sealArea seals what an area held in plain (names and text), which steps then find by their names", async () => {
    const area = path.join(root, "matters", "acme");
    fs.mkdirSync(path.join(area, "Quillbrook"), { recursive: true });
    fs.writeFileSync(path.join(area, "Quillbrook", "Marrowgate.txt"), "Zephyrcourt owes rent");
    // Plain names are found before they are sealed, too.
    await expect(step("acme", { operation: "read", path: "Quillbrook/Marrowgate.txt" })).resolves.toMatchObject({ content: "Zephyrcourt owes rent" });

    expect(await new WorkflowFiles({ workspaceRoot: root, matterFolders: true, cipher }).sealArea(area)).toBe(2);
    const stored = everythingUnder(root);
    for (const word of ["Quillbrook", "Marrowgate", "Zephyrcourt"]) expect([word, stored.paths.includes(word), stored.bytes.includes(word)]).toEqual([word, false, false]);
    await expect(step("acme", { operation: "read", path: "Quillbrook/Marrowgate.txt" })).resolves.toMatchObject({ content: "Zephyrcourt owes rent" });
    expect(await new WorkflowFiles({ workspaceRoot: root, matterFolders: true, cipher }).sealArea(area)).toBe(0); // once
  });
});
