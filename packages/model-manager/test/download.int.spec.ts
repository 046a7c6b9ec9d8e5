import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { type AuditEvent, OfflineViolationError, enforceOffline } from "@bear/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
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
let dropOnceDone = false;

function serve(res: http.ServerResponse, req: http.IncomingMessage, body: Buffer, opts: { dropAfter?: number; slow?: boolean } = {}): void {
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
  const start = range ? Number(range[1]) : 0;
  if (range) rangesSeen.push(req.headers.range as string);
  res.writeHead(range ? 206 : 200, { "content-length": body.length - start, "content-type": "application/octet-stream" });
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
  await new Promise((resolve) => server.close(resolve));
});

let dest: string;
let disableGuard: (() => void) | undefined;
beforeEach(() => {
  dest = fs.mkdtempSync(path.join(os.tmpdir(), "mm-pull-"));
  rangesSeen.length = 0;
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

  it("keeps the partial file after a failed attempt and resumes from it on the next pull", async () => {
    const failure = await pullModel(`${base}/always-drop/stories260K.gguf`, { destinationDir: dest, retries: 0 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DownloadError);
    expect((failure as Error).message).toMatch(/connection closed after \d+ of 1185376 bytes/);
    expect(files()).toEqual(["stories260K.gguf.partial"]);
    const kept = fs.statSync(path.join(dest, "stories260K.gguf.partial")).size;
    expect(kept).toBeGreaterThan(0);
    await pullModel(`${base}/full/stories260K.gguf`, { destinationDir: dest, sha256: STORIES_SHA });
    expect(rangesSeen).toEqual([`bytes=${kept}-`]);
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
      await expect(manager.pull(`${base}/corrupt/stories260K.gguf`, { sha256: STORIES_SHA })).rejects.toBeInstanceOf(ChecksumMismatchError);
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
