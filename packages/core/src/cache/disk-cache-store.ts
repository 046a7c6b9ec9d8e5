import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { writeFileAtomicSync } from "../files/write-file-atomic";
import { silentLogger, type Logger } from "../logging/logger";
import { CACHE_KINDS, type CacheKind, type CacheKindStats, type CacheStore, type CacheStoreStats, type StoreKey } from "./cache";

export interface DiskCacheStoreOptions {
  /** Folder of the store (created 0700), e.g. `<workspace>/cache/l2`. */
  readonly dir: string;
  /** Cap on the bytes of all segment files; the oldest segments are deleted past it. */
  readonly maxBytes: number;
  /** Size at which a process starts a new segment file. Default: an eighth of `maxBytes` (64 KB to 32 MB). */
  readonly segmentBytes?: number;
  /** How often (at most) other processes' writes and clears are looked for. Default 1000 ms. */
  readonly refreshIntervalMs?: number;
  readonly now?: () => number;
  readonly logger?: Logger;
}

/** One index record: keyed hash (32) | value offset (f64) | value length (u32) | expires at, ms (f64). */
const INDEX_RECORD_BYTES = 32 + 8 + 4 + 8;
const EPOCH_FILE = "epoch";
const COUNTERS_FILE = "counters.json";

interface Segment {
  readonly kind: CacheKind;
  /** Path without extension; the values are in `<base>.seg`, their index records in `<base>.idx`. */
  readonly base: string;
  readonly name: string;
  /** Bytes of the index file already read. */
  indexRead: number;
  /** Size of the value file as last seen. */
  bytes: number;
  /** Index keys whose value is in this segment (to forget them when it goes). */
  readonly keys: Set<string>;
  fd: number | undefined;
}

interface Located {
  readonly segment: Segment;
  readonly offset: number;
  readonly length: number;
  readonly expiresAt: number;
}

interface Active {
  readonly segment: Segment;
  readonly valueFd: number;
  readonly indexFd: number;
}

/**
 * L2 on the workspace's disk: per kind, append-only segment files (values) with a small index file
 * beside each (keyed hash, offset, length, expiry), so opening reads ~52 bytes per entry rather than
 * the values. Each process appends to its own segments, so several processes (a server and CLI
 * commands) share the store without locks; each sees the others' writes within `refreshIntervalMs`.
 * Past the byte cap the oldest segment files are deleted whole (FIFO by segment; hot values stay in
 * L1). A crash leaves at worst a torn record, which is ignored. Keys are keyed hashes, and values
 * arrive sealed when the workspace is encrypted: nothing here is readable without the workspace key.
 */
export class DiskCacheStore implements CacheStore {
  readonly backend = "disk";
  readonly dir: string;
  readonly maxBytes: number;
  readonly #segmentBytes: number;
  readonly #refreshIntervalMs: number;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #index = new Map<string, Located>();
  readonly #segments = new Map<string, Segment>();
  readonly #active = new Map<CacheKind, Active>();
  #loaded = false;
  #lastRefresh = 0;
  #epoch = "";
  #bytes = 0;
  #evictions = 0;
  #disposed = false;

  constructor(options: DiskCacheStoreOptions) {
    this.dir = path.resolve(options.dir);
    this.maxBytes = options.maxBytes;
    this.#segmentBytes = options.segmentBytes ?? Math.min(32 * 1024 * 1024, Math.max(64 * 1024, Math.floor(options.maxBytes / 8)));
    this.#refreshIntervalMs = options.refreshIntervalMs ?? 1000;
    this.#now = options.now ?? Date.now;
    this.#logger = (options.logger ?? silentLogger).child({ name: "core:DiskCacheStore" });
  }

  /** The keys of the entries stored now (of one kind, when given): to inspect what a cache folder holds. */
  keys(kind?: CacheKind): StoreKey[] {
    this.#ready();
    const now = this.#now();
    return [...this.#index]
      .filter(([id, at]) => at.expiresAt > now && (kind === undefined || id.startsWith(`${kind}/`)))
      .map(([id]) => ({ kind: id.slice(0, id.indexOf("/")) as CacheKind, hash: id.slice(id.indexOf("/") + 1) }));
  }

  async getMany(keys: readonly StoreKey[]): Promise<(Uint8Array | undefined)[]> {
    this.#ready();
    const now = this.#now();
    return keys.map((key) => {
      const id = `${key.kind}/${key.hash}`;
      const at = this.#index.get(id);
      if (!at || at.expiresAt <= now) return undefined;
      try {
        at.segment.fd ??= fs.openSync(`${at.segment.base}.seg`, "r");
        const value = Buffer.allocUnsafe(at.length);
        if (fs.readSync(at.segment.fd, value, 0, at.length, at.offset) !== at.length) return undefined;
        return value;
      } catch {
        // Deleted by another process's eviction or clear: a miss.
        this.#forget(at.segment);
        return undefined;
      }
    });
  }

  async setMany(entries: readonly { readonly key: StoreKey; readonly value: Uint8Array; readonly expiresAt: number }[]): Promise<void> {
    this.#ready();
    for (const kind of CACHE_KINDS) {
      const ofKind = entries.filter((e) => e.key.kind === kind);
      if (ofKind.length > 0) this.#append(kind, ofKind);
    }
    this.#enforceCap();
  }

  async clear(kind?: CacheKind): Promise<void> {
    this.#ready();
    for (const segment of [...this.#segments.values()]) if (kind === undefined || segment.kind === kind) this.#delete(segment);
    // Segments of processes this one has not seen yet.
    for (const k of kind === undefined ? CACHE_KINDS : [kind]) {
      for (const file of this.#list(k)) fs.rmSync(path.join(this.dir, k, file), { force: true });
    }
    this.#epoch = randomBytes(8).toString("hex");
    writeFileAtomicSync(path.join(this.dir, EPOCH_FILE), this.#epoch);
  }

  async epoch(): Promise<string> {
    this.#ready();
    return this.#epoch;
  }

  async stats(): Promise<Omit<CacheStoreStats, "sealed">> {
    this.#ready();
    return { backend: this.backend, entries: this.#index.size, bytes: this.#bytes, maxBytes: this.maxBytes, evictions: this.#evictions, location: this.dir };
  }

  /** Adds to `counters.json` (read, add, replace; two processes closing at the same instant may lose one's counts). */
  async addCounters(delta: Readonly<Record<CacheKind, CacheKindStats>>): Promise<void> {
    this.#ready();
    const totals: Partial<Record<CacheKind, Record<string, number>>> = { ...((await this.counters()) as Partial<Record<CacheKind, Record<string, number>>> | undefined) };
    for (const kind of CACHE_KINDS) {
      const row: Record<string, number> = { ...totals[kind] };
      for (const [name, n] of Object.entries(delta[kind] ?? {})) row[name] = (row[name] ?? 0) + n;
      totals[kind] = row;
    }
    writeFileAtomicSync(path.join(this.dir, COUNTERS_FILE), JSON.stringify(totals));
  }

  async counters(): Promise<Record<CacheKind, CacheKindStats> | undefined> {
    try {
      return JSON.parse(fs.readFileSync(path.join(this.dir, COUNTERS_FILE), "utf8")) as Record<CacheKind, CacheKindStats>;
    } catch {
      return undefined;
    }
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#closeAll();
  }

  /** Loads the index on first use; later, at most once per interval, picks up other processes' writes and clears. */
  #ready(): void {
    if (this.#disposed) throw new Error(`the disk cache '${this.dir}' is disposed`);
    const now = Date.now();
    if (this.#loaded && now - this.#lastRefresh < this.#refreshIntervalMs) return;
    this.#lastRefresh = now;
    if (!this.#loaded) {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      for (const kind of CACHE_KINDS) fs.mkdirSync(path.join(this.dir, kind), { recursive: true, mode: 0o700 });
      this.#loaded = true;
    }
    const epoch = this.#readEpoch();
    if (epoch !== this.#epoch) {
      // Another process cleared the store: start over from what is on disk now.
      this.#closeAll();
      this.#index.clear();
      this.#segments.clear();
      this.#active.clear();
      this.#bytes = 0;
      this.#epoch = epoch;
    }
    this.#scan();
  }

  #readEpoch(): string {
    try {
      return fs.readFileSync(path.join(this.dir, EPOCH_FILE), "utf8");
    } catch {
      return "";
    }
  }

  #list(kind: CacheKind): string[] {
    try {
      return fs.readdirSync(path.join(this.dir, kind));
    } catch {
      return [];
    }
  }

  /** Reads the index records added since the last scan, and forgets segments that are gone. */
  #scan(): void {
    const seen = new Set<string>();
    for (const kind of CACHE_KINDS) {
      for (const file of this.#list(kind)) {
        if (!file.endsWith(".idx")) continue;
        const base = path.join(this.dir, kind, file.slice(0, -4));
        seen.add(base);
        let segment = this.#segments.get(base);
        if (!segment) {
          segment = { kind, base, name: file.slice(0, -4), indexRead: 0, bytes: 0, keys: new Set(), fd: undefined };
          this.#segments.set(base, segment);
        }
        this.#readIndex(segment);
      }
    }
    for (const segment of [...this.#segments.values()]) if (!seen.has(segment.base)) this.#forget(segment);
  }

  #readIndex(segment: Segment): void {
    let fresh: Buffer;
    let valueBytes: number;
    try {
      const indexBytes = fs.statSync(`${segment.base}.idx`).size;
      const whole = indexBytes - (indexBytes % INDEX_RECORD_BYTES);
      if (whole <= segment.indexRead) return;
      fresh = Buffer.alloc(whole - segment.indexRead);
      const fd = fs.openSync(`${segment.base}.idx`, "r");
      try {
        fs.readSync(fd, fresh, 0, fresh.length, segment.indexRead);
      } finally {
        fs.closeSync(fd);
      }
      // After the index: a record is written after its value, so every value it names is there.
      valueBytes = fs.statSync(`${segment.base}.seg`).size;
    } catch {
      this.#forget(segment);
      return;
    }
    this.#bytes += valueBytes - segment.bytes;
    segment.bytes = valueBytes;
    let at = 0;
    for (; at + INDEX_RECORD_BYTES <= fresh.length; at += INDEX_RECORD_BYTES) {
      const offset = fresh.readDoubleLE(at + 32);
      const length = fresh.readUInt32LE(at + 40);
      if (offset + length > valueBytes) break; // its value is not (yet) complete: read it next time
      const id = `${segment.kind}/${fresh.toString("hex", at, at + 32)}`;
      this.#index.set(id, { segment, offset, length, expiresAt: fresh.readDoubleLE(at + 44) });
      segment.keys.add(id);
    }
    segment.indexRead += at;
  }

  #append(kind: CacheKind, entries: readonly { readonly key: StoreKey; readonly value: Uint8Array; readonly expiresAt: number }[]): void {
    let active = this.#active.get(kind);
    const incoming = entries.reduce((n, e) => n + e.value.byteLength, 0);
    if (active && active.segment.bytes > 0 && active.segment.bytes + incoming > this.#segmentBytes) {
      this.#closeActive(kind);
      active = undefined;
    }
    active ??= this.#startSegment(kind);
    const { segment } = active;
    const records = Buffer.alloc(entries.length * INDEX_RECORD_BYTES);
    let offset = segment.bytes;
    entries.forEach((entry, i) => {
      const at = i * INDEX_RECORD_BYTES;
      Buffer.from(entry.key.hash, "hex").copy(records, at, 0, 32);
      records.writeDoubleLE(offset, at + 32);
      records.writeUInt32LE(entry.value.byteLength, at + 40);
      records.writeDoubleLE(entry.expiresAt, at + 44);
      offset += entry.value.byteLength;
    });
    try {
      fs.writeSync(active.valueFd, Buffer.concat(entries.map((e) => e.value)));
      fs.writeSync(active.indexFd, records);
    } catch (error) {
      this.#logger.warn({ err: error, segment: segment.name }, "cannot write to the disk cache; values are not kept");
      this.#closeActive(kind);
      return;
    }
    offset = segment.bytes;
    for (const entry of entries) {
      const id = `${kind}/${entry.key.hash}`;
      this.#index.set(id, { segment, offset, length: entry.value.byteLength, expiresAt: entry.expiresAt });
      segment.keys.add(id);
      offset += entry.value.byteLength;
    }
    this.#bytes += incoming;
    segment.bytes += incoming;
    segment.indexRead += records.length;
  }

  #startSegment(kind: CacheKind): Active {
    const name = `${Date.now().toString(36).padStart(10, "0")}-${process.pid}-${randomBytes(3).toString("hex")}`;
    const base = path.join(this.dir, kind, name);
    const valueFd = fs.openSync(`${base}.seg`, "a", 0o600);
    const indexFd = fs.openSync(`${base}.idx`, "a", 0o600);
    const segment: Segment = { kind, base, name, indexRead: 0, bytes: 0, keys: new Set(), fd: undefined };
    this.#segments.set(base, segment);
    const active = { segment, valueFd, indexFd };
    this.#active.set(kind, active);
    return active;
  }

  #closeActive(kind: CacheKind): void {
    const active = this.#active.get(kind);
    if (!active) return;
    this.#active.delete(kind);
    fs.closeSync(active.valueFd);
    fs.closeSync(active.indexFd);
  }

  /** Deletes the oldest segments (of any kind and process) until the store is under its cap. */
  #enforceCap(): void {
    if (this.#bytes <= this.maxBytes) return;
    const oldestFirst = [...this.#segments.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const segment of oldestFirst) {
      if (this.#bytes <= this.maxBytes * 0.9) break;
      this.#evictions += segment.keys.size;
      this.#delete(segment);
    }
  }

  #delete(segment: Segment): void {
    if (this.#active.get(segment.kind)?.segment === segment) this.#closeActive(segment.kind);
    this.#forget(segment);
    fs.rmSync(`${segment.base}.seg`, { force: true });
    fs.rmSync(`${segment.base}.idx`, { force: true });
  }

  /** Drops a segment from the index (its files are gone, or about to be). */
  #forget(segment: Segment): void {
    if (!this.#segments.delete(segment.base)) return;
    if (this.#active.get(segment.kind)?.segment === segment) this.#closeActive(segment.kind);
    for (const id of segment.keys) if (this.#index.get(id)?.segment === segment) this.#index.delete(id);
    this.#bytes -= segment.bytes;
    if (segment.fd !== undefined) fs.closeSync(segment.fd);
    segment.fd = undefined;
  }

  #closeAll(): void {
    for (const kind of [...this.#active.keys()]) this.#closeActive(kind);
    for (const segment of this.#segments.values()) {
      if (segment.fd !== undefined) fs.closeSync(segment.fd);
      segment.fd = undefined;
    }
  }
}
