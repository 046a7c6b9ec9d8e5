import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

import { InvalidArgumentError, type AuditEvent, type AuditSink } from "@bear/core";
import { AuditLogError } from "../errors";
import { SecureBuffer } from "../crypto/secure-buffer";
import { PiiScanner } from "../pii/pii-scanner";

/** One line of the log. `hash` covers every other field; `mac` is HMAC-SHA256(key, hash). */
export interface AuditRecord {
  readonly seq: number;
  readonly ts: string;
  readonly prev: string;
  readonly action: string;
  readonly outcome: AuditEvent["outcome"];
  readonly actor: string;
  readonly resource?: string;
  readonly matter?: string;
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
  readonly hash: string;
  readonly mac: string;
}

export type AuditProblemKind = "edited" | "deleted" | "inserted" | "reordered" | "malformed";
export interface AuditProblem {
  readonly kind: AuditProblemKind;
  readonly file: string;
  /** 1-based line in `file`. */
  readonly line: number;
  /** The sequence number concerned (for deletions: the first missing one). */
  readonly seq: number | undefined;
  readonly message: string;
}
export interface AuditVerification {
  readonly ok: boolean;
  readonly records: number;
  readonly problems: readonly AuditProblem[];
  /** Hash of the last record: keep it elsewhere to detect truncation of the tail later. */
  readonly head: string;
}

export interface AuditLogOptions {
  /** Folder of the log files (created if missing). */
  readonly dir: string;
  /** HMAC key (≥ 32 bytes). */
  readonly key: Uint8Array;
  /** Rotate the current file once it is larger than this (default 10 MiB). */
  readonly maxFileBytes?: number;
  readonly now?: () => Date;
}

const CURRENT = "audit.jsonl";
const GENESIS = "0".repeat(64);
const ROTATED = /^audit-(\d{12})\.jsonl$/;
const MAX_STRING = 128;

/**
 * Append-only, hash-chained, HMAC-signed JSONL audit log. Records hold ids, counts, types and the
 * actor: string details are screened for personal data and refused if they contain any.
 * Appends are serialised in-process; rotation starts a new file whose first record chains to the
 * last record of the previous one.
 */
export class AuditLog implements AuditSink {
  private readonly key: SecureBuffer;
  private readonly maxFileBytes: number;
  private readonly now: () => Date;
  private readonly screen = new PiiScanner({ names: false });
  private queue: Promise<unknown> = Promise.resolve();
  private state: { seq: number; prev: string; bytes: number } | undefined;

  constructor(private readonly options: AuditLogOptions) {
    if (!options.key || options.key.length < 32) throw new InvalidArgumentError("audit key", `${options.key?.length ?? 0} bytes`, "at least 32 bytes");
    this.key = SecureBuffer.from(options.key);
    this.maxFileBytes = options.maxFileBytes ?? 10 * 1024 * 1024;
    this.now = options.now ?? (() => new Date());
  }

  /** Appends one event (serialised with concurrent calls). */
  record(event: AuditEvent): Promise<void> {
    const run = this.queue.then(() => this.append(event));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async append(event: AuditEvent): Promise<void> {
    this.check(event);
    const state = this.state ?? (await this.recover());
    if (state.bytes > this.maxFileBytes) await this.rotate(state);
    const body = {
      seq: state.seq + 1,
      ts: this.now().toISOString(),
      prev: state.prev,
      action: event.action,
      outcome: event.outcome,
      actor: event.actor ?? "system",
      ...(event.resource === undefined ? {} : { resource: event.resource }),
      ...(event.matter === undefined ? {} : { matter: event.matter }),
      ...(event.details === undefined ? {} : { details: { ...event.details } }),
    };
    const hash = hashOf(body);
    const line = `${JSON.stringify({ ...body, hash, mac: this.mac(hash) })}\n`;
    try {
      await fs.appendFile(path.join(this.options.dir, CURRENT), line, { mode: 0o600 });
    } catch (cause) {
      throw new AuditLogError("AUDIT_LOG_UNWRITABLE", `cannot append to audit log in '${this.options.dir}'`, { cause, hint: "Check the folder exists and is writable." });
    }
    this.state = { seq: body.seq, prev: hash, bytes: state.bytes + Buffer.byteLength(line) };
  }

  private check(event: AuditEvent): void {
    if (!event || typeof event.action !== "string" || !/^[a-z][a-z0-9._-]{0,63}$/.test(event.action))
      throw new InvalidArgumentError("audit action", event?.action, "a short lower-case name such as 'scrub' or 'key.use'");
    if (!["success", "denied", "failure"].includes(event.outcome)) throw new InvalidArgumentError("audit outcome", event.outcome, "success, denied or failure");
    const strings: [string, unknown][] = [["actor", event.actor], ["resource", event.resource], ["matter", event.matter]];
    for (const [k, v] of Object.entries(event.details ?? {})) {
      if (v !== null && !["string", "number", "boolean"].includes(typeof v)) throw new InvalidArgumentError(`audit detail '${k}'`, v, "a string, number, boolean or null");
      strings.push([`details.${k}`, v]);
    }
    for (const [name, v] of strings) {
      if (typeof v !== "string") continue;
      if (v.length > MAX_STRING) throw new InvalidArgumentError(`audit ${name}`, `${v.length} characters`, `at most ${MAX_STRING} characters (ids, not text)`);
      if (this.screen.scan(v).length > 0) throw new InvalidArgumentError(`audit ${name}`, "(withheld)", "no personal data in audit records");
    }
  }

  private mac(hash: string): string {
    return createHmac("sha256", this.key.buffer).update(hash).digest("hex");
  }

  private async files(): Promise<string[]> {
    await fs.mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    const names = await fs.readdir(this.options.dir);
    const rotated = names.filter((n) => ROTATED.test(n)).sort();
    return names.includes(CURRENT) ? [...rotated, CURRENT] : rotated;
  }

  /** Finds the last record to continue the chain after a restart. */
  private async recover(): Promise<{ seq: number; prev: string; bytes: number }> {
    const files = await this.files();
    let state = { seq: 0, prev: GENESIS, bytes: 0 };
    for (let i = files.length - 1; i >= 0; i--) {
      const file = files[i] ?? "";
      const text = await fs.readFile(path.join(this.options.dir, file), "utf8");
      const lines = text.split("\n").filter((l) => l.length > 0);
      const last = lines[lines.length - 1];
      if (!last) continue;
      try {
        const r = JSON.parse(last) as AuditRecord;
        state = { seq: r.seq, prev: r.hash, bytes: file === CURRENT ? Buffer.byteLength(text) : 0 };
      } catch (cause) {
        throw new AuditLogError("AUDIT_LOG_CORRUPT", `the last line of audit file '${file}' is not a record`, { cause, hint: "Run verify() and restore the file from a backup." });
      }
      break;
    }
    this.state = state;
    return state;
  }

  private async rotate(state: { seq: number; prev: string; bytes: number }): Promise<void> {
    const target = path.join(this.options.dir, `audit-${String(state.seq).padStart(12, "0")}.jsonl`);
    await fs.rename(path.join(this.options.dir, CURRENT), target);
    state.bytes = 0;
  }

  /** Checks every file in order: signatures, hashes, sequence numbers and links. */
  async verify(): Promise<AuditVerification> {
    await this.queue;
    const problems: AuditProblem[] = [];
    let expectedSeq = 1;
    let prev = GENESIS;
    let records = 0;
    for (const file of await this.files()) {
      const lines = (await fs.readFile(path.join(this.options.dir, file), "utf8")).split("\n");
      for (let i = 0; i < lines.length; i++) {
        const raw = lines[i];
        if (!raw) continue;
        const line = i + 1;
        let r: AuditRecord;
        try {
          r = JSON.parse(raw) as AuditRecord;
        } catch {
          problems.push({ kind: "malformed", file, line, seq: undefined, message: `line ${line} of ${file} is not JSON` });
          continue;
        }
        records++;
        const { hash, mac, ...body } = r;
        const authentic = typeof hash === "string" && hash === hashOf(body) && typeof mac === "string" && this.macMatches(hash, mac);
        if (!authentic) {
          const kind: AuditProblemKind = r.seq === expectedSeq ? "edited" : "inserted";
          problems.push({ kind, file, line, seq: r.seq, message: `record ${r.seq} (${file}:${line}) fails its signature: ${kind}` });
          if (kind === "edited") {
            expectedSeq++;
            prev = typeof hash === "string" ? hash : prev;
          }
          continue;
        }
        if (r.seq > expectedSeq) {
          problems.push({ kind: "deleted", file, line, seq: expectedSeq, message: `records ${expectedSeq}..${r.seq - 1} are missing before ${file}:${line}` });
        } else if (r.seq < expectedSeq) {
          problems.push({ kind: "reordered", file, line, seq: r.seq, message: `record ${r.seq} appears after record ${expectedSeq - 1} (${file}:${line})` });
          continue;
        } else if (r.prev !== prev) {
          problems.push({ kind: "reordered", file, line, seq: r.seq, message: `record ${r.seq} does not chain to the record before it (${file}:${line})` });
        }
        expectedSeq = Math.max(expectedSeq, r.seq + 1);
        prev = hash;
      }
    }
    return { ok: problems.length === 0, records, problems, head: prev };
  }

  private macMatches(hash: string, mac: string): boolean {
    const expected = Buffer.from(this.mac(hash), "hex");
    const given = Buffer.from(mac, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  async dispose(): Promise<void> {
    await this.queue;
    this.key.dispose();
  }
}

/** SHA-256 over the record's fields in a fixed order (canonical JSON: sorted keys). */
function hashOf(body: object): string {
  return createHash("sha256").update(canonical(body)).digest("hex");
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}
