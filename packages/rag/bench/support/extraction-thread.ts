// The peer of bench/pdf-readers.ts: extraction in one worker thread, as @bear/rag ran it before PDF
// reader processes (the same extractDocument, the same message shape).
import { parentPort } from "node:worker_threads";
import { extractDocument } from "../../src/extraction/extract-document";

parentPort?.on("message", (request: { id: number; file: string; bytes: Uint8Array }) => {
  void extractDocument(request.file, request.bytes, {}).then(
    (document) => parentPort?.postMessage({ id: request.id, ok: true, length: document.text.length }),
    (error: unknown) => parentPort?.postMessage({ id: request.id, ok: false, message: String((error as Error).message) }),
  );
});
