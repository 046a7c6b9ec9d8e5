import { createHmac, timingSafeEqual } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "@bear/core";

/** The signed head checkpoint: which record was last appended, MACed with the audit key. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
  readonly ts: string;
}

export type AuditHeadRead = { readonly state: "present"; readonly head: AuditHead } | { readonly state: "missing" } | { readonly state: "forged" };

const FILE = "audit.head";
const DOMAIN = "bear-audit-head:v1";

/**
 * `<audit dir>/audit.head`: the last record's number and hash, signed with the audit key, rewritten
 * (write + rename, under the log's lock) after every append. A chain alone cannot see its tail cut;
 * the head can, and without the key nobody can move it back to match a shorter log.
 */
export class AuditHeadFile {
  constructor(
    private readonly dir: string,
    private readonly key: () => Buffer,
  ) {}

  async read(): Promise<AuditHeadRead> {
    let raw: string;
    try {
      raw = await fs.readFile(path.join(this.dir, FILE), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { state: "missing" };
      throw error;
    }
    try {
      const parsed = JSON.parse(raw) as Partial<AuditHead> & { mac?: unknown };
      const { seq, hash, ts, mac } = parsed;
      if (!Number.isSafeInteger(seq) || (seq as number) < 0 || typeof hash !== "string" || typeof ts !== "string" || typeof mac !== "string") return { state: "forged" };
      const head = { seq: seq as number, hash, ts };
      const expected = Buffer.from(this.mac(head), "hex");
      const given = Buffer.from(mac, "hex");
      return given.length === expected.length && timingSafeEqual(given, expected) ? { state: "present", head } : { state: "forged" };
    } catch {
      return { state: "forged" };
    }
  }

  /** Replaces the checkpoint atomically; the caller holds the log's lock. */
  async write(head: AuditHead): Promise<void> {
    // Not fsynced, like the log's own appends: after a power cut the head is at most one append ahead or behind.
    await writeFileAtomic(path.join(this.dir, FILE), `${JSON.stringify({ ...head, mac: this.mac(head) })}\n`, { durable: false });
  }

  private mac(head: AuditHead): string {
    return createHmac("sha256", this.key()).update(`${DOMAIN}\n${head.seq}\n${head.hash}\n${head.ts}`).digest("hex");
  }
}
