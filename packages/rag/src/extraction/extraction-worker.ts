// The worker-thread side of isolated extraction (built as dist/extraction-worker.js). It extracts
// one file per message and answers with the document or the error's code, message and hint; a file
// that exhausts the worker's memory ends only this thread, never the process that asked.
import { parentPort } from "node:worker_threads";
import { BearError } from "@bear/core";
import { extractDocument, type ExtractOptions } from "./extract-document";

export interface ExtractionRequest {
  readonly id: number;
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly options: ExtractOptions;
}

export type ExtractionReply =
  | { readonly id: number; readonly ok: true; readonly document: Awaited<ReturnType<typeof extractDocument>> }
  | { readonly id: number; readonly ok: false; readonly error: { readonly code?: string; readonly message: string; readonly hint?: string; readonly details?: Record<string, unknown> } };

parentPort?.on("message", (request: ExtractionRequest) => {
  void (async () => {
    let reply: ExtractionReply;
    try {
      reply = { id: request.id, ok: true, document: await extractDocument(request.file, request.bytes, request.options) };
    } catch (error) {
      const e = error as { message?: string };
      reply = BearError.isInstance(error)
        ? { id: request.id, ok: false, error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}), ...(error.details ? { details: { ...error.details } } : {}) } }
        : { id: request.id, ok: false, error: { message: String(e.message ?? error) } };
    }
    parentPort?.postMessage(reply);
  })();
});
