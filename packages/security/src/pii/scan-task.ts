// The PII scan as a worker-thread task: what a worker script registers (serveWorkerTasks) so that a WorkerPool can
// scan off the caller's event loop. The text never leaves the worker in a reply: offsets and types only.
import { transferred, type TransferredValue, type WorkerTask, type WorkerTaskHandler } from "@bear/core";
import type { OffsetSegment } from "../scrub/offset-map";
import { PiiScrubber } from "../scrub/pii-scrubber";
import { decodeFindingLists, decodeFindings, encodeFindingLists, encodeFindings } from "./findings-codec";
import { collectFindings, finishFindings, PiiScanner, type PiiScannerOptions } from "./pii-scanner";
import { planLanes } from "./scan-lanes";
import type { PiiFinding } from "./pii-types";

/**
 * Scanner options that can cross threads: plain data (no recognizer objects, named validators only; the name model
 * as `true` / `false`, not as an object).
 */
export type PiiScanTaskOptions = Omit<PiiScannerOptions, "recognizers" | "nameModel"> & { readonly nameModel?: boolean };

export interface PiiScanTask extends WorkerTask {
  readonly kind: typeof PII_SCAN_TASK;
  readonly text: string;
  readonly options?: PiiScanTaskOptions;
}

export const PII_SCAN_TASK = "pii.scan";

/** Several short texts scanned one after another on one thread, each on its own (PiiScanPool.scanMany's batches). */
export interface PiiScanBatchTask extends WorkerTask {
  readonly kind: typeof PII_SCAN_BATCH_TASK;
  readonly texts: readonly string[];
  readonly options?: PiiScanTaskOptions;
}

export const PII_SCAN_BATCH_TASK = "pii.scanBatch";

/** Lane `lane` of `lanes` of a long text's scan: the raw findings of the recognizers planLanes gives that lane. */
export interface PiiLaneTask extends WorkerTask {
  readonly kind: typeof PII_LANE_TASK;
  readonly text: string;
  readonly options?: PiiScanTaskOptions;
  readonly lane: number;
  readonly lanes: number;
}

/** What a lane found: `findings[k]` is what recognizer `indices[k]` found (collectFindings). */
export interface PiiLaneFindings {
  readonly recognizers: number;
  readonly indices: readonly number[];
  readonly findings: readonly (readonly PiiFinding[])[];
}

export const PII_LANE_TASK = "pii.lane";

/** The document-wide reading of every lane's findings (finishFindings): one per recognizer, in order. */
export interface PiiFinishTask extends WorkerTask {
  readonly kind: typeof PII_FINISH_TASK;
  readonly text: string;
  readonly options?: PiiScanTaskOptions;
  readonly raw: readonly (readonly PiiFinding[])[];
}

export const PII_FINISH_TASK = "pii.finish";

/** Applies a built-in policy to findings, with fresh placeholder numbering (see PiiScrubber.canApplyOn). */
export interface PiiApplyTask extends WorkerTask {
  readonly kind: typeof PII_APPLY_TASK;
  readonly text: string;
  readonly findings: readonly PiiFinding[];
  readonly policy: string;
  /** The `hash` operator's key: the caller's scrubber's, so pseudonyms match the ones it makes itself. */
  readonly hashKey: Uint8Array;
}

export interface PiiApplied {
  readonly text: string;
  readonly replacements: readonly { readonly type: string; readonly start: number; readonly end: number }[];
  readonly segments: readonly OffsetSegment[];
  readonly policy: string;
}

export const PII_APPLY_TASK = "pii.apply";

/** One scrubber per hash key in each worker (no vault, no matter key: those stay with the caller). */
const scrubbers = new Map<string, PiiScrubber>();

function scrubberFor(hashKey: Uint8Array): PiiScrubber {
  const key = Buffer.from(hashKey).toString("base64");
  let scrubber = scrubbers.get(key);
  if (!scrubber) {
    scrubber = new PiiScrubber({ hashKey });
    scrubbers.set(key, scrubber);
  }
  return scrubber;
}

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

/**
 * What a scan or finish task answers: its findings packed into one buffer that moves to the caller (findings-codec.ts),
 * or as they are when they cannot be packed exactly. PiiScanPool reads either with `unpackFindings`.
 */
export type PackedFindings = ArrayBuffer | PiiFinding[];

function packFindings(findings: PiiFinding[]): TransferredValue<PackedFindings> | PiiFinding[] {
  const buffer = encodeFindings(findings);
  return buffer ? transferred(buffer, [buffer]) : findings;
}

/** The findings of a scan or finish task's answer (PackedFindings). */
export function unpackFindings(answer: PackedFindings): PiiFinding[] {
  return answer instanceof ArrayBuffer ? decodeFindings(answer) : answer;
}

/** A batch task's answer: every text's findings in one buffer, or the lists as they are. */
export type PackedFindingLists = ArrayBuffer | PiiFinding[][];

/** The findings of each text of a batch task's answer (PackedFindingLists). */
export function unpackFindingLists(answer: PackedFindingLists): PiiFinding[][] {
  return answer instanceof ArrayBuffer ? decodeFindingLists(answer) : answer;
}

/** The handlers a worker script passes to serveWorkerTasks to run PiiScanPool's tasks. */
export const piiScanTaskHandlers: Readonly<Record<string, WorkerTaskHandler>> = {
  [PII_SCAN_TASK]: (task) => {
    const { text, options } = task as unknown as PiiScanTask;
    return packFindings(scannerFor(options).scan(text));
  },
  [PII_SCAN_BATCH_TASK]: (task) => {
    const { texts, options } = task as unknown as PiiScanBatchTask;
    const scanner = scannerFor(options);
    const lists = texts.map((text) => scanner.scan(text));
    const buffer = encodeFindingLists(lists);
    return buffer ? transferred(buffer, [buffer]) : lists;
  },
  [PII_LANE_TASK]: (task): PiiLaneFindings => {
    const { text, options, lane, lanes } = task as unknown as PiiLaneTask;
    const scanner = scannerFor(options);
    const indices = planLanes(scanner.recognizerNames, lanes)[lane] ?? [];
    return { recognizers: scanner.recognizerNames.length, indices, findings: collectFindings(scanner, text, indices) };
  },
  [PII_FINISH_TASK]: (task) => {
    const { text, options, raw } = task as unknown as PiiFinishTask;
    return packFindings(finishFindings(scannerFor(options), text, raw));
  },
  [PII_APPLY_TASK]: (task): PiiApplied => {
    const { text, findings, policy, hashKey } = task as unknown as PiiApplyTask;
    const result = scrubberFor(hashKey).apply(text, findings, { policy });
    return { text: result.text, replacements: result.replacements.map((r) => ({ type: r.type, start: r.start, end: r.end })), segments: result.offsets.segments, policy: result.policy };
  },
};
