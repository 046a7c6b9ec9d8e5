import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { acquirePidLockSync } from "@bear/core";
import { TokenVault } from "@bear/security";
import { VaultFile } from "./vault-file";

describe("VaultFile: saves merge under a lock between processes (rev12 #11)", () => {
  it("a save that starts while another process is mid-save waits for it and keeps both processes' tokens", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-vault-file-"));
    try {
      const file = path.join(dir, "vault.json");
      const key = randomBytes(32);
      const server = new TokenVault(key);
      const cli = new TokenVault(key);
      const serverToken = server.tokenize("EMAIL", "server.side@example.com");
      const cliToken = cli.tokenize("EMAIL", "cli.side@example.com");
      // the CLI is mid-save: it holds the lock and has read the file (empty); the server's save starts now
      const cliSave = acquirePidLockSync(`${file}.lock`);
      const serverSave = new VaultFile(file).save(server);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // the CLI writes what it merged (its own tokens: the file was empty when it read it) and lets go
      fs.writeFileSync(file, JSON.stringify(cli.snapshot()), { mode: 0o600 });
      cliSave.release();
      await serverSave;
      const saved = new VaultFile(file).read()!;
      expect(Object.keys(saved.entries).sort()).toEqual([serverToken, cliToken].sort());
      expect(fs.existsSync(`${file}.lock`)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
