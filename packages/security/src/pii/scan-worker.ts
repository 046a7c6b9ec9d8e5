// The worker-thread side of PiiScanPool (built as dist/scan-worker.js): scans one text per message and answers with
// its findings (offsets and types only; the text never leaves this thread in a reply).
import { parentPort } from "node:worker_threads";
import { BearError } from "@bear/core";
import { PiiScanner, type PiiScannerOptions } from "./pii-scanner";
import type { PiiFinding } from "./pii-types";

export interface ScanRequest {
  readonly id: number;
  readonly text: string;
}
export type ScanReply =
  | { readonly id: number; readonly ok: true; readonly findings: readonly PiiFinding[] }
  | { readonly id: number; readonly ok: false; readonly error: { readonly code?: string; readonly message: string } };

let scanner: PiiScanner | undefined;

parentPort?.on("message", (message: { readonly options: PiiScannerOptions } | ScanRequest) => {
  if ("options" in message) {
    scanner = new PiiScanner(message.options);
    return;
  }
  let reply: ScanReply;
  try {
    reply = { id: message.id, ok: true, findings: (scanner ??= new PiiScanner()).scan(message.text) };
  } catch (error) {
    reply = BearError.isInstance(error)
      ? { id: message.id, ok: false, error: { code: error.code, message: error.message } }
      : { id: message.id, ok: false, error: { message: String((error as { message?: unknown }).message ?? error) } };
  }
  parentPort?.postMessage(reply);
});
