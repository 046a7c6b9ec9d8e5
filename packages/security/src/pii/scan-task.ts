// The PII scan as a worker-thread task: what a worker script registers (serveWorkerTasks) so that a WorkerPool can
// scan off the caller's event loop. The text never leaves the worker in a reply: offsets and types only.
import type { WorkerTask, WorkerTaskHandler } from "@bear/core";
import { PiiScanner, type PiiScannerOptions } from "./pii-scanner";

/** Scanner options that can cross threads: plain data (no recognizer objects, named validators only). */
export type PiiScanTaskOptions = Omit<PiiScannerOptions, "recognizers">;

export interface PiiScanTask extends WorkerTask {
  readonly kind: typeof PII_SCAN_TASK;
  readonly text: string;
  readonly options?: PiiScanTaskOptions;
}

export const PII_SCAN_TASK = "pii.scan";

/** One scanner per distinct options in each worker (building one loads the name model). */
const scanners = new Map<string, PiiScanner>();

function scannerFor(options: PiiScanTaskOptions = {}): PiiScanner {
  const key = JSON.stringify(options);
  let scanner = scanners.get(key);
  if (!scanner) {
    scanner = new PiiScanner(options);
    scanners.set(key, scanner);
  }
  return scanner;
}

/** The handlers a worker script passes to serveWorkerTasks to run PiiScanPool's tasks. */
export const piiScanTaskHandlers: Readonly<Record<string, WorkerTaskHandler>> = {
  [PII_SCAN_TASK]: (task) => {
    const { text, options } = task as unknown as PiiScanTask;
    return scannerFor(options).scan(text);
  },
};
