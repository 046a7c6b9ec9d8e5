import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import {
  BearError,
  InvalidArgumentError,
  type Logger,
  OfflineViolationError,
  allowNetwork,
  confinePath,
  isLoopbackHost,
  isOfflineEnforced,
  silentLogger,
} from "@bear/core";
import { ChecksumMismatchError, DownloadCancelledError, DownloadError, ModelFileError } from "../errors";
import { inspectGguf } from "../registry/gguf-inspector";

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
  /** Expected sha256 (hex); the file is deleted if it does not match. */
  readonly sha256?: string;
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

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.(gguf|onnx)$/;
const MAX_REDIRECTS = 5;

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

function isOfflineViolation(error: unknown): boolean {
  return BearError.isInstance(error) && error.code === "OFFLINE_VIOLATION";
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

interface Attempt {
  readonly status: number;
  readonly response: http.IncomingMessage;
}

function request(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<Attempt> {
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

/**
 * Downloads one model file to `destinationDir`: progress events, resume with HTTP Range after a
 * dropped connection (also across calls: the `.partial` file is kept on failure), sha256
 * verification, a GGUF header check, and an atomic rename at the end. Cancelling removes the
 * partial file. Returns the final path.
 */
export async function pullModel(source: string, options: PullOptions): Promise<string> {
  const logger = (options.logger ?? silentLogger).child({ name: "model-manager:pullModel" });
  let url = resolveModelSource(source);
  const fileName = options.fileName ?? decodeURIComponent(path.posix.basename(url.pathname));
  if (!FILE_NAME.test(fileName)) throw new InvalidArgumentError("model file name", fileName, "a plain name ending in .gguf or .onnx");
  if (options.sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(options.sha256)) throw new InvalidArgumentError("sha256", options.sha256, "64 hex digits");
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

  try {
    checkConsent(url);
    for (let attempt = 0; ; attempt++) {
      if (cancelled()) throw new DownloadCancelledError(source);
      const have = await fs.stat(partialPath).then((s) => s.size, () => 0);
      let received = have;
      let totalBytes: number | undefined;
      try {
        const { status, response, finalUrl } = await run(async () => {
          let current = url;
          for (let hop = 0; ; hop++) {
            const result = await request(current, have > 0 ? { range: `bytes=${have}-` } : {}, controller.signal);
            if (result.status >= 300 && result.status < 400 && result.response.headers.location && hop < MAX_REDIRECTS) {
              result.response.resume();
              const next = new URL(result.response.headers.location, current);
              if (next.protocol !== "https:" && !(next.protocol === "http:" && isLoopbackHost(hostOf(next)))) {
                throw new DownloadError(source, `redirected to a non-https URL (${next.protocol})`);
              }
              checkConsent(next);
              current = next;
              continue;
            }
            return { ...result, finalUrl: current };
          }
        });
        url = finalUrl;
        if (status === 416 && have > 0) {
          response.resume();
          await fs.rm(partialPath, { force: true });
          continue;
        }
        if (status !== 200 && status !== 206) {
          response.resume();
          throw new DownloadError(source, `the server answered HTTP ${status}`);
        }
        const resumed = status === 206 ? have : 0;
        const length = Number(response.headers["content-length"]);
        totalBytes = Number.isFinite(length) && length >= 0 ? resumed + length : undefined;
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
            report(false);
            callback(null, chunk);
          },
        });
        const out = createWriteStream(partialPath, { flags: resumed > 0 ? "a" : "w", mode: 0o600 });
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
        if (error instanceof DownloadError && /HTTP|redirected/.test(error.message)) throw error;
        if (attempt >= retries) {
          if (error instanceof DownloadError) throw error;
          const message = error instanceof Error ? error.message : String(error);
          throw new DownloadError(source, `the connection closed after ${received} of ${totalBytes ?? "?"} bytes (${message})`, error);
        }
        logger.warn({ attempt: attempt + 1, code: (error as NodeJS.ErrnoException).code }, "download interrupted; resuming");
      }
    }

    if (options.sha256 !== undefined) {
      const actual = await sha256Of(partialPath);
      if (actual !== options.sha256.toLowerCase()) {
        await fs.rm(partialPath, { force: true });
        throw new ChecksumMismatchError(source, options.sha256.toLowerCase(), actual);
      }
    }
    if (fileName.endsWith(".gguf")) {
      try {
        await inspectGguf(partialPath);
      } catch (error) {
        await fs.rm(partialPath, { force: true });
        const problem = error instanceof ModelFileError ? error.problem : String(error);
        throw new DownloadError(source, `the downloaded file is not a usable GGUF (${problem}); it was deleted`, error);
      }
    }
    await fs.rename(partialPath, finalPath);
    return finalPath;
  } catch (error) {
    // Keep the partial file only for a resumable network failure; clean up on cancel or refusal.
    if (error instanceof DownloadCancelledError || isOfflineViolation(error) || error instanceof InvalidArgumentError) {
      await fs.rm(partialPath, { force: true });
    }
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
}
