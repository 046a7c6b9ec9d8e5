import type { JsonValue } from "@bear/workflow-engine";
import { InvalidArgumentError } from "@bear/core";
import { AgentError } from "../errors";

export interface WorkingMemoryOptions {
  /** Most entries kept; the least recently used is dropped beyond it (default 64). */
  readonly maxEntries?: number;
  /** Most bytes (UTF-8 JSON) kept in total (default 1 MiB). */
  readonly maxBytes?: number;
}

/**
 * The bounded context an agent carries between the tasks of one run: JSON values by key, least
 * recently used dropped first when either bound is reached. Its values may be document text, so
 * it is never serialised whole: `toJSON()` gives sizes only.
 */
export class WorkingMemory {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly #entries = new Map<string, { value: JsonValue; bytes: number }>();
  #bytes = 0;

  constructor(options: WorkingMemoryOptions = {}) {
    this.maxEntries = options.maxEntries ?? 64;
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) throw new InvalidArgumentError("memory maxEntries", this.maxEntries, "a positive integer");
    if (!Number.isInteger(this.maxBytes) || this.maxBytes < 1) throw new InvalidArgumentError("memory maxBytes", this.maxBytes, "a positive integer");
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Stores a copy of `value`; returns the keys evicted to make room. */
  set(key: string, value: JsonValue): string[] {
    const text = JSON.stringify(value);
    const bytes = Buffer.byteLength(text ?? "null") + Buffer.byteLength(key);
    if (bytes > this.maxBytes) {
      throw new AgentError("MEMORY_ENTRY_TOO_LARGE", `working-memory entry '${key}' is ${bytes} bytes, more than the memory's limit of ${this.maxBytes}`, {
        hint: "Keep references or summaries in working memory, not whole documents; or raise memory.maxBytes.",
        details: { key, bytes, maxBytes: this.maxBytes },
      });
    }
    this.delete(key);
    this.#entries.set(key, { value: JSON.parse(text ?? "null") as JsonValue, bytes });
    this.#bytes += bytes;
    const evicted: string[] = [];
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.maxEntries && this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
      evicted.push(oldest);
    }
    return evicted;
  }

  /** The value (and marks it recently used), or undefined. */
  get(key: string): JsonValue | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  delete(key: string): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
    return true;
  }

  keys(): string[] {
    return [...this.#entries.keys()];
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  toJSON(): { entries: number; bytes: number; maxEntries: number; maxBytes: number } {
    return { entries: this.size, bytes: this.#bytes, maxEntries: this.maxEntries, maxBytes: this.maxBytes };
  }
}
