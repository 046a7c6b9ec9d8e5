import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { writeFileAtomicSync } from "@bear/core";
import type { SealedMatterTable } from "@bear/security";

/**
 * Placeholder tables of matters on disk (`state/matters/<digest>.json`, 0600), each sealed by the scrubber under a
 * key derived from the vault key, so `bear redact --matter M` gives the same person the same placeholder in every
 * document of the matter. File names are digests: the matter id is not written in clear.
 */
export class MatterTableStore {
  constructor(private readonly dir: string) {}

  private fileOf(matterId: string): string {
    return path.join(this.dir, `${createHash("sha256").update(`bear-matter-table|${matterId}`).digest("hex").slice(0, 32)}.json`);
  }

  read(matterId: string): SealedMatterTable | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.fileOf(matterId), "utf8")) as SealedMatterTable;
    } catch {
      return undefined;
    }
  }

  /** Replaces the matter's table atomically (the last redaction of a matter wins if two run at once). */
  save(matterId: string, table: SealedMatterTable): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileAtomicSync(this.fileOf(matterId), JSON.stringify(table), { mode: 0o600 });
  }
}
