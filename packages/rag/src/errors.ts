import { BearError, type BearErrorOptions } from "@bear/core";

/** Stable, machine-readable codes of every error @bear/rag throws on purpose. */
export type RagErrorCode =
  | "RAG_UNSUPPORTED_FORMAT"
  | "RAG_FILE_EMPTY"
  | "RAG_FILE_TOO_LARGE"
  | "RAG_FILE_ENCRYPTED"
  | "RAG_FILE_CORRUPT"
  | "RAG_FILE_UNREADABLE"
  | "RAG_MODEL_INVALID"
  | "RAG_EMBEDDER_MISMATCH"
  | "RAG_INDEX_KEY_MISMATCH"
  | "RAG_INDEX_FORMAT_UNKNOWN"
  | "RAG_NO_EMBEDDER"
  | "RAG_MATTER_DENIED"
  | "RAG_STORE_FAILED"
  | "RAG_INDEX_BUSY"
  | "RAG_DOCUMENT_NOT_FOUND"
  | "RAG_OCR_LANGUAGE_MISSING"
  | "RAG_OCR_ENGINE_UNAVAILABLE"
  | "RAG_OCR_TIMEOUT"
  | "RAG_OCR_PAGE_FAILED"
  | "RAG_OCR_PAGE_TOO_LARGE"
  | "RAG_PAGE_NOT_FOUND"
  | "RAG_SOURCE_CHANGED"
  /** A document deleted while an ingest was writing a new version of it (that version is not committed). */
  | "RAG_DOCUMENT_DELETED"
  /** A document prepared elsewhere (a cluster worker) is not the one asked for. */
  | "RAG_PREPARED_INVALID";

/** Base class of every @bear/rag error. */
export class RagError extends BearError<RagErrorCode> {}

/** A file could not be turned into text; the ingest report carries one per failed file. */
export class ExtractionError extends RagError {
  constructor(
    code: Extract<
      RagErrorCode,
      "RAG_UNSUPPORTED_FORMAT" | "RAG_FILE_EMPTY" | "RAG_FILE_TOO_LARGE" | "RAG_FILE_ENCRYPTED" | "RAG_FILE_CORRUPT" | "RAG_FILE_UNREADABLE"
    >,
    readonly file: string,
    message: string,
    options: BearErrorOptions = {},
  ) {
    super(code, message, { ...options, details: { file, ...options.details } });
  }
}

/** OCR could not run, or one page could not be read (the document keeps its other pages). */
export class OcrError extends RagError {
  constructor(
    code: Extract<RagErrorCode, "RAG_OCR_LANGUAGE_MISSING" | "RAG_OCR_ENGINE_UNAVAILABLE" | "RAG_OCR_TIMEOUT" | "RAG_OCR_PAGE_FAILED" | "RAG_OCR_PAGE_TOO_LARGE">,
    message: string,
    options: BearErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

/** A model directory or file that cannot be used as an embedder. */
export class ModelError extends RagError {
  constructor(message: string, options: BearErrorOptions = {}) {
    super("RAG_MODEL_INVALID", message, {
      hint: "Point at a folder holding a BERT-style sentence-embedding model.onnx with its tokenizer.json or vocab.txt.",
      ...options,
    });
  }
}

/** The index was built with another embedder (vectors of another model or size). */
export class EmbedderMismatchError extends RagError {
  constructor(indexDir: string, indexed: string, given: string) {
    super("RAG_EMBEDDER_MISMATCH", `index '${indexDir}' was built with embedder '${indexed}', not '${given}'`, {
      hint: "Open the index with the embedder it was built with, or build a new index in another folder.",
      details: { indexDir, indexed, given },
    });
  }
}

/** The index was written in a newer on-disk format than this version reads. */
export class IndexFormatError extends RagError {
  constructor(indexDir: string, format: unknown, known: number) {
    super("RAG_INDEX_FORMAT_UNKNOWN", `index '${indexDir}' is in format ${String(format)}; this version reads formats up to ${known}`, {
      hint: "Open it with the BEAR version that wrote it (or a newer one), or ingest the documents into a new folder.",
      details: { indexDir, format, known },
    });
  }
}

/** The index is encrypted under another key, or opened with/without a key it was not built with. */
export class IndexKeyMismatchError extends RagError {
  constructor(indexDir: string, indexed: string | null, given: string | null) {
    const what = (id: string | null): string => (id === null ? "no encryption" : `key ${id}`);
    super("RAG_INDEX_KEY_MISMATCH", `index '${indexDir}' was built with ${what(indexed)}, and was opened with ${what(given)}`, {
      hint:
        indexed === null
          ? "This index stores plain text. Open it without a cipher, or ingest into a new folder to get an encrypted index."
          : "Open the index with the workspace key (passphrase or key file) it was encrypted with.",
      details: { indexDir, indexed, given },
    });
  }
}

/** Vector search was asked of an index that has no embedder. */
export class NoEmbedderError extends RagError {
  constructor(mode: string) {
    super("RAG_NO_EMBEDDER", `search mode '${mode}' needs an embedder, and this index is lexical-only`, {
      hint: "Use mode 'lexical', or open the index with an embedder (e.g. OnnxEmbedder.load({ modelDir })).",
      details: { mode },
    });
  }
}

/** The caller asked for a matter outside the matters it may see. */
export class MatterAccessDeniedError extends RagError {
  constructor(matter: string) {
    super("RAG_MATTER_DENIED", `matter '${matter}' is not among the matters this caller may see`, {
      hint: "Ask only for matters listed in allowedMatters.",
      details: { matter },
    });
  }
}

/** LanceDB refused an operation. */
export class StoreError extends RagError {
  constructor(operation: string, indexDir: string, cause: unknown) {
    super("RAG_STORE_FAILED", `index '${indexDir}': ${operation} failed`, {
      hint: "Check that the folder is writable and not used by another process; the original error is in `cause`.",
      cause,
      details: { operation, indexDir },
    });
  }
}

/** Another process kept writing to the index for longer than `lockWaitMs`. */
export class IndexBusyError extends RagError {
  constructor(indexDir: string, holder: number | undefined, waitedMs: number, cause: unknown) {
    const by = holder === undefined ? "another process" : `process ${holder}`;
    super("RAG_INDEX_BUSY", `index '${indexDir}' is being written by ${by}; gave up after ${Math.round(waitedMs / 1000)} s`, {
      hint: "Wait for the other ingest (a `bear ingest`, or an upload to a running `bear serve`) to finish, then retry; or raise rag.lockWaitMs.",
      cause,
      details: { indexDir, ...(holder === undefined ? {} : { holder }), waitedMs },
    });
  }
}

export class DocumentNotFoundError extends RagError {
  constructor(documentId: string) {
    super("RAG_DOCUMENT_NOT_FOUND", `document '${documentId}' is not in the index`, {
      hint: "List documents with rag.documents() to find an id.",
      details: { documentId },
    });
  }
}

/** A `--doc` style reference (an id or a name) that matches no visible document. */
export class DocumentReferenceError extends RagError {
  constructor(reference: string) {
    super("RAG_DOCUMENT_NOT_FOUND", `no document matches '${reference}' (by id, title, party or file name)`, {
      hint: "List documents with `bear documents` or rag.documents(), then pass an id or more words of the name.",
      details: { reference },
    });
  }
}
