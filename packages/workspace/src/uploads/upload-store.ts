import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { assertMatterId, BearError, confinePath, isPathInside, isProcessAlive, processScope, processStartOf } from "@bear/core";
import type { DocumentRecord, FormatNote, RagEngine } from "@bear/rag";
import { assertAuditableId, isSealedFile, type EnvelopeCipher } from "@bear/security";
import { BearWorkspaceError } from "../errors";
import { KeyedMutex } from "./keyed-mutex";

/** What one upload did. */
export interface UploadOutcome {
  readonly status: "added" | "updated" | "unchanged";
  readonly chunks: number;
  readonly document: DocumentRecord;
  /** Set when the content is not what the name's extension says: it was read by its content. */
  readonly formatNote?: FormatNote;
  /** Set when the upload replaced a document of the same name with other content: the version it replaced. */
  readonly replaced?: ReplacedVersion;
}

/** The version of a document an upload replaced (named in the `document.replace` audit record). */
export interface ReplacedVersion {
  readonly documentId: string;
  readonly contentHash: string;
  readonly ingestedAt: string;
}

export interface UploadRequest {
  readonly matter: string;
  /** The client's file name: used as is or refused (never silently rewritten). */
  readonly fileName: string;
  readonly body: Readable;
  /** Who uploaded (for the audit trail). */
  readonly actor: string;
  /** True when the body was cut at the size limit (e.g. multipart's `truncated`). */
  readonly truncated?: () => boolean;
  /**
   * Replace a document of the same name that holds other content. A replace deletes the earlier version, so the
   * caller must hold `document.delete` on the matter; without it such an upload is refused (DOCUMENT_EXISTS) and
   * the stored document is left as it was. The same content again is never a replace ("unchanged").
   */
  readonly replace?: boolean;
}

/** An upload the index would not take (empty, unsupported, too large…): the ingest error's own code. */
export class UploadRejectedError extends BearError<string> {}

/** What `recover()` did with what uploads a stopped process left. */
export interface UploadRecovery {
  /** Clear originals the index had committed: now sealed. */
  readonly sealed: number;
  /** Replaced originals put back because the new one was never indexed. */
  readonly restored: number;
  /** Clear files of uploads that were never indexed (and temporary bodies): removed. */
  readonly removed: number;
  /** Clear files in the uploads folder that no upload journal names and the index does not hold: kept, for the user to decide. */
  readonly unknown: number;
}

/**
 * Uploaded originals: `uploads/<matter>/<file>`. A body is streamed to a private temporary file,
 * renamed into place, ingested, and put back as it was if ingesting fails; in an encrypted
 * workspace the stored original is then sealed under the document's own data key (destroyed when
 * the document is deleted). Each upload leaves a journal (`tmp/upload-<id>.target`) until it ends,
 * so that after a crash `recover()` seals what the index committed and undoes what it did not:
 * no original stays in clear in an encrypted workspace, and none is lost.
 */
export class UploadStore {
  readonly #oneFileAtATime = new KeyedMutex();

  constructor(
    private readonly dir: string,
    private readonly tmpDir: string,
    private readonly maxBytes: number,
    /** The cipher that seals a document's stored original (encrypted workspaces), by document id. */
    private readonly sealerFor: ((documentId: string) => EnvelopeCipher) | undefined,
    /** The workspace-wide cipher uploads were sealed with before documents had keys of their own. */
    private readonly legacySealer: EnvelopeCipher | undefined = undefined,
  ) {}

  async store(rag: RagEngine, request: UploadRequest): Promise<UploadOutcome> {
    const { matter, fileName } = request;
    // It names the upload's folder, which must not be an existing matter's but for letter case (one folder on macOS and Windows).
    const known = this.#knownMatters(rag);
    assertMatterId(matter, "the upload's matter", known);
    // A new matter's id is recorded as it is in every audit record of the matter: refuse one the log's screen would refuse as text.
    if (!known.has(matter)) assertAuditableId("matter id", matter);
    assertPlainFileName(fileName);
    const target = confinePath(this.dir, path.join(matter, fileName));
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    const tmp = path.join(this.tmpDir, `upload-${randomUUID()}`);
    let release: (() => void) | undefined;
    try {
      // Written before anything: a crash from here on is finished by recover(), which the journal's owner tells apart from a live upload.
      fs.writeFileSync(`${tmp}${JOURNAL}`, JSON.stringify({ target: path.relative(this.dir, target), owner: THIS_PROCESS }), { mode: 0o600 });
      await pipeline(request.body, fs.createWriteStream(tmp, { mode: 0o600 }));
      if (request.truncated?.()) {
        throw new BearWorkspaceError("UPLOAD_TOO_LARGE", `file '${fileName}' exceeds the upload limit of ${Math.round(this.maxBytes / 1024 / 1024)} MB`);
      }
      release = await this.#oneFileAtATime.acquire(target); // two uploads of one name replace it one after the other
      const replaced = fs.existsSync(target) ? await this.#replacedBy(rag, target, tmp, request) : undefined;
      // The file it replaces is set aside until the new one is indexed, and put back if that fails.
      const previous = fs.existsSync(target) ? `${tmp}.previous` : undefined;
      if (previous) fs.renameSync(target, previous);
      fs.renameSync(tmp, target);
      const restore = (): void => {
        if (previous) fs.renameSync(previous, target);
        else fs.rmSync(target, { force: true });
      };
      let outcome;
      try {
        outcome = (await rag.ingest([target], { matter, actor: request.actor })).files[0];
      } catch (error) {
        restore(); // e.g. RAG_INDEX_BUSY: the upload folder stays as the index knows it
        throw error;
      }
      if (!outcome || outcome.status === "failed" || !outcome.documentId) {
        restore();
        throw new UploadRejectedError(outcome?.error?.code ?? "INGEST_FAILED", outcome?.error?.message ? outcome.error.message.replace(target, fileName) : `file '${fileName}' could not be ingested`, {
          ...(outcome?.error?.hint ? { hint: outcome.error.hint } : {}),
          details: { fileName },
        });
      }
      if (previous) fs.rmSync(previous, { force: true });
      // The index has the text; the original stays only sealed (AES-256-GCM under the document's data key).
      if (this.sealerFor) await this.sealerFor(outcome.documentId).encryptFile(target, target);
      const document = rag.documents().find((d) => d.id === outcome.documentId);
      if (!document) throw new UploadRejectedError("RAG_DOCUMENT_NOT_FOUND", `document '${outcome.documentId}' was not found after ingest`);
      return {
        status: outcome.status,
        chunks: outcome.chunks ?? document.chunkCount,
        document,
        ...(outcome.formatNote ? { formatNote: outcome.formatNote } : {}),
        ...(replaced && outcome.status === "updated" ? { replaced } : {}),
      };
    } finally {
      fs.rmSync(tmp, { force: true });
      fs.rmSync(`${tmp}.previous`, { force: true });
      fs.rmSync(`${tmp}${JOURNAL}`, { force: true });
      release?.();
    }
  }

  /**
   * What an upload over an existing original replaces: nothing when the body is the indexed content again; the indexed
   * version when `replace` was asked; refused (DOCUMENT_EXISTS) otherwise, before anything is moved.
   */
  async #replacedBy(rag: RagEngine, target: string, body: string, request: UploadRequest): Promise<ReplacedVersion | undefined> {
    const real = fs.realpathSync(target);
    const indexed = rag.documents().find((d) => d.source === target || d.source === real);
    if (indexed && indexed.contentHash === (await sha256File(body))) return undefined;
    if (!request.replace) {
      throw new BearWorkspaceError("DOCUMENT_EXISTS", `matter '${request.matter}' already holds a document named '${request.fileName}' with other content`, {
        hint: "Upload it under another name, or replace the document with replace=true (it deletes the earlier version: needs document.delete on the matter).",
        details: { fileName: request.fileName, ...(indexed ? { documentId: indexed.id } : {}) },
      });
    }
    return indexed ? { documentId: indexed.id, contentHash: indexed.contentHash, ingestedAt: indexed.ingestedAt } : undefined;
  }

  /** The matters the workspace has: those of indexed documents and those with an uploads folder. */
  #knownMatters(rag: RagEngine): Set<string> {
    const known = new Set(rag.documents().map((d) => d.matter));
    try {
      for (const entry of fs.readdirSync(this.dir, { withFileTypes: true })) if (entry.isDirectory()) known.add(entry.name);
    } catch {
      // no upload yet: no folder
    }
    return known;
  }

  /**
   * Whether a stopped process may have left an upload unfinished (encrypted workspaces only: a clear
   * workspace keeps originals in clear anyway): a journal or body in tmp of a process that is gone.
   * O(1) in the number of uploads: tmp's listing (only uploads in flight leave files there) and one
   * `stat` of the sweep marker. Every upload journals before it places anything, so a clear original
   * no journal names can only be an older release's (from before journals): the uploads folder is
   * swept for those once per workspace (the first open that finds no marker reads the first bytes of
   * each original), then the marker says it was done.
   */
  needsRecovery(): boolean {
    if (!this.sealerFor) return false;
    const { stopped, orphans, busy } = this.#survey();
    if (stopped.length > 0 || orphans.length > 0) return true;
    if (this.#swept()) return false;
    if (this.clearOriginals(busy).length > 0) return true;
    this.#markSwept();
    return false;
  }

  /**
   * Finishes what uploads a stopped process left, in an encrypted workspace: an original the index
   * committed (same content hash) is sealed; one it did not commit is removed, and the original it
   * was replacing put back. Uploads of live processes (a server beside this command), and of other
   * machines sharing the folder, are left alone.
   */
  async recover(rag: RagEngine): Promise<UploadRecovery> {
    const counts = { sealed: 0, restored: 0, removed: 0, unknown: 0 };
    if (!this.sealerFor) return counts;
    const sealerFor = this.sealerFor;
    await rag.refresh();
    const documents = rag.documents();
    /** Seals a clear original the index committed; true when it did. */
    const sealIfIndexed = async (file: string): Promise<boolean> => {
      const hash = createHash("sha256").update(fs.readFileSync(file)).digest("hex");
      const document = documents.find((d) => d.source === file && d.contentHash === hash);
      if (!document) return false;
      await sealerFor(document.id).encryptFile(file, file);
      counts.sealed++;
      return true;
    };
    const { stopped, orphans, busy } = this.#survey();
    for (const { stem, target } of stopped) {
      const previous = `${stem}.previous`;
      if (target !== undefined) {
        const hasTarget = fs.existsSync(target);
        const committed = hasTarget && (isSealedFile(target) || (await sealIfIndexed(target)));
        if (!committed && fs.existsSync(previous)) {
          fs.renameSync(previous, target);
          counts.restored++;
        } else if (!committed && hasTarget) {
          fs.rmSync(target, { force: true });
          counts.removed++;
        }
      }
      for (const file of [stem, previous, `${stem}${JOURNAL}`]) fs.rmSync(file, { force: true });
    }
    for (const orphan of orphans) {
      fs.rmSync(orphan, { force: true }); // a body or set-aside file with no journal: an older release's, never placed
      counts.removed++;
    }
    // Clear originals no journal names (left by a release before journals): sealed when indexed; any other is kept and
    // counted (and `bear doctor` lists them). Once per workspace: uploads since are journaled.
    if (!this.#swept()) {
      for (const file of this.clearOriginals(busy)) if (!(await sealIfIndexed(file))) counts.unknown++;
      this.#markSwept();
    }
    return counts;
  }

  /** Whether the once-per-workspace sweep for clear originals an older release left has been done. */
  #swept(): boolean {
    return fs.existsSync(path.join(this.dir, SWEPT_MARKER));
  }

  #markSwept(): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(this.dir, SWEPT_MARKER), "clear originals from before upload journals: swept\n", { mode: 0o600 });
  }

  /**
   * What tmp holds of uploads, read once: journals of stopped processes (each upload's stem
   * `tmp/upload-<id>` and the original it places), files no journal owns (bodies of an older
   * release), and the originals live uploads are placing right now.
   */
  #survey(): { stopped: Array<{ stem: string; target: string | undefined }>; orphans: string[]; busy: Set<string> } {
    const entries = this.#tmpEntries();
    const stopped: Array<{ stem: string; target: string | undefined }> = [];
    const stems = new Set<string>();
    const busy = new Set<string>();
    for (const journal of entries.filter((f) => f.endsWith(JOURNAL))) {
      const { target, owner } = this.#readJournal(journal);
      const stem = journal.slice(0, -JOURNAL.length);
      stems.add(stem);
      if (!ownerRuns(owner)) stopped.push({ stem, target });
      else if (target !== undefined) busy.add(target);
    }
    const orphans = entries.filter((f) => !f.endsWith(JOURNAL) && !stems.has(f.replace(/\.previous$/, "")));
    return { stopped, orphans, busy };
  }

  /** Temporary upload files in tmp (bodies, set-aside originals, journals), as absolute paths. */
  #tmpEntries(): string[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.tmpDir);
    } catch {
      return [];
    }
    return names.filter((n) => n.startsWith("upload-")).map((n) => path.join(this.tmpDir, n));
  }

  /**
   * Originals under uploads/ that are not sealed, but for those in `busy` (live uploads'): reads the
   * first bytes of every upload, for the one-time sweep and `bear doctor`, never on a plain open.
   */
  clearOriginals(busy: ReadonlySet<string> = this.#survey().busy): string[] {
    const clear: string[] = [];
    let matters: fs.Dirent[];
    try {
      matters = fs.readdirSync(this.dir, { withFileTypes: true });
    } catch {
      return [];
    }
    for (const matter of matters) {
      if (!matter.isDirectory()) continue;
      for (const entry of fs.readdirSync(path.join(this.dir, matter.name), { withFileTypes: true })) {
        const file = path.join(this.dir, matter.name, entry.name);
        if (entry.isFile() && !busy.has(file) && !isSealedFile(file)) clear.push(file);
      }
    }
    return clear;
  }

  /** The original a journal names (confined to the uploads folder; undefined for a damaged journal) and the process that wrote it. */
  #readJournal(journal: string): { target: string | undefined; owner: unknown } {
    try {
      const { target, owner } = JSON.parse(fs.readFileSync(journal, "utf8")) as { target?: unknown; owner?: unknown };
      return { target: typeof target === "string" ? confinePath(this.dir, target) : undefined, owner };
    } catch {
      return { target: undefined, owner: undefined };
    }
  }

  /**
   * Reads an original back for display: an upload of an encrypted workspace is unsealed in memory
   * (never written out); any other file is read as it is.
   */
  async readOriginal(file: string, documentId: string): Promise<Uint8Array> {
    const bytes = await fs.promises.readFile(file);
    if (!this.sealerFor || !isPathInside(this.dir, file)) return bytes;
    try {
      return this.sealerFor(documentId).decrypt(bytes, path.basename(file));
    } catch (error) {
      if (!this.legacySealer) throw error;
      return this.legacySealer.decrypt(bytes, path.basename(file)); // sealed before per-document keys
    }
  }

  /** Removes the stored original of a document, if it is an upload. */
  remove(document: DocumentRecord): void {
    if (isPathInside(this.dir, document.source)) fs.rmSync(document.source, { force: true });
  }
}

/**
 * In the uploads folder (no matter id starts with '.'): the sweep for clear originals without a journal
 * (an older release's) was done; uploads since journal themselves.
 */
const SWEPT_MARKER = ".swept-v1";

/** Suffix of an upload's journal in tmp: the original it is placing, relative to the uploads folder. */
const JOURNAL = ".target";

/** Who writes an upload's journal: this machine, this process, and (on Linux) where its pid means it and since when. */
interface UploadOwner {
  readonly host: string;
  readonly pid: number;
  /** Random per process: the same pid in a later process (a restarted container's) is not this one. */
  readonly run: string;
  readonly scope?: string;
  readonly start?: string;
}

const THIS_PROCESS: UploadOwner = {
  host: os.hostname(),
  pid: process.pid,
  run: randomUUID(),
  ...(processScope === undefined ? {} : { scope: processScope }),
  ...(processStartOf(process.pid) === undefined ? {} : { start: processStartOf(process.pid)! }),
};

/**
 * Whether the process that wrote a journal may still be placing its upload. Another machine's
 * (a folder shared by cluster hosts) is never ours to finish: it counts as running. On this machine
 * a pid is trusted only with the same boot and pid namespace and the same start time, so neither a
 * reboot, a restarted container nor a recycled pid keeps a stopped upload "live"; where /proc does
 * not show the pid (off Linux, or hidden by hidepid) whether the pid answers decides. A journal that names no owner is an older release's: stopped.
 */
function ownerRuns(owner: unknown): boolean {
  if (typeof owner !== "object" || owner === null) return false;
  const o = owner as Partial<UploadOwner>;
  if (typeof o.host !== "string" || typeof o.pid !== "number" || typeof o.run !== "string") return false;
  if (o.host !== THIS_PROCESS.host) return true;
  if (o.run === THIS_PROCESS.run) return true;
  if (o.pid === process.pid) return false; // our pid, not our run: an earlier process given the same pid
  if (THIS_PROCESS.scope !== undefined && o.scope !== THIS_PROCESS.scope) return false; // an earlier boot or pid namespace of this machine
  const now = THIS_PROCESS.scope === undefined || o.start === undefined ? undefined : processStartOf(o.pid);
  // No start time to compare (gone, or hidden from us by /proc's hidepid: another user's server): alive if the pid answers.
  return now === undefined ? isProcessAlive(o.pid) : now === o.start;
}

/** SHA-256 of a file's bytes, streamed (the index's content hash of a clear original). */
async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** No path separators, no '..', no leading dot, no control characters, at most 200 characters. */
export function assertPlainFileName(name: string): void {
  // eslint-disable-next-line no-control-regex
  if (!name || name.length > 200 || /[/\\\u0000-\u001f\u007f]/.test(name) || name.startsWith(".")) {
    throw new BearWorkspaceError("INPUT_INVALID", `'${name.slice(0, 80)}' is not a plain file name`, { hint: "Path traversal and hidden files are refused." });
  }
}
