import { createHash } from "node:crypto";
import fs from "node:fs";
import fsPromises from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { type AuditEvent, type Logger, OfflineViolationError, enforceOffline, silentLogger } from "@bear/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from "@jest/globals";
import {
  ChecksumMismatchError,
  DownloadCancelledError,
  DownloadError,
  type DownloadProgress,
  ModelManager,
  pullModel,
  resolveModelSource,
} from "../src/index";

const models = path.resolve(import.meta.dirname, "../../../../shared/models");
const STORIES = fs.readFileSync(path.join(models, "stories260K/stories260K.gguf"));
const STORIES_SHA = createHash("sha256").update(STORIES).digest("hex");
const CORRUPT = Buffer.from(STORIES.map((b, i) => (i % 97 === 0 ? b ^ 0xff : b)));

let server: http.Server;
let base: string;
const rangesSeen: string[] = [];
const ifRangesSeen: string[] = [];
let requestCount = 0;
let dropOnceDone = false;
/** Requests per route prefix, for routes whose answer changes between requests. */
const served = new Map<string, number>();
const countServed = (route: string) => {
  const n = served.get(route) ?? 0;
  served.set(route, n + 1);
  return n;
};
/** Another revision of the model at the same URL: same length, different bytes after the first 100 kB. */
const REVISED = Buffer.from(STORIES.map((b, i) => (i > 100_000 && i % 13 === 0 ? b ^ 0x5a : b)));

const etagOf = (body: Buffer) => `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;

interface ServeOptions {
  readonly dropAfter?: number;
  readonly slow?: boolean;
  /** No ETag / Last-Modified: the server gives nothing a later range could be checked against. */
  readonly noValidator?: boolean;
  /** Answer a range request with the file from byte 0, labelled as such (a server that ignores where to start). */
  readonly rangeFromZero?: boolean;
  /** Honour Range but not If-Range (a server or cache that serves whatever version it has now). */
  readonly ignoreIfRange?: boolean;
}

/** Serves `body` as a real server would: ETag, Range with If-Range (a stale validator gets the whole file), Content-Range. */
function serve(res: http.ServerResponse, req: http.IncomingMessage, body: Buffer, opts: ServeOptions = {}): void {
  const etag = etagOf(body);
  const ifRange = req.headers["if-range"];
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
  if (range) rangesSeen.push(req.headers.range as string);
  if (typeof ifRange === "string") ifRangesSeen.push(ifRange);
  const honoured = range !== null && (ifRange === undefined || ifRange === etag || opts.ignoreIfRange === true);
  const start = honoured && !opts.rangeFromZero ? Number(range[1]) : 0;
  const headers: http.OutgoingHttpHeaders = { "content-length": body.length - start, "content-type": "application/octet-stream" };
  if (!opts.noValidator) headers.etag = etag;
  if (honoured) headers["content-range"] = `bytes ${start}-${body.length - 1}/${body.length}`;
  res.writeHead(honoured ? 206 : 200, headers);
  const rest = body.subarray(start);
  if (opts.dropAfter !== undefined) {
    res.write(rest.subarray(0, opts.dropAfter), () => setTimeout(() => res.socket?.destroy(), 5));
    return;
  }
  if (opts.slow) {
    let offset = 0;
    const timer = setInterval(() => {
      if (res.destroyed || offset >= rest.length) {
        clearInterval(timer);
        if (!res.destroyed) res.end();
        return;
      }
      res.write(rest.subarray(offset, offset + 16_384));
      offset += 16_384;
    }, 20);
    res.on("close", () => clearInterval(timer));
    return;
  }
  res.end(rest);
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requestCount++;
    const url = req.url ?? "";
    if (url.startsWith("/full/")) return serve(res, req, STORIES);
    if (url.startsWith("/drop-once/")) {
      if (!dropOnceDone && !req.headers.range) {
        dropOnceDone = true;
        return serve(res, req, STORIES, { dropAfter: 400_000 });
      }
      return serve(res, req, STORIES);
    }
    if (url.startsWith("/always-drop/")) return serve(res, req, STORIES, { dropAfter: 300_000 });
    if (url.startsWith("/corrupt/")) return serve(res, req, CORRUPT);
    if (url.startsWith("/slow/")) return serve(res, req, STORIES, { slow: true });
    if (url.startsWith("/revised-after-drop/")) {
      // the first answer drops mid-way; by the next request the file at this URL has been replaced
      return countServed("revised") === 0 ? serve(res, req, STORIES, { dropAfter: 400_000 }) : serve(res, req, REVISED);
    }
    if (url.startsWith("/ignores-if-range/")) {
      return countServed("ignores-if-range") === 0 ? serve(res, req, STORIES, { dropAfter: 400_000 }) : serve(res, req, REVISED, { ignoreIfRange: true });
    }
    if (url.startsWith("/range-from-zero/")) {
      return countServed("range-from-zero") === 0 ? serve(res, req, STORIES, { dropAfter: 400_000 }) : serve(res, req, STORIES, { rangeFromZero: true });
    }
    if (url.startsWith("/no-validator/")) {
      return countServed("no-validator") === 0 ? serve(res, req, STORIES, { dropAfter: 400_000, noValidator: true }) : serve(res, req, STORIES, { noValidator: true });
    }
    if (url.startsWith("/joined/")) return serve(res, req, Buffer.concat([STORIES, STORIES]));
    if (url.startsWith("/unannounced/")) {
      // chunked, no Content-Length, no end in sight
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(STORIES.subarray(0, 65_536))), 2);
      res.on("close", () => clearInterval(timer));
      return;
    }
    if (url.startsWith("/enormous/")) {
      res.writeHead(200, { "content-length": 2 ** 45, etag: '"enormous"' });
      res.write(STORIES.subarray(0, 1024));
      return; // never finishes: the client must refuse it before writing
    }
    if (url.startsWith("/redirect/")) {
      res.writeHead(302, { location: `/full/${path.basename(url)}` });
      return res.end();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let dest: string;
let disableGuard: (() => void) | undefined;
beforeEach(() => {
  dest = fs.mkdtempSync(path.join(os.tmpdir(), "mm-pull-"));
  rangesSeen.length = 0;
  ifRangesSeen.length = 0;
  served.clear();
});
afterEach(() => {
  disableGuard?.();
  disableGuard = undefined;
  fs.rmSync(dest, { recursive: true, force: true });
});

const files = () => fs.readdirSync(dest).sort();

describe("pullModel against a local HTTP server", () => {
  it("downloads a real model, verifies its sha256, reports progress and renames atomically", async () => {
    const progress: DownloadProgress[] = [];
    const file = await pullModel(`${base}/full/stories260K.gguf`, { destinationDir: dest, sha256: STORIES_SHA, onProgress: (p) => progress.push(p) });
    expect(file).toBe(path.join(fs.realpathSync(dest), "stories260K.gguf"));
    expect(files()).toEqual(["stories260K.gguf"]);
    expect(createHash("sha256").update(fs.readFileSync(file)).digest("hex")).toBe(STORIES_SHA);
    const last = progress.at(-1);
    expect(last).toMatchObject({ receivedBytes: STORIES.length, totalBytes: STORIES.length, resumedFromBytes: 0, etaSeconds: 0 });
    expect(last?.bytesPerSecond).toBeGreaterThan(0);
  });

  it("resumes with an HTTP Range request after the connection drops mid-way", async () => {
    dropOnceDone = false;
    const progress: DownloadProgress[] = [];
    const file = await pullModel(`${base}/drop-once/stories260K.gguf`, { destinationDir: dest, sha256: STORIES_SHA, onProgress: (p) => progress.push(p) });
    expect(rangesSeen).toHaveLength(1);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(rangesSeen[0] as string)?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(400_000);
    expect(progress.at(-1)?.resumedFromBytes).toBe(resumedAt);
    expect(fs.readFileSync(file).equals(STORIES)).toBe(true);
  });

  it("keeps the partial file after a failed attempt and resumes from it on the next pull of the same source", async () => {
    const failure = await pullModel(`${base}/always-drop/stories260K.gguf`, { destinationDir: dest, retries: 0 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DownloadError);
    expect((failure as Error).message).toMatch(/connection closed after \d+ of 1185376 bytes/);
    expect(files()).toEqual(["stories260K.gguf.partial", "stories260K.gguf.partial.json"]); // the bytes and where they came from
    dropOnceDone = false;
    const dropped = await pullModel(`${base}/drop-once/stories260K.gguf`, { destinationDir: dest, retries: 0 }).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(DownloadError);
    expect(rangesSeen).toEqual([]); // the other source's partial was discarded, not continued
    const kept = fs.statSync(path.join(dest, "stories260K.gguf.partial")).size;
    expect(kept).toBeGreaterThan(0);
    await pullModel(`${base}/drop-once/stories260K.gguf`, { destinationDir: dest, sha256: STORIES_SHA });
    expect(rangesSeen).toEqual([`bytes=${kept}-`]);
    expect(ifRangesSeen).toEqual([etagOf(STORIES)]);
    expect(files()).toEqual(["stories260K.gguf"]);
  });

  it("deletes a download whose sha256 does not match", async () => {
    const error = await pullModel(`${base}/corrupt/stories260K.gguf`, { destinationDir: dest, sha256: STORIES_SHA }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect((error as Error).message).toContain(`expected ${STORIES_SHA}`);
    expect(files()).toEqual([]);
  });

  it("deletes corrupt bytes that do not form a GGUF even without a known checksum", async () => {
    const error = await pullModel(`${base}/corrupt/stories260K.gguf`, { destinationDir: dest }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toMatch(/not a usable GGUF/);
    expect(files()).toEqual([]);
  });

  it("removes the partial file when cancelled", async () => {
    const controller = new AbortController();
    const error = await pullModel(`${base}/slow/stories260K.gguf`, {
      destinationDir: dest,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.receivedBytes > 50_000) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadCancelledError);
    expect(files()).toEqual([]);
  });

  it("follows a redirect and reports an HTTP error status by number", async () => {
    await pullModel(`${base}/redirect/stories260K.gguf`, { destinationDir: dest });
    expect(files()).toEqual(["stories260K.gguf"]);
    await expect(pullModel(`${base}/missing/x.gguf`, { destinationDir: dest })).rejects.toThrow(/HTTP 404/);
  });

  it("refuses unsafe names and sources before touching the network", async () => {
    await expect(pullModel(`${base}/full/stories260K.gguf`, { destinationDir: dest, fileName: "../escape.gguf" })).rejects.toThrow(/model file name/);
    await expect(pullModel("ftp://example.org/x.gguf", { destinationDir: dest })).rejects.toThrow(/https/);
    await expect(pullModel("http://203.0.113.1/x.gguf", { destinationDir: dest })).rejects.toThrow(/plain http only to loopback/);
    expect(resolveModelSource("hf:ggml-org/models/tinyllamas/stories260K.gguf").href).toBe(
      "https://huggingface.co/ggml-org/models/resolve/main/tinyllamas/stories260K.gguf",
    );
    expect(() => resolveModelSource("hf:owner/../x.gguf")).toThrow(/hf model reference/);
  });
});

describe("pullModel never splices, overfills or overwrites", () => {
  const partial = () => path.join(dest, "stories260K.gguf.partial");

  it("resumes only with If-Range: a file replaced at its URL after a drop comes back whole, never spliced", async () => {
    const file = await pullModel(`${base}/revised-after-drop/stories260K.gguf`, { destinationDir: dest, allowNetwork: false });
    expect(ifRangesSeen).toEqual([etagOf(STORIES)]); // the resume named the first answer's file
    const saved = fs.readFileSync(file);
    expect(saved.equals(REVISED)).toBe(true); // not STORIES' first 400 kB + REVISED's rest
    expect(files()).toEqual(["stories260K.gguf"]);
  });

  it("a range answer from another version of the file (a server that ignores If-Range) is refused: the download starts over", async () => {
    const file = await pullModel(`${base}/ignores-if-range/stories260K.gguf`, { destinationDir: dest });
    expect(rangesSeen).toHaveLength(1); // the resume, answered with the new version's bytes and ETag: refused
    expect(fs.readFileSync(file).equals(REVISED)).toBe(true); // then fetched whole, never spliced
  });

  it("a range answer that does not start at the partial's end is discarded and the download starts over", async () => {
    const file = await pullModel(`${base}/range-from-zero/stories260K.gguf`, { destinationDir: dest });
    expect(rangesSeen).toHaveLength(1); // one resume, answered from byte 0: refused, then a plain request
    expect(fs.readFileSync(file).equals(STORIES)).toBe(true);
  });

  it("without an ETag or Last-Modified nothing is resumed: the next attempt starts over", async () => {
    const file = await pullModel(`${base}/no-validator/stories260K.gguf`, { destinationDir: dest });
    expect(rangesSeen).toEqual([]);
    expect(fs.readFileSync(file).equals(STORIES)).toBe(true);
  });

  it("a partial file of another source, or with no record of its source, is discarded, not continued", async () => {
    fs.writeFileSync(partial(), REVISED.subarray(0, 300_000));
    await pullModel(`${base}/full/stories260K.gguf`, { destinationDir: dest, sha256: STORIES_SHA });
    expect(rangesSeen).toEqual([]);
    fs.rmSync(path.join(dest, "stories260K.gguf"));
    fs.writeFileSync(partial(), STORIES.subarray(0, 300_000));
    fs.writeFileSync(`${partial()}.json`, JSON.stringify({ version: 1, source: `${base}/other/stories260K.gguf`, validator: etagOf(STORIES), totalBytes: STORIES.length }));
    await pullModel(`${base}/full/stories260K.gguf`, { destinationDir: dest, sha256: STORIES_SHA });
    expect(rangesSeen).toEqual([]);
    expect(files()).toEqual(["stories260K.gguf"]);
  });

  it("never writes through a symlink planted in the partial file's place", async () => {
    const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mm-outside-")), "victim.txt");
    fs.writeFileSync(outside, "keep me");
    fs.symlinkSync(outside, partial());
    await pullModel(`${base}/full/stories260K.gguf`, { destinationDir: dest, sha256: STORIES_SHA });
    expect(fs.readFileSync(outside, "utf8")).toBe("keep me");
    expect(files()).toEqual(["stories260K.gguf"]);
    fs.rmSync(path.dirname(outside), { recursive: true, force: true });
  });

  it("refuses a GGUF with bytes after the tensors its header declares (two files joined)", async () => {
    const error = await pullModel(`${base}/joined/stories260K.gguf`, { destinationDir: dest }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toMatch(/1185376 bytes follow the last tensor/);
    expect(files()).toEqual([]);
  });

  it("stops a download with no announced length at maxBytes and keeps nothing", async () => {
    const error = await pullModel(`${base}/unannounced/stories260K.gguf`, { destinationDir: dest, maxBytes: 1_000_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toMatch(/passed the limit of/);
    expect(files()).toEqual([]);
  });

  it("refuses, before writing, a file larger than the disk's free space (and one over maxBytes)", async () => {
    const tooBig = await pullModel(`${base}/enormous/x.gguf`, { destinationDir: dest, maxBytes: 2 ** 50 }).catch((e: unknown) => e);
    expect(tooBig).toBeInstanceOf(DownloadError);
    expect((tooBig as Error).message).toMatch(/32\.0 TB more are needed and the disk holding the models folder has .* free/);
    const overCap = await pullModel(`${base}/enormous/x.gguf`, { destinationDir: dest }).catch((e: unknown) => e);
    expect((overCap as Error).message).toMatch(/over the limit of 256 GB/);
    expect(files()).toEqual([]); // nothing left: no partial, no record, no lock
  });

  it("refuses to replace an existing model unless asked, and replaces it when asked", async () => {
    await pullModel(`${base}/full/stories260K.gguf`, { destinationDir: dest });
    const refused = await pullModel(`${base}/corrupt/stories260K.gguf`, { destinationDir: dest }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DownloadError);
    expect((refused as Error).message).toMatch(/already exists/);
    expect((refused as DownloadError).hint).toMatch(/--force/);
    fs.writeFileSync(path.join(dest, "stories260K.gguf"), STORIES.subarray(0, 1000)); // an older, broken copy
    await pullModel(`${base}/full/stories260K.gguf`, { destinationDir: dest, replace: true, sha256: STORIES_SHA });
    expect(fs.readFileSync(path.join(dest, "stories260K.gguf")).equals(STORIES)).toBe(true);
  });

  it("lets one pull at a time write a target: a second pull to the same name is refused while the first runs", async () => {
    const first = pullModel(`${base}/slow/stories260K.gguf`, { destinationDir: dest, sha256: STORIES_SHA });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await pullModel(`${base}/corrupt/stories260K.gguf`, { destinationDir: dest }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(DownloadError);
    expect((second as Error).message).toMatch(/another download to the same file is running \(process \d+\)/);
    await first;
    expect(fs.readFileSync(path.join(dest, "stories260K.gguf")).equals(STORIES)).toBe(true);
    expect(files()).toEqual(["stories260K.gguf"]);
  });

  it("works where the file system has no hard links (FAT/exFAT drives): lock and placement fall back to exclusive create", async () => {
    const noLinks = Object.assign(new Error("EPERM: operation not permitted, link"), { code: "EPERM" });
    const link = jest.spyOn(fsPromises, "link").mockRejectedValue(noLinks);
    try {
      const file = await pullModel(`${base}/full/stories260K.gguf`, { destinationDir: dest, sha256: STORIES_SHA });
      expect(link).toHaveBeenCalled();
      expect(fs.readFileSync(file).equals(STORIES)).toBe(true);
      expect(files()).toEqual(["stories260K.gguf"]);
      const again = await pullModel(`${base}/full/stories260K.gguf`, { destinationDir: dest }).catch((e: unknown) => e);
      expect((again as Error).message).toMatch(/already exists/);
      // a claim left empty by a placement that failed after it (the rename) is taken over by the next pull
      fs.rmSync(file);
      fs.writeFileSync(file, "");
      expect(fs.readFileSync(await pullModel(`${base}/full/stories260K.gguf`, { destinationDir: dest, sha256: STORIES_SHA })).equals(STORIES)).toBe(true);
    } finally {
      link.mockRestore();
    }
  });

  it("a whole download whose placement failed is placed by the next pull without fetching it again", async () => {
    fs.writeFileSync(path.join(dest, "stories260K.gguf"), "an older model");
    const refused = await pullModel(`${base}/full/stories260K.gguf`, { destinationDir: dest, sha256: STORIES_SHA }).catch((e: unknown) => e);
    expect((refused as Error).message).toMatch(/already exists/); // refused up front: nothing fetched
    fs.rmSync(path.join(dest, "stories260K.gguf"));
    // a complete partial with its record, as a pull leaves it when the final move fails
    fs.writeFileSync(partial(), STORIES);
    fs.writeFileSync(`${partial()}.json`, JSON.stringify({ version: 1, source: `${base}/full/stories260K.gguf`, validator: etagOf(STORIES), totalBytes: STORIES.length }));
    served.clear();
    const requests = requestCount;
    const file = await pullModel(`${base}/full/stories260K.gguf`, { destinationDir: dest, sha256: STORIES_SHA });
    expect(fs.readFileSync(file).equals(STORIES)).toBe(true);
    expect(requestCount).toBe(requests); // no request at all
    expect(files()).toEqual(["stories260K.gguf"]);
  });

  // A full disk needs a small filesystem: a tmpfs, which only root may mount (CI runs as root).
  const asRoot = process.getuid?.() === 0;
  (asRoot ? it : it.skip)("a full disk is not retried as a dropped connection: the partial file is deleted and the error says why", async () => {
    const small = fs.mkdtempSync(path.join(os.tmpdir(), "mm-full-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", small]);
    try {
      const warnings: string[] = [];
      const logger = { ...silentLogger, child: () => logger, warn: (_: unknown, message?: string) => void warnings.push(String(message)) } as unknown as Logger;
      // no announced length, so nothing can be refused up front: the disk fills mid-way
      const error = await pullModel(`${base}/unannounced/stories260K.gguf`, { destinationDir: small, logger }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DownloadError);
      expect((error as Error).message).toMatch(/the disk holding the models folder is full/);
      expect(warnings).toEqual([]); // no "resuming" attempts
      expect(fs.readdirSync(small)).toEqual([]);
    } finally {
      execFileSync("umount", [small]);
      fs.rmSync(small, { recursive: true, force: true });
    }
  });
});

describe("pull and the offline guard", () => {
  it("with enforceOffline() on, a non-loopback URL is refused by the guard and leaves no file", async () => {
    disableGuard = enforceOffline();
    const error = await pullModel("https://203.0.113.1/models/x.gguf", { destinationDir: dest, retries: 0 }).catch((e: unknown) => e);
    expect(OfflineViolationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("203.0.113.1");
    expect(files()).toEqual([]);
  });

  it("without the user's consent a non-loopback source is refused even when the guard is off", async () => {
    const error = await pullModel("https://203.0.113.1/models/x.gguf", { destinationDir: dest }).catch((e: unknown) => e);
    expect(OfflineViolationError.isInstance(error)).toBe(true);
  });

  it("loopback downloads still work with the guard on", async () => {
    disableGuard = enforceOffline();
    await pullModel(`${base}/full/stories260K.gguf`, { destinationDir: dest, sha256: STORIES_SHA });
    expect(files()).toEqual(["stories260K.gguf"]);
  });
});

describe("ModelManager.pull", () => {
  it("registers the downloaded model and writes an audit record", async () => {
    const audit: AuditEvent[] = [];
    const manager = await ModelManager.open({ modelDirs: [dest] }, { audit: { record: async (e) => void audit.push(e) } });
    try {
      expect(manager.list()).toEqual([]);
      const record = await manager.pull(`${base}/full/stories260K.gguf`, { sha256: STORIES_SHA });
      expect(record).toMatchObject({ id: "stories260K", status: "available", sizeBytes: STORIES.length });
      expect(record.info).toMatchObject({ kind: "causal", architecture: "llama" });
      expect(manager.list().map((m) => m.id)).toEqual(["stories260K"]);
      await expect(manager.pull(`${base}/corrupt/stories260K.gguf`, { sha256: STORIES_SHA, replace: true })).rejects.toBeInstanceOf(ChecksumMismatchError);
      expect(fs.readFileSync(path.join(dest, "stories260K.gguf")).equals(STORIES)).toBe(true); // the model in place is untouched
      expect(audit[0]?.details).toEqual({ bytes: STORIES.length, sha256: STORIES_SHA });
      expect(audit.map((a) => [a.action, a.outcome, a.resource])).toEqual([
        ["model.pull", "success", "stories260K"],
        ["model.pull", "failure", undefined],
      ]);
    } finally {
      await manager.dispose();
    }
  });

  it("with the real audit log: a failed pull reports its own error, and the record names no IP address", async () => {
    const { AuditLog } = await import("@bear/security");
    const auditDir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-audit-"));
    const log = new AuditLog({ dir: auditDir, key: Buffer.alloc(32, 7) });
    const manager = await ModelManager.open({ modelDirs: [dest] }, { audit: log });
    try {
      await expect(manager.pull(`${base}/corrupt/stories260K.gguf`, { sha256: STORIES_SHA })).rejects.toBeInstanceOf(ChecksumMismatchError);
      expect(await log.verify()).toMatchObject({ ok: true, records: 1 });
      const written = fs.readFileSync(path.join(auditDir, "audit.jsonl"), "utf8");
      expect(written).toContain("(IPv4 address)");
      expect(written).not.toContain("127.0.0.1");
    } finally {
      await manager.dispose();
      await log.dispose();
      fs.rmSync(auditDir, { recursive: true, force: true });
    }
  });
});
