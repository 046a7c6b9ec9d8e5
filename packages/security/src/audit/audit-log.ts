import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import fs, { type FileHandle } from "node:fs/promises";
import path from "node:path";

import { InvalidArgumentError, LockError, acquirePidLock, writeFileAtomic, type AuditEvent, type AuditSink } from "@bear/core";
import { AuditLogError } from "../errors";
import { SecureBuffer } from "../crypto/secure-buffer";
import { PiiScanner } from "../pii/pii-scanner";
import { AuditHeadFile, type AuditHead } from "./audit-head";
import { AUDIT_ID, OPAQUE_ID } from "./audit-id-screen";
import { lowerBound } from "../pii/lower-bound";

/** One line of the log. `hash` covers every other field; `mac` is HMAC-SHA256(key, hash). */
export interface AuditRecord {
  /** 2 on records written with a signed head checkpoint beside the log; absent on older records. */
  readonly v?: number;
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

/** `truncated`: the tail was cut, or the signed head checkpoint is missing, forged or does not match. */
export type AuditProblemKind = "edited" | "deleted" | "inserted" | "reordered" | "malformed" | "truncated";
export interface AuditProblem {
  readonly kind: AuditProblemKind;
  readonly file: string;
  /** 1-based line in `file`. */
  readonly line: number;
  /** The sequence number concerned (for deletions: the first missing one). */
  readonly seq: number | undefined;
  readonly message: string;
}
/** An append that was cut mid-line (disk full, power cut) and moved aside by the next appender. */
export interface AuditRecovery {
  /** The `audit.recovered` record that notes it. */
  readonly seq: number;
  readonly file: string;
  readonly line: number;
  /** The quarantine file in the audit folder holding the torn bytes. */
  readonly quarantine: string;
  readonly message: string;
}
export interface AuditVerification {
  readonly ok: boolean;
  readonly records: number;
  readonly problems: readonly AuditProblem[];
  /** Hash of the last record. */
  readonly head: string;
  /** The tail was cut (or may have been: the signed head checkpoint is missing, forged or disagrees). */
  readonly truncated: boolean;
  /** The signed head checkpoint as found (absent when missing or forged). */
  readonly checkpoint: AuditHead | undefined;
  /** Torn appends moved aside by later appenders (not tampering: the signed head never named them). */
  readonly recovered: readonly AuditRecovery[];
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
/** Held (a pid lock, @bear/core) while one process appends, so several processes share one chain. */
const LOCK = "audit.lock";
const LOCK_WAIT_MS = 10_000;
const GENESIS = "0".repeat(64);
const ROTATED = /^audit-(\d{12})\.jsonl$/;
const MAX_STRING = 128;
const VERSION = 2;
/** The record an appender writes when it finds the log's tail cut or its head checkpoint gone. */
const TAMPER = "audit.tamper";
/** The record an appender writes when it moves a torn last line (an append cut mid-line) aside. */
const RECOVERED = "audit.recovered";

/** A last line without its newline, found by `recover` and moved aside. */
interface TornTail {
  readonly bytes: number;
  readonly quarantine: string;
}

interface ChainState {
  seq: number;
  prev: string;
  bytes: number;
  ino?: number;
  /** `v` of the last record (undefined: an older record, or none). */
  v?: number;
}

/**
 * Append-only, hash-chained, HMAC-signed JSONL audit log. Records hold ids, counts, types and the
 * actor: string details are screened for personal data and refused if they contain any.
 * Appends are serialised in-process and, through a lock file, across processes (a CLI command and
 * a running server may share a workspace): each append re-reads the chain's head when another
 * writer moved it. Rotation starts a new file whose first record chains to the last record of the
 * previous one.
 */
export class AuditLog implements AuditSink {
  private readonly key: SecureBuffer;
  private readonly maxFileBytes: number;
  private readonly now: () => Date;
  private readonly screen = new PiiScanner({ names: false });
  private queue: Promise<unknown> = Promise.resolve();
  private disposed: Promise<void> | undefined;
  /** The folder is created once, before the first append's lock. */
  private dirReady: Promise<void> | undefined;
  /** The chain head as this instance last wrote or read it, with the current file's size and inode. */
  private state: ChainState | undefined;
  private readonly head: AuditHeadFile;

  constructor(private readonly options: AuditLogOptions) {
    if (!options.key || options.key.length < 32) throw new InvalidArgumentError("audit key", `${options.key?.length ?? 0} bytes`, "at least 32 bytes");
    this.key = SecureBuffer.from(options.key);
    this.maxFileBytes = options.maxFileBytes ?? 10 * 1024 * 1024;
    this.now = options.now ?? (() => new Date());
    this.head = new AuditHeadFile(options.dir, () => this.key.buffer);
  }

  /** Appends one event (serialised with concurrent calls). */
  record(event: AuditEvent): Promise<void> {
    const run = this.queue.then(() => this.append(event));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async append(event: AuditEvent): Promise<void> {
    this.check(event);
    this.dirReady ??= fs.mkdir(this.options.dir, { recursive: true, mode: 0o700 }).then(() => undefined);
    await this.dirReady;
    const release = await this.lock();
    try {
      await this.appendLocked(event);
    } finally {
      release();
    }
  }

  /** Takes the cross-process lock; a lock whose holder died is taken over. */
  private async lock(): Promise<() => void> {
    try {
      const lock = await acquirePidLock(path.join(this.options.dir, LOCK), { waitMs: LOCK_WAIT_MS, pollMs: 2, what: `the audit log in '${this.options.dir}'` });
      return () => lock.release();
    } catch (error) {
      if (!(error instanceof LockError)) throw error;
      throw new AuditLogError("AUDIT_LOG_UNWRITABLE", error.code === "LOCK_BUSY" ? error.message : `cannot lock the audit log in '${this.options.dir}'`, {
        cause: error,
        hint: error.hint ?? "Check the folder exists and is writable.",
      });
    }
  }

  private async appendLocked(event: AuditEvent): Promise<void> {
    // Another process may have appended (or rotated) since our last write: then re-read the head.
    const current = await this.currentFile();
    let state = this.state;
    if (state === undefined || current.size !== state.bytes || current.ino !== state.ino) {
      const { tail, torn } = await this.recover();
      state = await this.resume({ ...tail, ...(current.ino === undefined ? {} : { ino: current.ino }) });
      if (torn) state = await this.write(state, { action: RECOVERED, outcome: "failure", details: { kind: "torn-append", bytes: torn.bytes, quarantine: torn.quarantine, after: tail.seq } });
    }
    if (state.bytes > this.maxFileBytes) {
      await this.rotate(state);
      delete state.ino; // the append below creates a new file
    }
    this.state = await this.write(state, event);
  }

  /**
   * Where the chain continues, checked against the signed head. A log behind its head had its tail
   * cut: the chain continues after the head (so the cut stays a visible gap) behind a record saying
   * so. A checkpointed log without a valid head gets such a record too. An empty or older log
   * starts its head here.
   */
  private async resume(tail: ChainState): Promise<ChainState> {
    const read = await this.head.read();
    if (read.state === "present") {
      const { head } = read;
      if (head.seq <= tail.seq) return tail; // equal, or one behind after a crash between append and head write
      return this.write({ ...tail, seq: head.seq, prev: head.hash }, { action: TAMPER, outcome: "failure", details: { kind: "truncated", head: head.seq, last: tail.seq } });
    }
    if (tail.seq === 0 || tail.v !== VERSION) {
      await this.writeHead({ seq: tail.seq, hash: tail.prev, ts: this.now().toISOString() });
      return tail;
    }
    return this.write(tail, { action: TAMPER, outcome: "failure", details: { kind: read.state === "missing" ? "head-missing" : "head-forged", last: tail.seq } });
  }

  /** Appends one record after `state`, then moves the signed head to it; returns the new state. */
  private async write(state: ChainState, event: AuditEvent): Promise<ChainState> {
    const body = {
      v: VERSION,
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
    await this.appendWhole(Buffer.from(line));
    await this.writeHead({ seq: body.seq, hash, ts: body.ts });
    // A file the append just created has an inode we have not seen: left undefined, so the next
    // append re-reads the head once.
    return { seq: body.seq, prev: hash, bytes: state.bytes + Buffer.byteLength(line), v: VERSION, ...(state.ino === undefined || state.bytes === 0 ? {} : { ino: state.ino }) };
  }

  /**
   * Appends `data` whole or not at all: a write that fails part-way (ENOSPC, EIO) is cut back to
   * the file's size before it, so a full disk leaves no torn line behind. (A power cut can still
   * tear the line; `recover` moves such a tail aside.)
   */
  private async appendWhole(data: Buffer): Promise<void> {
    const file = path.join(this.options.dir, CURRENT);
    let handle: FileHandle | undefined;
    let before = 0;
    try {
      handle = await fs.open(file, "a", 0o600);
      before = (await handle.stat()).size;
      for (let done = 0; done < data.length; ) done += (await handle.write(data, done, data.length - done)).bytesWritten;
    } catch (cause) {
      let undone = true;
      if (handle) await handle.truncate(before).catch(() => (undone = false));
      throw new AuditLogError("AUDIT_LOG_UNWRITABLE", `cannot append to audit log in '${this.options.dir}' (${(cause as NodeJS.ErrnoException).code ?? "error"})`, {
        cause,
        hint: `Check the folder exists, is writable and has free space.${undone ? "" : " The torn line left behind is moved aside by the next append."}`,
      });
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }

  private async writeHead(head: AuditHead): Promise<void> {
    try {
      await this.head.write(head);
    } catch (cause) {
      throw new AuditLogError("AUDIT_LOG_UNWRITABLE", `cannot write the head checkpoint of the audit log in '${this.options.dir}'`, { cause, hint: "Check the folder exists and is writable." });
    }
  }

  private check(event: AuditEvent): void {
    if (!event || typeof event.action !== "string" || !/^[a-z][a-z0-9._-]{0,63}$/.test(event.action))
      throw new InvalidArgumentError("audit action", event?.action, "a short lower-case name such as 'scrub' or 'key.use'");
    if (!["success", "denied", "failure"].includes(event.outcome)) throw new InvalidArgumentError("audit outcome", event.outcome, "success, denied or failure");
    // Ids by construction are not screened as text: the actor and the matter (principal and matter
    // ids, whose creation refuses what the screen would) and opaque resource ids (a document id's
    // 24 hex read as an IBAN 1 time in ~33,000). Everything else is.
    const strings: [string, unknown, RegExp | undefined][] = [
      ["actor", event.actor, AUDIT_ID],
      ["resource", event.resource, OPAQUE_ID],
      ["matter", event.matter, AUDIT_ID],
    ];
    for (const [k, v] of Object.entries(event.details ?? {})) {
      if (v !== null && !["string", "number", "boolean"].includes(typeof v)) throw new InvalidArgumentError(`audit detail '${k}'`, v, "a string, number, boolean or null");
      strings.push([`details.${k}`, v, undefined]);
    }
    for (const [name, v, id] of strings) {
      if (typeof v !== "string") continue;
      if (v.length > MAX_STRING) throw new InvalidArgumentError(`audit ${name}`, `${v.length} characters`, `at most ${MAX_STRING} characters (ids, not text)`);
      if (id?.test(v)) continue;
      if (this.screen.scan(v).length > 0) throw new InvalidArgumentError(`audit ${name}`, "(withheld)", "no personal data in audit records");
    }
  }

  private async currentFile(): Promise<{ size: number; ino?: number }> {
    try {
      const st = await fs.stat(path.join(this.options.dir, CURRENT));
      return { size: st.size, ino: st.ino };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { size: 0 };
      throw error;
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

  /**
   * Finds the last record to continue the chain after a restart. A current file whose last line
   * lacks its newline holds a torn append (the writer was cut off mid-line): an authentic record
   * only missing the newline gets it; anything else is moved to a quarantine file and cut off, and
   * the caller notes it in the chain. The signed head still judges what remains, so cutting an
   * acknowledged record this way shows as a truncation.
   */
  private async recover(): Promise<{ tail: ChainState; torn?: TornTail }> {
    const files = await this.files();
    let torn: TornTail | undefined;
    for (let i = files.length - 1; i >= 0; i--) {
      const file = files[i] ?? "";
      let text = await fs.readFile(path.join(this.options.dir, file), "utf8");
      if (file === CURRENT && text.length > 0 && !text.endsWith("\n")) {
        const result = await this.mendTornTail(text);
        text = result.text;
        torn = result.torn;
      }
      const lines = text.split("\n").filter((l) => l.length > 0);
      const last = lines[lines.length - 1];
      if (!last) continue;
      try {
        const r = JSON.parse(last) as AuditRecord;
        const tail = { seq: r.seq, prev: r.hash, bytes: file === CURRENT ? Buffer.byteLength(text) : 0, ...(r.v === undefined ? {} : { v: r.v }) };
        return torn ? { tail, torn } : { tail };
      } catch (cause) {
        throw new AuditLogError("AUDIT_LOG_CORRUPT", `the last line of audit file '${file}' is not a record`, { cause, hint: "Run verify() and restore the file from a backup." });
      }
    }
    const tail = { seq: 0, prev: GENESIS, bytes: 0 };
    return torn ? { tail, torn } : { tail };
  }

  /**
   * Completes or moves aside the current file's unterminated last line; returns the file's text
   * after. Read as bytes: a cut can split a multi-byte character, and the quarantine file keeps the
   * bytes as they were.
   */
  private async mendTornTail(text: string): Promise<{ text: string; torn?: TornTail }> {
    const file = path.join(this.options.dir, CURRENT);
    const raw = await fs.readFile(file);
    const keep = raw.lastIndexOf(0x0a) + 1;
    const partial = raw.subarray(keep);
    if (this.isAuthentic(partial.toString("utf8"))) {
      await this.appendWhole(Buffer.from("\n"));
      return { text: `${text}\n` };
    }
    const quarantine = `audit-torn-${keep}-${createHash("sha256").update(partial).digest("hex").slice(0, 12)}.part`;
    try {
      // Saved before the cut, so a crash in between leaves both copies, never none.
      await writeFileAtomic(path.join(this.options.dir, quarantine), partial, { mode: 0o600 });
      await fs.truncate(file, keep);
    } catch (cause) {
      throw new AuditLogError("AUDIT_LOG_UNWRITABLE", `cannot move the torn last line of '${file}' aside (${(cause as NodeJS.ErrnoException).code ?? "error"})`, {
        cause,
        hint: "Check the folder is writable and has free space.",
      });
    }
    return { text: raw.subarray(0, keep).toString("utf8"), torn: { bytes: partial.length, quarantine } };
  }

  /** Whether `line` is a whole record signed with this log's key. */
  private isAuthentic(line: string): boolean {
    try {
      const r = JSON.parse(line) as AuditRecord;
      if (r === null || typeof r !== "object") return false;
      const { hash, mac, ...body } = r;
      return typeof hash === "string" && hash === hashOf(body) && typeof mac === "string" && this.macMatches(hash, mac) && Number.isSafeInteger(r.seq);
    } catch {
      return false;
    }
  }

  private async rotate(state: ChainState): Promise<void> {
    const target = path.join(this.options.dir, `audit-${String(state.seq).padStart(12, "0")}.jsonl`);
    await fs.rename(path.join(this.options.dir, CURRENT), target);
    state.bytes = 0;
  }

  /**
   * Checks every file in order: signatures, hashes, sequence numbers and links, and says what
   * happened to each bad record: `edited` (fails its signature where a record of that number is
   * missing), `inserted` (fails its signature while the chain closes around it, or repeats a record
   * already seen), `deleted` (numbers missing from the sequence), `reordered` (authentic records
   * out of sequence order, or not linked to their predecessor), `malformed` (not JSON), `truncated`
   * (the log ends before the record its signed head names, the head is missing or forged, or an
   * appender found and recorded such a cut earlier).
   */
  async verify(): Promise<AuditVerification> {
    await this.queue;
    const problems: AuditProblem[] = [];
    interface Entry {
      readonly file: string;
      readonly line: number;
      readonly r: AuditRecord;
      readonly authentic: boolean;
    }
    const entries: Entry[] = [];
    for (const file of await this.files()) {
      const lines = (await fs.readFile(path.join(this.options.dir, file), "utf8")).split("\n");
      // split leaves "" after a final newline: a non-empty last piece is an append cut mid-line
      const tornAt = file === CURRENT && lines[lines.length - 1] ? lines.length - 1 : -1;
      for (let i = 0; i < lines.length; i++) {
        const raw = lines[i];
        if (!raw) continue;
        const line = i + 1;
        let r: AuditRecord;
        try {
          r = JSON.parse(raw) as AuditRecord;
          if (r === null || typeof r !== "object" || Array.isArray(r)) throw new Error("not an object");
        } catch {
          const what = i === tornAt ? "a torn append (no newline; the next append moves it aside)" : "not a JSON record";
          problems.push({ kind: "malformed", file, line, seq: undefined, message: `line ${line} of ${file} is ${what}` });
          continue;
        }
        const { hash, mac, ...body } = r;
        const authentic = typeof hash === "string" && hash === hashOf(body) && typeof mac === "string" && this.macMatches(hash, mac) && Number.isSafeInteger(r.seq);
        entries.push({ file, line, r, authentic });
      }
    }
    const at = (e: Entry): string => `${e.file}:${e.line}`;
    // authentic records, first occurrence of each; later copies are replays
    const bySeq = new Map<number, Entry>();
    const seenHash = new Set<string>();
    const chain: Entry[] = [];
    // Linear in the log, whatever the damage: the nearest authentic entry before and after each
    // entry come from one sweep each way, the numbers authentic records hold from one set.
    const prevAuthentic = new Array<Entry | undefined>(entries.length);
    const nextAuthentic = new Array<Entry | undefined>(entries.length);
    for (let i = 0, seen: Entry | undefined; i < entries.length; i++) {
      prevAuthentic[i] = seen;
      if (entries[i]?.authentic) seen = entries[i];
    }
    for (let i = entries.length - 1, seen: Entry | undefined; i >= 0; i--) {
      nextAuthentic[i] = seen;
      if (entries[i]?.authentic) seen = entries[i];
    }
    const authenticSeqs = new Set(entries.filter((x) => x.authentic).map((x) => x.r.seq));
    entries.forEach((e, i) => {
      if (!e.authentic) {
        const prevAuth = prevAuthentic[i];
        const nextAuth = nextAuthentic[i];
        const closes = nextAuth !== undefined && nextAuth.r.prev === (prevAuth ? prevAuth.r.hash : GENESIS);
        const twin = authenticSeqs.has(e.r.seq);
        const kind: AuditProblemKind = twin || closes ? "inserted" : "edited";
        const seq = Number.isSafeInteger(e.r.seq) ? e.r.seq : undefined;
        problems.push({ kind, file: e.file, line: e.line, seq, message: `record ${seq ?? "?"} (${at(e)}) fails its signature: ${kind}` });
        return;
      }
      if (seenHash.has(e.r.hash) || bySeq.has(e.r.seq)) {
        problems.push({ kind: "inserted", file: e.file, line: e.line, seq: e.r.seq, message: `record ${e.r.seq} (${at(e)}) repeats a record already in the log: inserted` });
        return;
      }
      seenHash.add(e.r.hash);
      bySeq.set(e.r.seq, e);
      chain.push(e);
    });
    // numbers missing from the sequence (edited records still hold their place)
    const present = new Set<number>([...bySeq.keys()]);
    for (const p of problems) if (p.kind === "edited" && p.seq !== undefined) present.add(p.seq);
    let max = 0;
    for (const n of present) if (n > max) max = n; // (not Math.max(...): a million arguments overflow the stack)
    const bySeqOrder = [...chain].sort((x, y) => x.r.seq - y.r.seq);
    // gaps between the numbers present, in order (not every number up to the largest: an edited
    // record may claim any number)
    let next = 1;
    for (const seq of [...present].filter((x) => x >= 1).sort((x, y) => x - y)) {
      if (seq > next) {
        const n = next;
        const m = seq - 1;
        const after = bySeqOrder[lowerBound(bySeqOrder.length, (k) => (bySeqOrder[k]?.r.seq ?? 0) <= m)];
        problems.push({
          kind: "deleted",
          file: after?.file ?? "",
          line: after?.line ?? 0,
          seq: n,
          message: m === n ? `record ${n} is missing${after ? ` before ${at(after)}` : ""}` : `records ${n}..${m} are missing${after ? ` before ${at(after)}` : ""}`,
        });
      }
      next = Math.max(next, seq + 1);
    }
    // authentic records out of order: those outside the longest run in increasing sequence order
    const inOrder = longestIncreasing(chain.map((e) => e.r.seq));
    chain.forEach((e, i) => {
      if (!inOrder.has(i)) problems.push({ kind: "reordered", file: e.file, line: e.line, seq: e.r.seq, message: `record ${e.r.seq} (${at(e)}) is out of sequence order` });
    });
    // links: each record names the hash of the record numbered just before it
    for (const e of chain) {
      const before = e.r.seq === 1 ? GENESIS : bySeq.get(e.r.seq - 1)?.r.hash;
      if (before !== undefined && e.r.prev !== before)
        problems.push({ kind: "reordered", file: e.file, line: e.line, seq: e.r.seq, message: `record ${e.r.seq} (${at(e)}) does not chain to record ${e.r.seq - 1}` });
    }
    // the tail, against the signed head checkpoint
    const headRead = await this.head.read();
    const cut = (seq: number | undefined, message: string, e?: Entry): void => {
      problems.push({ kind: "truncated", file: e?.file ?? "audit.head", line: e?.line ?? 0, seq, message });
    };
    if (headRead.state === "present") {
      const { head } = headRead;
      const named = bySeq.get(head.seq);
      if (head.seq > max) cut(head.seq, `the signed head names record ${head.seq} (${head.ts}) but the log ends at record ${max}: records ${max + 1}..${head.seq} were cut from the tail`);
      else if (named && named.r.hash !== head.hash) cut(head.seq, `record ${head.seq} (${at(named)}) is not the record the signed head names: the tail was cut and rewritten`);
    } else if (entries.some((e) => e.authentic && e.r.v === VERSION)) {
      cut(undefined, headRead.state === "missing" ? "the signed head checkpoint 'audit.head' is missing: the tail may have been cut" : "the head checkpoint 'audit.head' fails its signature: the tail may have been cut");
    }
    for (const e of chain.filter((x) => x.r.action === TAMPER)) {
      const d = e.r.details ?? {};
      const why = d["kind"] === "truncated" ? `the log ended at record ${String(d["last"])} while its signed head named record ${String(d["head"])}` : `the signed head checkpoint was ${d["kind"] === "head-missing" ? "missing" : "forged"} after record ${String(d["last"])}`;
      cut(e.r.seq, `record ${e.r.seq} (${at(e)}) notes that when it was written ${why}: the tail had been cut`, e);
    }
    const recovered: AuditRecovery[] = chain
      .filter((x) => x.r.action === RECOVERED)
      .map((e) => {
        const d = e.r.details ?? {};
        const quarantine = String(d["quarantine"]);
        return { seq: e.r.seq, file: e.file, line: e.line, quarantine, message: `record ${e.r.seq} (${at(e)}) notes a torn append of ${String(d["bytes"])} bytes after record ${String(d["after"])}, moved to '${quarantine}'` };
      });
    const order = new Map(entries.map((e, i) => [at(e), i]));
    problems.sort((x, y) => (order.get(`${x.file}:${x.line}`) ?? -1) - (order.get(`${y.file}:${y.line}`) ?? -1) || (x.seq ?? 0) - (y.seq ?? 0));
    let lastSeq = 0;
    for (const n of bySeq.keys()) if (n > lastSeq) lastSeq = n;
    const last = bySeq.get(lastSeq);
    return {
      ok: problems.length === 0,
      records: entries.length,
      problems,
      head: last?.r.hash ?? GENESIS,
      truncated: problems.some((p) => p.kind === "truncated"),
      checkpoint: headRead.state === "present" ? headRead.head : undefined,
      recovered,
    };
  }

  private macMatches(hash: string, mac: string): boolean {
    const expected = Buffer.from(this.mac(hash), "hex");
    const given = Buffer.from(mac, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Waits for the records still being appended, then forgets the key. Idempotent. */
  dispose(): Promise<void> {
    this.disposed ??= this.queue.then(() => this.key.dispose());
    return this.disposed;
  }
}

/** Indexes of one longest strictly increasing subsequence (patience sorting, O(n log n)). */
function longestIncreasing(xs: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev = new Array<number>(xs.length).fill(-1);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] ?? 0;
    const lo = lowerBound(tails.length, (k) => (xs[tails[k] ?? 0] ?? 0) < x);
    prev[i] = lo > 0 ? (tails[lo - 1] ?? -1) : -1;
    tails[lo] = i;
  }
  const out = new Set<number>();
  for (let k = tails[tails.length - 1] ?? -1; k >= 0; k = prev[k] ?? -1) out.add(k);
  return out;
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
