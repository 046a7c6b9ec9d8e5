import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { BearError, confinePath, isPathInside } from "@bear/core";
import type { DocumentRecord, FormatNote, RagEngine } from "@bear/rag";
import type { EnvelopeCipher } from "@bear/security";
import { BearWorkspaceError } from "../errors";
import { KeyedMutex } from "./keyed-mutex";

/** A matter id that can name a folder: no path characters. */
export const MATTER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** What one upload did. */
export interface UploadOutcome {
  readonly status: "added" | "updated" | "unchanged";
  readonly chunks: number;
  readonly document: DocumentRecord;
  /** Set when the content is not what the name's extension says: it was read by its content. */
  readonly formatNote?: FormatNote;
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
}

/** An upload the index would not take (empty, unsupported, too large…): the ingest error's own code. */
export class UploadRejectedError extends BearError<string> {}

/**
 * Uploaded originals: `uploads/<matter>/<file>`. A body is streamed to a private temporary file,
 * renamed into place, ingested, and put back as it was if ingesting fails; in an encrypted
 * workspace the stored original is then sealed under the document's own data key (destroyed when
 * the document is deleted).
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
    if (!MATTER_ID.test(matter)) throw new BearWorkspaceError("INPUT_INVALID", `matter '${matter.slice(0, 80)}' is not a matter id (letters, digits, '.', '_', '-')`);
    assertPlainFileName(fileName);
    const target = confinePath(this.dir, path.join(matter, fileName));
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    const tmp = path.join(this.tmpDir, `upload-${randomUUID()}`);
    let release: (() => void) | undefined;
    try {
      await pipeline(request.body, fs.createWriteStream(tmp, { mode: 0o600 }));
      if (request.truncated?.()) {
        throw new BearWorkspaceError("UPLOAD_TOO_LARGE", `file '${fileName}' exceeds the upload limit of ${Math.round(this.maxBytes / 1024 / 1024)} MB`);
      }
      release = await this.#oneFileAtATime.acquire(target); // two uploads of one name replace it one after the other
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
      return { status: outcome.status, chunks: outcome.chunks ?? document.chunkCount, document, ...(outcome.formatNote ? { formatNote: outcome.formatNote } : {}) };
    } finally {
      release?.();
      fs.rmSync(tmp, { force: true });
      fs.rmSync(`${tmp}.previous`, { force: true });
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

/** No path separators, no '..', no leading dot, no control characters, at most 200 characters. */
export function assertPlainFileName(name: string): void {
  // eslint-disable-next-line no-control-regex
  if (!name || name.length > 200 || /[/\\\u0000-\u001f\u007f]/.test(name) || name.startsWith(".")) {
    throw new BearWorkspaceError("INPUT_INVALID", `'${name.slice(0, 80)}' is not a plain file name`, { hint: "Path traversal and hidden files are refused." });
  }
}
