import { createHash } from "node:crypto";
import { constants, createReadStream } from "node:fs";
import fs from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  BearError,
  InvalidArgumentError,
  type Logger,
  OfflineViolationError,
  allowNetwork,
  confinePath,
  isLoopbackHost,
  isOfflineEnforced,
  noHardLinks,
  silentLogger,
} from "@bear/core";
import { ChecksumMismatchError, DownloadCancelledError, DownloadError, ModelFileError, formatBytes } from "../errors";
import { inspectGguf } from "../registry/gguf-inspector";
import { parseContentRange, rangeMismatch } from "./content-range";
import {
  NO_FOLLOW_WRITE,
  type PartialRecord,
  discardPartial,
  isComplete,
  isResumable,
  lockDownload,
  readPartial,
  validatorOf,
  writePartialRecord,
} from "./partial-download";
import { announcedSha256, redirectRefusal } from "./redirect-policy";

export interface DownloadProgress {
  readonly source: string;
  readonly receivedBytes: number;
  /** Undefined when the server does not say. */
  readonly totalBytes: number | undefined;
  /** Bytes per second over this attempt. */
  readonly bytesPerSecond: number;
  readonly etaSeconds: number | undefined;
  /** Bytes that were already on disk from an earlier, interrupted attempt. */
  readonly resumedFromBytes: number;
}

export interface PullOptions {
  readonly destinationDir: string;
  /** The file name to save as; default: the last segment of the URL. Must end in .gguf or .onnx. */
  readonly fileName?: string;
  /**
   * Expected sha256 (hex); the file is deleted if it does not match. Without it, a Hugging Face source's announced
   * LFS checksum is used when the server sends one.
   */
  readonly sha256?: string;
  /** Replace a model file of the same name (default: refuse). */
  readonly replace?: boolean;
  /** The most bytes accepted when the server does not announce the file's length. Default 256 GiB. */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /**
   * The user's consent to use the network for this download. Without it, only loopback sources
   * are fetched and anything else is refused with OfflineViolationError.
   */
  readonly allowNetwork?: boolean;
  /** Automatic resumes after a dropped connection. Default 3. */
  readonly retries?: number;
  readonly logger?: Logger;
}

/** A verified model file in its final place. */
export interface DownloadedModel {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.(gguf|onnx)$/;
const MAX_REDIRECTS = 5;
const DEFAULT_MAX_BYTES = 256 * 1024 ** 3;
/** Free space kept beyond the download itself, so a pull never fills the disk to the last block. */
const FREE_SPACE_MARGIN = 64 * 1024 ** 2;
/** Errors of the local disk: retrying the connection cannot help. */
const DISK_ERRORS = new Set(["ENOSPC", "EDQUOT", "EFBIG", "EROFS", "EACCES", "EPERM", "EIO"]);

/** `https://…` as is; `hf:<owner>/<repo>/<path/to/file>` to Hugging Face's resolve URL. Plain http only to loopback. */
export function resolveModelSource(source: string): URL {
  if (typeof source !== "string" || source.length === 0 || source.length > 2048) {
    throw new InvalidArgumentError("model source", source, "an https:// URL or hf:<owner>/<repo>/<file>");
  }
  if (source.startsWith("hf:")) {
    const match = /^hf:([\w.-]+)\/([\w.-]+)\/((?:[\w.-]+\/)*[\w.-]+)$/.exec(source);
    if (!match || source.includes("..")) throw new InvalidArgumentError("hf model reference", source, "hf:<owner>/<repo>/<file>");
    return new URL(`https://huggingface.co/${match[1]}/${match[2]}/resolve/main/${match[3]}`);
  }
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new InvalidArgumentError("model source", source, "an https:// URL or hf:<owner>/<repo>/<file>");
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname.replace(/^\[|\]$/g, ""))) return url;
  throw new InvalidArgumentError("model source", source, "https:// (plain http only to loopback)");
}

/** A failure that another attempt cannot fix (an HTTP refusal, a full disk, a server that breaks its own promises). */
class RefusedDownloadError extends DownloadError {}

/** The server sent more than it may: the bytes already written are not worth keeping. */
class OverlongDownloadError extends RefusedDownloadError {}

/** The server's answer did not continue the partial file: it was discarded and the next attempt starts over. */
class RestartDownload extends Error {}

function isOfflineViolation(error: unknown): boolean {
  return BearError.isInstance(error) && error.code === "OFFLINE_VIOLATION";
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

interface Answer {
  readonly status: number;
  readonly response: http.IncomingMessage;
  readonly url: URL;
  /** A checksum a hop announced for the file (Hugging Face's X-Linked-Etag). */
  readonly announcedSha256: string | undefined;
}

function request(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<{ status: number; response: http.IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === "https:" ? https : http;
    const req = mod.request(url, { method: "GET", headers: { "user-agent": "bear-model-manager", ...headers }, signal, timeout: 30_000 }, (response) =>
      resolve({ status: response.statusCode ?? 0, response }),
    );
    req.on("timeout", () => req.destroy(new Error("no response within 30 s")));
    req.on("error", reject);
    req.end();
  });
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function freeBytes(dir: string): Promise<number | undefined> {
  const stats = await fs.statfs(dir).catch(() => undefined);
  return stats === undefined ? undefined : stats.bavail * stats.bsize;
}

const header = (response: http.IncomingMessage, name: string): string | undefined => {
  const value = response.headers[name];
  return typeof value === "string" ? value : undefined;
};

/**
 * Downloads one model file to `destinationDir`; the result is `pullModel`'s, with the file's sha256 and size.
 *
 * - Resume with HTTP Range after a dropped connection, also across calls: the `.partial` file is kept on a network
 *   failure, with a record of its source and the server's validator (`.partial.json`). It is continued only for the
 *   same source, with `If-Range` (a changed file comes back whole), and only when the answer's `Content-Range`
 *   starts at its end and names the same length; otherwise it is discarded and the download starts over.
 * - The announced length bounds what is written (and must fit the disk's free space); without one, `maxBytes`.
 * - A full or read-only disk is not retried: the partial file is deleted and the error says so.
 * - Verified before it is placed: sha256 (given, or announced by Hugging Face), and for a GGUF its header, with no
 *   bytes beyond the tensors it declares (a file joined to another is refused).
 * - One pull per target (a lock file); an existing model is never replaced unless `replace` is set.
 */
export async function downloadModelFile(source: string, options: PullOptions): Promise<DownloadedModel> {
  const logger = (options.logger ?? silentLogger).child({ name: "model-manager:pullModel" });
  const origin = resolveModelSource(source);
  let url = origin;
  const fileName = options.fileName ?? decodeURIComponent(path.posix.basename(url.pathname));
  if (!FILE_NAME.test(fileName)) throw new InvalidArgumentError("model file name", fileName, "a plain name ending in .gguf or .onnx");
  if (options.sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(options.sha256)) throw new InvalidArgumentError("sha256", options.sha256, "64 hex digits");
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(Number.isSafeInteger(maxBytes) && maxBytes > 0)) throw new InvalidArgumentError("maxBytes", String(options.maxBytes), "a positive whole number of bytes");
  await fs.mkdir(options.destinationDir, { recursive: true, mode: 0o700 });
  const finalPath = confinePath(options.destinationDir, fileName);
  const partialPath = `${finalPath}.partial`;
  const retries = options.retries ?? 3;
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const cancelled = () => options.signal?.aborted === true;

  const consent = options.allowNetwork === true;
  const run = <T>(fn: () => Promise<T>): Promise<T> => (consent ? allowNetwork(fn, `user-requested model download from ${hostOf(url)}`) : fn());
  const checkConsent = (target: URL) => {
    // With the offline guard on, the guard itself refuses; without it we refuse here.
    if (!consent && !isOfflineEnforced() && !isLoopbackHost(hostOf(target))) throw new OfflineViolationError(hostOf(target), "model download");
  };
  // (an empty file there is a claim a failed placement left, see place(): taken over, not a model)
  const existsAlready = async () => (await fs.stat(finalPath).then(() => true, () => false)) && !(await leftoverClaim(finalPath));
  const refuseExisting = () =>
    new RefusedDownloadError(source, `a model file named '${fileName}' already exists`, undefined, "Replace it with --force (API: replace: true), or save this one under another name (--name).");

  let release: (() => Promise<void>) | undefined;
  try {
    checkConsent(url);
    release = await lockDownload(finalPath, source);
    if (!options.replace && (await existsAlready())) throw refuseExisting();
    let expectedSha256 = options.sha256?.toLowerCase();

    // a whole file whose placement failed last time is verified and placed again, not fetched twice
    const complete = isComplete(await readPartial(partialPath), source);
    for (let attempt = 0; !complete; attempt++) {
      if (cancelled()) throw new DownloadCancelledError(source);
      const partial = await readPartial(partialPath);
      const resumable = isResumable(partial, source);
      if (partial.occupied && !resumable) {
        logger.info({ bytes: partial.bytes }, "a partial download of unknown or other origin was discarded; starting over");
        await discardPartial(partialPath);
      }
      const have = resumable ? partial.bytes : 0;
      let received = have;
      let totalBytes: number | undefined;
      try {
        const answer = await run(async (): Promise<Answer> => {
          let current = url;
          let announced: string | undefined;
          const headers = have > 0 ? { range: `bytes=${have}-`, "if-range": (partial.record as PartialRecord).validator as string } : ({} as Record<string, string>);
          for (let hop = 0; ; hop++) {
            const result = await request(current, headers, controller.signal);
            announced ??= announcedSha256(result.response.headers);
            if (result.status >= 300 && result.status < 400 && result.response.headers.location && hop < MAX_REDIRECTS) {
              result.response.resume();
              const next = new URL(result.response.headers.location, current);
              const refusal = redirectRefusal(origin, next);
              if (refusal !== undefined) throw new RefusedDownloadError(source, refusal);
              checkConsent(next);
              current = next;
              continue;
            }
            return { ...result, url: current, announcedSha256: announced };
          }
        });
        const { status, response } = answer;
        url = answer.url;
        if (expectedSha256 === undefined && answer.announcedSha256 !== undefined && source.startsWith("hf:")) expectedSha256 = answer.announcedSha256;
        if (status === 416 && have > 0) {
          response.resume();
          await discardPartial(partialPath);
          continue;
        }
        if (status !== 200 && status !== 206) {
          response.resume();
          throw new RefusedDownloadError(source, `the server answered HTTP ${status}`);
        }
        let resumed = 0;
        if (status === 206) {
          const range = parseContentRange(header(response, "content-range"));
          const sameFile = validatorOf(response.headers) === partial.record?.validator;
          const mismatch =
            have === 0
              ? "the server sent part of the file to a request for all of it"
              : !sameFile
                ? "the server's partial answer names another version of the file (ETag / Last-Modified)"
                : rangeMismatch(range, have, partial.record?.totalBytes);
          if (mismatch !== undefined) {
            response.resume();
            await discardPartial(partialPath);
            throw new RestartDownload(mismatch);
          }
          resumed = have;
          totalBytes = range?.total;
        } else {
          const length = Number(header(response, "content-length"));
          totalBytes = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
          await writePartialRecord(partialPath, { version: 1, source, ...withValidator(validatorOf(response.headers)), ...(totalBytes !== undefined ? { totalBytes } : {}) });
        }
        const limit = totalBytes ?? maxBytes;
        if (totalBytes !== undefined && totalBytes > maxBytes) {
          response.resume();
          throw new RefusedDownloadError(source, `the file is ${formatBytes(totalBytes)}, over the limit of ${formatBytes(maxBytes)}`, undefined, "Raise maxBytes if this model is expected to be that large.");
        }
        const free = await freeBytes(options.destinationDir);
        if (totalBytes !== undefined && free !== undefined && totalBytes - resumed + FREE_SPACE_MARGIN > free) {
          response.resume();
          throw new RefusedDownloadError(
            source,
            `${formatBytes(totalBytes - resumed)} more are needed and the disk holding the models folder has ${formatBytes(free)} free`,
            undefined,
            `Free space on the disk of ${options.destinationDir}, then run the pull again.`,
          );
        }
        const startedAt = performance.now();
        received = resumed;
        let lastReport = 0;
        const report = (force: boolean) => {
          const now = performance.now();
          if (!options.onProgress || (!force && now - lastReport < 100)) return;
          lastReport = now;
          const seconds = (now - startedAt) / 1000;
          const rate = seconds > 0 ? (received - resumed) / seconds : 0;
          options.onProgress({
            source,
            receivedBytes: received,
            totalBytes,
            bytesPerSecond: rate,
            etaSeconds: totalBytes !== undefined && rate > 0 ? (totalBytes - received) / rate : undefined,
            resumedFromBytes: resumed,
          });
        };
        const meter = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            received += chunk.length;
            if (received > limit) {
              callback(
                new OverlongDownloadError(
                  source,
                  totalBytes !== undefined ? `the server sent more than the ${totalBytes} bytes it announced` : `the file passed the limit of ${formatBytes(maxBytes)} without an announced length`,
                ),
              );
              return;
            }
            report(false);
            callback(null, chunk);
          },
        });
        const handle = await fs.open(partialPath, NO_FOLLOW_WRITE | (resumed > 0 ? constants.O_APPEND : constants.O_TRUNC), 0o600);
        const out = handle.createWriteStream();
        try {
          await pipeline(response, meter, out, { signal: controller.signal });
        } finally {
          // A write already handed to the OS still lands after a failed pipeline: wait until the
          // file is closed, so the partial file's size is final before anyone resumes from it.
          if (!out.closed) await new Promise<void>((resolve) => out.once("close", () => resolve()));
        }
        if (!response.complete || (totalBytes !== undefined && received < totalBytes)) {
          throw new DownloadError(source, `the connection closed after ${received} of ${totalBytes ?? "?"} bytes`);
        }
        report(true);
        break;
      } catch (error) {
        if (cancelled()) throw new DownloadCancelledError(source);
        if (isOfflineViolation(error)) throw error;
        if (error instanceof RefusedDownloadError) {
          // bytes past what the server announced (or the cap) are not worth keeping; neither is a record with no bytes
          const onDisk = await fs.lstat(partialPath).then((st) => st.size, () => 0);
          if (onDisk === 0 || error instanceof OverlongDownloadError) await discardPartial(partialPath);
          throw error;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== undefined && DISK_ERRORS.has(code)) {
          await discardPartial(partialPath);
          throw new RefusedDownloadError(
            source,
            code === "ENOSPC" || code === "EDQUOT" ? "the disk holding the models folder is full" : `the models folder cannot be written (${code})`,
            error,
            `Free space on (or fix the permissions of) ${options.destinationDir}, then run the pull again; the partial file was deleted.`,
          );
        }
        const onDisk = await fs.stat(partialPath).then((s) => s.size, () => 0);
        if (attempt >= retries) {
          if (error instanceof DownloadError) throw error;
          const message = error instanceof Error ? error.message : String(error);
          throw new DownloadError(source, `the connection closed after ${onDisk} of ${totalBytes ?? "?"} bytes (${message})`, error);
        }
        logger.warn({ attempt: attempt + 1, code: error instanceof RestartDownload ? "RESTART" : code, bytes: onDisk }, error instanceof RestartDownload ? "the server did not continue the partial file; starting over" : "download interrupted; resuming");
      }
    }

    const sha256 = await sha256Of(partialPath);
    if (expectedSha256 !== undefined && sha256 !== expectedSha256) {
      await discardPartial(partialPath);
      throw new ChecksumMismatchError(source, expectedSha256, sha256);
    }
    const bytes = (await fs.stat(partialPath)).size;
    if (fileName.endsWith(".gguf")) await checkGguf(partialPath, bytes, source);
    await place(partialPath, finalPath, options.replace === true, refuseExisting);
    await discardPartial(partialPath); // the record beside it
    return { path: finalPath, sha256, bytes };
  } catch (error) {
    // Keep the partial file only for a resumable network failure; clean up on cancel or refusal.
    if (error instanceof DownloadCancelledError || isOfflineViolation(error) || error instanceof InvalidArgumentError) {
      await discardPartial(partialPath);
    }
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await release?.();
  }
}

/**
 * Downloads one model file to `destinationDir` (see `downloadModelFile`) and returns its final path.
 */
export async function pullModel(source: string, options: PullOptions): Promise<string> {
  return (await downloadModelFile(source, options)).path;
}

function withValidator(validator: string | undefined): { validator?: string } {
  return validator === undefined ? {} : { validator };
}

/** A downloaded GGUF must parse, hold every tensor it declares and nothing after them but the writer's padding. */
async function checkGguf(file: string, bytes: number, source: string): Promise<void> {
  let problem: string | undefined;
  try {
    const info = await inspectGguf(file);
    if (bytes > info.expectedBytes + info.alignment) {
      problem = `${bytes - info.expectedBytes} bytes follow the last tensor its header declares, as in two files joined`;
    }
  } catch (error) {
    problem = error instanceof ModelFileError ? error.problem : String(error);
  }
  if (problem !== undefined) {
    await discardPartial(file);
    throw new DownloadError(source, `the downloaded file is not a usable GGUF (${problem}); it was deleted`);
  }
}

/**
 * True when `finalPath` is a claim a failed placement left: an empty file (no model is empty), found by a
 * pull that holds the target's lock, so no placement of another pull is running. It is taken over.
 */
async function leftoverClaim(finalPath: string): Promise<boolean> {
  const stat = await fs.lstat(finalPath).catch(() => undefined);
  return stat !== undefined && stat.isFile() && stat.size === 0;
}

/** Moves the verified file into place; without `replace` a hard link, which fails rather than overwrite a model. */
async function place(partialPath: string, finalPath: string, replace: boolean, refuseExisting: () => Error): Promise<void> {
  if (replace) {
    await fs.rename(partialPath, finalPath);
    return;
  }
  try {
    await fs.link(partialPath, finalPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw refuseExisting();
    if (!noHardLinks(error)) throw error;
    // no hard links here: claim the name by exclusive create, then move the file over the claim (an
    // empty file meanwhile, which a scan of the models skips)
    try {
      await (await fs.open(finalPath, "wx", 0o600)).close();
    } catch (claimError) {
      if ((claimError as NodeJS.ErrnoException).code !== "EEXIST") throw claimError;
      if (!(await leftoverClaim(finalPath))) throw refuseExisting();
    }
    await fs.rename(partialPath, finalPath);
    return;
  }
  await fs.rm(partialPath, { force: true });
}
