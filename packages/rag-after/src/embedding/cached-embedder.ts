import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DisposedError, type EmbedOptions, type Embedder } from "@bear/core";

export interface CachedEmbedderOptions {
  /** Folder of the on-disk cache (one append-only file per embedder id). Omit for memory only. */
  readonly dir?: string;
  /** Vectors kept in the in-memory LRU. Default 10,000. */
  readonly memoryEntries?: number;
}

const KEY_BYTES = 16;

/** The cache key of a text: its SHA-256 (the text itself is never stored). */
function keyOf(text: string): Buffer {
  return createHash("sha256").update(text).digest().subarray(0, KEY_BYTES);
}

/**
 * Wraps an Embedder with a content-hash cache: an in-memory LRU in front of an append-only file
 * keyed by embedder id + SHA-256 of the text, so re-ingesting and repeated queries cost nothing.
 */
export class CachedEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly inner: Embedder;
  readonly #memory = new Map<string, Float32Array>();
  readonly #memoryEntries: number;
  readonly #diskIndex = new Map<string, number>();
  readonly #file: string | undefined;
  #fd: number | undefined;
  #hits = 0;
  #misses = 0;
  #disposed = false;

  constructor(inner: Embedder, options: CachedEmbedderOptions = {}) {
    this.inner = inner;
    this.id = inner.id;
    this.dimensions = inner.dimensions;
    this.#memoryEntries = options.memoryEntries ?? 10_000;
    if (options.dir) {
      fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
      const name = createHash("sha256").update(inner.id).digest("hex").slice(0, 16);
      this.#file = path.join(options.dir, `${name}-${inner.dimensions}.vec`);
      this.#fd = fs.openSync(this.#file, "a+", 0o600);
      const record = KEY_BYTES + 4 * inner.dimensions;
      const size = fs.fstatSync(this.#fd).size;
      const count = Math.floor(size / record);
      const key = Buffer.alloc(KEY_BYTES);
      // Only whole records count: a record torn by a crash is ignored.
      for (let i = 0; i < count; i++) {
        fs.readSync(this.#fd, key, 0, KEY_BYTES, i * record);
        this.#diskIndex.set(key.toString("hex"), i * record + KEY_BYTES);
      }
      if (size !== count * record) fs.ftruncateSync(this.#fd, count * record);
    }
  }

  /** Hits and misses since creation (for benchmarks and tests). */
  get stats(): { hits: number; misses: number; entriesOnDisk: number } {
    return { hits: this.#hits, misses: this.#misses, entriesOnDisk: this.#diskIndex.size };
  }

  #remember(key: string, vector: Float32Array): void {
    this.#memory.delete(key);
    this.#memory.set(key, vector);
    if (this.#memory.size > this.#memoryEntries) this.#memory.delete(this.#memory.keys().next().value!);
  }

  #lookup(key: string): Float32Array | undefined {
    const inMemory = this.#memory.get(key);
    if (inMemory) {
      this.#remember(key, inMemory);
      return inMemory;
    }
    const offset = this.#diskIndex.get(key);
    if (offset === undefined || this.#fd === undefined) return undefined;
    const buf = Buffer.alloc(4 * this.dimensions);
    fs.readSync(this.#fd, buf, 0, buf.length, offset);
    const vector = new Float32Array(buf.buffer, buf.byteOffset, this.dimensions).slice();
    this.#remember(key, vector);
    return vector;
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    if (this.#disposed) throw new DisposedError(`CachedEmbedder '${this.id}'`);
    const keys = texts.map((t) => keyOf(t));
    const out: (Float32Array | undefined)[] = keys.map((k) => this.#lookup(k.toString("hex")));
    const missing = [...new Set(out.flatMap((v, i) => (v ? [] : [texts[i]!])))];
    this.#hits += texts.length - out.filter((v) => !v).length;
    if (missing.length > 0) {
      this.#misses += missing.length;
      const vectors = await this.inner.embed(missing, options);
      const fresh = new Map<string, Float32Array>();
      const records: Buffer[] = [];
      missing.forEach((text, i) => {
        const key = keyOf(text);
        const hex = key.toString("hex");
        const vector = vectors[i]!;
        fresh.set(hex, vector);
        this.#remember(hex, vector);
        if (this.#fd !== undefined && !this.#diskIndex.has(hex)) {
          records.push(key, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
        }
      });
      if (this.#fd !== undefined && records.length > 0) {
        const start = fs.fstatSync(this.#fd).size;
        fs.writeSync(this.#fd, Buffer.concat(records));
        let offset = start;
        for (let r = 0; r < records.length; r += 2) {
          this.#diskIndex.set(records[r]!.toString("hex"), offset + KEY_BYTES);
          offset += KEY_BYTES + records[r + 1]!.length;
        }
      }
      keys.forEach((k, i) => (out[i] ??= fresh.get(k.toString("hex"))));
    }
    return out as Float32Array[];
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#fd !== undefined) fs.closeSync(this.#fd);
    this.#fd = undefined;
  }
}
