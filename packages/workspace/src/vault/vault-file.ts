import fs from "node:fs";
import { acquirePidLock, writeFileAtomicSync } from "@bear/core";
import type { TokenVault, TokenVaultSnapshot } from "@bear/security";

/** How long a save waits for another process's save (each holds the lock for one read, merge and write). */
const LOCK_WAIT_MS = 30_000;

/**
 * The token vault on disk (`state/vault.json`: the originals of reversible redactions, each sealed
 * with the vault key). Several processes share it, so saving merges with what is on disk, under a
 * lock between processes (`state/vault.json.lock`): without it two saves that read the same file
 * each wrote their own entries over the other's, and a `bear redact --policy reversible` beside a
 * server could lose its tokens for good.
 */
export class VaultFile {
  constructor(private readonly file: string) {}

  read(): TokenVaultSnapshot | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.file, "utf8")) as TokenVaultSnapshot;
    } catch {
      return undefined;
    }
  }

  /** Merges with what is on disk (another `bear` may have added tokens meanwhile) and replaces the file atomically, holding the vault's lock. */
  async save(vault: TokenVault): Promise<void> {
    const lock = await acquirePidLock(`${this.file}.lock`, { waitMs: LOCK_WAIT_MS, what: "the token vault" });
    try {
      const snapshot = vault.snapshot();
      const current = this.read();
      const merged: TokenVaultSnapshot = { ...snapshot, entries: { ...(current?.keyCheck === snapshot.keyCheck ? current.entries : {}), ...snapshot.entries } };
      writeFileAtomicSync(this.file, JSON.stringify(merged), { mode: 0o600 });
    } finally {
      lock.release();
    }
  }
}
