// Extraction runs in a PDF reader process (pdf-process/pdf-process-pool.ts): under an address-space
// cap and a deadline, so a hostile file (a zip or flate bomb, a parser blow-up) fails that file with
// RAG_FILE_TOO_LARGE while the batch and the server go on. Plain text and Markdown are read in the
// calling thread: decoding them runs no parser a file could blow up, its cost is linear in a size
// already capped by maxBytes, and a round trip costs more than the read itself (cuad_train, 405 .txt
// files: 0.12 s CPU in-process, 0.26 s through a warm worker thread, 1.09 s through a new one).
import { ExtractionError } from "../errors";
import { extractDocument, type ExtractedDocument, type ExtractOptions } from "./extract-document";
import { pdfProcessPool, type JobFailures, type PdfProcessOptions } from "./pdf-process/pdf-process-pool";
import { sniffFormat } from "./sniff-format";

export interface IsolationOptions extends PdfProcessOptions {
  /** CPU time one file may take in its reader (a wall backstop at 30x, at most 10 min past it; see wallBackstopMs). Default 120 s. */
  readonly timeoutMs?: number;
  /** Stops the extraction: a queued file is dropped, a file being read ends its reader process (the next file gets a new one). */
  readonly signal?: AbortSignal;
}

export const DEFAULT_EXTRACTION_TIMEOUT_MS = 120_000;

function tooLarge(file: string, what: string, details: Record<string, unknown>): ExtractionError {
  return new ExtractionError("RAG_FILE_TOO_LARGE", file, `file '${file}' ${what}; it was skipped`, {
    hint: "The file is hostile (a zip, flate or image bomb) or too large to extract; split it if it is genuine.",
    details,
  });
}

/** How an extraction fails when its reader runs out of memory or time. */
export function extractionFailures(file: string): JobFailures {
  return {
    outOfMemory: (memoryMb) => tooLarge(file, `needed more than ${memoryMb} MB to extract`, { memoryMb }),
    timedOut: (limitMs, clock) => tooLarge(file, clock === "cpu" ? `used more than ${limitMs} ms of CPU to extract` : clock === "stalled" ? `stalled while being extracted (its reader used almost no CPU for ${limitMs} ms)` : `took longer than ${limitMs} ms to extract`, { timeoutMs: limitMs, clock }),
    crashed: (reason) => new ExtractionError("RAG_FILE_CORRUPT", file, `the extractor stopped on file '${file}' (${reason})`, { hint: "The file is damaged or hostile; re-export it from its source." }),
  };
}

/** True for UTF-8 plain text and Markdown (by content, as extractDocument tells formats): read without a reader process. */
function plainText(bytes: Uint8Array): boolean {
  const kind = sniffFormat(bytes);
  return kind === "text" || kind === "markdown";
}

/**
 * Extracts one file in a PDF reader process (see extractDocument for formats and errors); UTF-8
 * plain text and Markdown, and every file when running from TypeScript sources without a built
 * reader, are extracted in the calling thread (the same function, the same result).
 */
export function extractDocumentIsolated(file: string, bytes: Uint8Array, options: ExtractOptions & IsolationOptions = {}): Promise<ExtractedDocument> {
  const { memoryMb, processes, addressSpaceLimit, childUrl, stall, timeoutMs = DEFAULT_EXTRACTION_TIMEOUT_MS, signal, ...extractOptions } = options;
  const pool = plainText(bytes)
    ? undefined
    : pdfProcessPool({ ...(childUrl ? { childUrl } : {}), ...(memoryMb !== undefined ? { memoryMb } : {}), ...(processes !== undefined ? { processes } : {}), ...(addressSpaceLimit !== undefined ? { addressSpaceLimit } : {}), ...(stall ? { stall } : {}) });
  if (pool === undefined) return signal?.aborted ? Promise.reject(signal.reason as Error) : extractDocument(file, bytes, extractOptions);
  return pool.run("extract", { file, bytes, options: extractOptions }, { timeoutMs, failures: extractionFailures(file), ...(signal ? { signal } : {}) });
}
