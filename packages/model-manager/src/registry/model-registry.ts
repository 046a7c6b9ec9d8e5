import { createHash } from "node:crypto";
import { type Dirent, createReadStream, readFileSync, realpathSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { confinePath, type Logger, silentLogger, writeFileAtomic } from "@bear/core";
import { ModelFileError, ModelNotFoundError, RegistryError } from "../errors";
import { inspectGguf } from "./gguf-inspector";
import type { ModelFileInfo } from "./model-info";
import { inspectOnnx } from "./onnx-inspector";

export type ModelStatus = "available" | "loading" | "loaded" | "downloading" | "error";

/** One measured run, kept so the manager (and the user) can see how a model performs here. */
export interface PerformanceSample {
  readonly at: string;
  readonly kind: "load" | "generate" | "embed";
  readonly ms: number;
  readonly threads?: number;
  readonly contextSize?: number;
  readonly promptTokensPerSecond?: number;
  readonly generationTokensPerSecond?: number;
}

export interface ModelRecord {
  readonly id: string;
  readonly path: string;
  readonly fileName: string;
  readonly format: "gguf" | "onnx";
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly status: ModelStatus;
  /** Why the file is unusable (status "error"). */
  readonly error?: { readonly code: string; readonly message: string };
  readonly info?: ModelFileInfo;
  /** Cached sha256 of the file, valid for `sizeBytes` and `mtimeMs`. */
  readonly sha256?: string;
  readonly performance: readonly PerformanceSample[];
}

export interface ScanReport {
  readonly models: readonly ModelRecord[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** One per unusable file; the scan went on past each. */
  readonly errors: readonly ModelFileError[];
}

export interface ModelRegistryOptions {
  /** Where the registry JSON lives; in-memory only when omitted. */
  readonly registryFile?: string;
  readonly logger?: Logger;
  /** Samples kept per model and kind. Default 20. */
  readonly historyLimit?: number;
}

interface RegistryFile {
  readonly version: 1;
  readonly models: readonly ModelRecord[];
}

const MODEL_EXTENSIONS = new Set([".gguf", ".onnx"]);
const MAX_DEPTH = 4;

async function* walk(root: string, dir: string, depth: number): AsyncGenerator<string> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    let real: string;
    try {
      real = confinePath(root, full); // symlinks leading out of the model dir are skipped
    } catch {
      continue;
    }
    if (entry.isDirectory() && depth < MAX_DEPTH) yield* walk(root, full, depth + 1);
    else if ((entry.isFile() || entry.isSymbolicLink()) && MODEL_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) yield real;
  }
}

/**
 * The catalogue of model files on this machine: what each file is (read from its header), where
 * it is, its state, its checksum and how it performed. Persisted as one JSON file, written
 * atomically.
 */
export class ModelRegistry {
  readonly #records = new Map<string, ModelRecord>();
  readonly #file: string | undefined;
  readonly #logger: Logger;
  readonly #historyLimit: number;
  #writes: Promise<void> = Promise.resolve();
  #loaded = false;

  constructor(options: ModelRegistryOptions = {}) {
    this.#file = options.registryFile;
    this.#logger = (options.logger ?? silentLogger).child({ name: "model-manager:ModelRegistry" });
    this.#historyLimit = options.historyLimit ?? 20;
    // Models known from an earlier scan resolve at once (a DI container builds handles synchronously);
    // scan() then brings the list up to date. An unreadable file is reported by load() instead.
    if (this.#file) {
      try {
        this.#absorb(readFileSync(this.#file, "utf8"));
        this.#loaded = true;
      } catch {
        // ENOENT (no earlier scan) or unreadable: load() decides.
      }
    }
  }

  /** Reads the persisted registry (once). Runtime states (loading/loaded) come back as available. */
  async load(): Promise<void> {
    if (this.#loaded) return;
    this.#loaded = true;
    if (!this.#file) return;
    let text: string;
    try {
      text = await fs.readFile(this.#file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw new RegistryError(this.#file, (error as NodeJS.ErrnoException).code ?? "read error", error);
    }
    this.#absorb(text);
  }

  #absorb(text: string): void {
    let parsed: RegistryFile;
    try {
      parsed = JSON.parse(text) as RegistryFile;
    } catch {
      this.#logger.warn({ file: this.#file }, "registry file is not valid JSON; starting empty");
      return;
    }
    if (parsed?.version !== 1 || !Array.isArray(parsed.models)) return;
    for (const record of parsed.models) {
      if (typeof record?.id !== "string" || typeof record.path !== "string") continue;
      const status: ModelStatus = record.status === "loaded" || record.status === "loading" ? "available" : record.status;
      this.#records.set(record.id, { ...record, status, performance: Array.isArray(record.performance) ? record.performance : [] });
    }
  }

  list(): ModelRecord[] {
    return [...this.#records.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  get(id: string): ModelRecord {
    const record = this.#records.get(id);
    if (!record) throw new ModelNotFoundError(id, [...this.#records.keys()]);
    return record;
  }

  find(id: string): ModelRecord | undefined {
    return this.#records.get(id);
  }

  /** The record whose file is at `filePath`, if any. */
  findByPath(filePath: string): ModelRecord | undefined {
    const resolved = path.resolve(filePath);
    return [...this.#records.values()].find((r) => r.path === resolved);
  }

  /**
   * Scans `dirs` for .gguf and .onnx files, reads each new or changed header, and drops records
   * whose files are gone. Unusable files become status "error" records and are listed in
   * `errors`; the scan always finishes.
   */
  async scan(dirs: readonly string[]): Promise<ScanReport> {
    await this.load();
    const found: string[] = [];
    for (const dir of dirs) {
      const root = path.resolve(dir);
      for await (const file of walk(root, root, 0)) if (!found.includes(file)) found.push(file);
    }
    const added: string[] = [];
    const errors: ModelFileError[] = [];
    const seen = new Set<string>();
    for (const file of found) {
      const existing = this.findByPath(file);
      const stat = await fs.stat(file).catch(() => undefined);
      // an empty file is a download's claim on its name (where the disk has no hard links, see the
      // downloader's place()), about to be replaced by the model: no model, and no unusable one either
      if (!stat || stat.size === 0) continue;
      const id = existing?.id ?? this.#idFor(file, dirs);
      seen.add(id);
      if (existing && existing.sizeBytes === stat.size && existing.mtimeMs === stat.mtimeMs && (existing.info || existing.error)) {
        if (existing.error) errors.push(new ModelFileError(existing.fileName, existing.error.message));
        continue;
      }
      const format = path.extname(file).toLowerCase() === ".gguf" ? "gguf" : "onnx";
      const base = { id, path: file, fileName: path.basename(file), format, sizeBytes: stat.size, mtimeMs: stat.mtimeMs, performance: existing?.performance ?? [] } as const;
      try {
        const info = format === "gguf" ? await inspectGguf(file) : await inspectOnnx(file);
        this.#records.set(id, { ...base, status: "available", info });
      } catch (error) {
        const fileError = error instanceof ModelFileError ? error : new ModelFileError(base.fileName, String(error), { cause: error });
        errors.push(fileError);
        this.#records.set(id, { ...base, status: "error", error: { code: fileError.code, message: fileError.message } });
        this.#logger.warn({ file: base.fileName, code: fileError.code }, "unusable model file skipped");
      }
      if (!existing) added.push(id);
    }
    const removed: string[] = [];
    for (const record of [...this.#records.values()]) {
      if (!seen.has(record.id) && record.status !== "downloading" && record.status !== "loaded") {
        this.#records.delete(record.id);
        removed.push(record.id);
      }
    }
    await this.save();
    return { models: this.list(), added, removed, errors };
  }

  /** Registers (or refreshes) one file, e.g. after a download. */
  async addFile(filePath: string): Promise<ModelRecord> {
    await this.load();
    const file = path.resolve(filePath);
    const stat = await fs.stat(file);
    const existing = this.findByPath(file);
    const id = existing?.id ?? this.#idFor(file, [path.dirname(file)]);
    const format = path.extname(file).toLowerCase() === ".gguf" ? "gguf" : "onnx";
    const info = format === "gguf" ? await inspectGguf(file) : await inspectOnnx(file);
    const record: ModelRecord = {
      id,
      path: file,
      fileName: path.basename(file),
      format,
      sizeBytes: stat.size,
      mtimeMs: stat.mtimeMs,
      status: "available",
      info,
      performance: existing?.performance ?? [],
    };
    this.#records.set(id, record);
    await this.save();
    return record;
  }

  setStatus(id: string, status: ModelStatus): void {
    const record = this.get(id);
    if (record.status !== status) this.#records.set(id, { ...record, status });
  }

  /** Appends a performance sample (bounded history); persists unless `persist` is false (then the next save does). */
  async recordPerformance(id: string, sample: Omit<PerformanceSample, "at">, persist = true): Promise<void> {
    const record = this.#records.get(id);
    if (!record) return;
    const all = [...record.performance, { at: new Date().toISOString(), ...sample }];
    // Keep the last `historyLimit` samples of each kind, so many generations never push out the load times.
    const keep = new Set(["load", "generate", "embed"].flatMap((kind) => all.filter((p) => p.kind === kind).slice(-this.#historyLimit)));
    const performance = all.filter((p) => keep.has(p));
    this.#records.set(id, { ...record, performance });
    if (persist) await this.save();
  }

  /** The file's sha256, computed on first request and cached while size and mtime are unchanged. */
  async sha256(id: string): Promise<string> {
    const record = this.get(id);
    const stat = await fs.stat(record.path);
    if (record.sha256 && record.sizeBytes === stat.size && record.mtimeMs === stat.mtimeMs) return record.sha256;
    const digest = await sha256File(record.path);
    const current = this.get(id);
    this.#records.set(id, { ...current, sha256: digest, sizeBytes: stat.size, mtimeMs: stat.mtimeMs });
    await this.save();
    return digest;
  }

  /** Persists the registry (atomic; writes are serialised). */
  save(): Promise<void> {
    const file = this.#file;
    if (!file) return Promise.resolve();
    const snapshot = JSON.stringify({ version: 1, models: this.list() } satisfies RegistryFile, null, 2);
    this.#writes = this.#writes
      .catch(() => undefined)
      .then(async () => {
        await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
        await writeFileAtomic(file, snapshot);
      });
    return this.#writes;
  }

  #idFor(file: string, dirs: readonly string[]): string {
    const stem = path.basename(file, path.extname(file));
    const taken = (candidate: string) => {
      const r = this.#records.get(candidate);
      return r !== undefined && r.path !== file;
    };
    if (!taken(stem) && stem !== "model") return stem;
    // `file` is a real path (symlinks resolved by the walk): compare it with the real model dirs.
    const root = dirs.map(realDir).find((d) => file.startsWith(d + path.sep));
    const rel = root ? path.relative(root, file) : path.join(path.basename(path.dirname(file)), path.basename(file));
    let candidate = rel.slice(0, -path.extname(rel).length).split(path.sep).join("/");
    for (let n = 2; taken(candidate); n++) candidate = `${candidate}-${n}`;
    return candidate;
  }
}

function realDir(dir: string): string {
  try {
    return realpathSync(path.resolve(dir));
  } catch {
    return path.resolve(dir);
  }
}

export async function sha256File(filePath: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
