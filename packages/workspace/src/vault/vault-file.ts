import fs from "node:fs";
import { writeFileAtomicSync } from "@bear/core";
import type { TokenVault, TokenVaultSnapshot } from "@bear/security";

/**
 * The token vault on disk (`state/vault.json`: the originals of reversible redactions, each sealed
 * with the vault key). Several processes share it, so saving merges with what is on disk.
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

  /** Merges with what is on disk (another `bear` may have added tokens meanwhile) and replaces the file atomically. */
  save(vault: TokenVault): void {
    const snapshot = vault.snapshot();
    const current = this.read();
    const merged: TokenVaultSnapshot = { ...snapshot, entries: { ...(current?.keyCheck === snapshot.keyCheck ? current.entries : {}), ...snapshot.entries } };
    writeFileAtomicSync(this.file, JSON.stringify(merged), { mode: 0o600 });
  }
}
