// The training caches' file format (tmp/clause-cv-cache/): a JSON header and named typed arrays,
// written whole or not at all (a temporary file renamed into place), so a process reading the cache
// beside the one filling it never sees half of a file.
import fs from "node:fs";
import path from "node:path";
import { writeFileAtomicSync } from "@bear/core";
import { TrainingError } from "./training-options";

export type BundleArray = Float32Array | Int32Array | Uint8Array;

const CONSTRUCTORS = { Float32Array, Int32Array, Uint8Array } as const;
type ArraySpec = { name: string; type: keyof typeof CONSTRUCTORS; bytes: number };

/** Layout: uint32 LE header length, the header as JSON (with an `arrays` list of name, type and bytes), then each array's bytes. */
export function writeArrayBundle(file: string, header: object, arrays: Readonly<Record<string, BundleArray>>): void {
  const specs: ArraySpec[] = Object.entries(arrays).map(([name, a]) => ({ name, type: a.constructor.name as ArraySpec["type"], bytes: a.byteLength }));
  const json = Buffer.from(JSON.stringify({ ...header, arrays: specs }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomicSync(file, Buffer.concat([len, json, ...Object.values(arrays).map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))]), { mode: 0o644 });
}

/** Reads what writeArrayBundle wrote; a file cut short, too long or not of this format is refused with a TrainingError. */
export function readArrayBundle<H extends object>(file: string): { header: H; arrays: Record<string, BundleArray> } {
  const buf = fs.readFileSync(file);
  const refuse = (why: string) => new TrainingError(`training cache ${file} ${why}`, `Delete ${file} and run again: it is then recomputed and cached whole.`, { file });
  const n = buf.length >= 4 ? buf.readUInt32LE(0) : -1;
  if (n < 0 || 4 + n > buf.length) throw refuse(`is ${buf.length} bytes, shorter than its header`);
  let header: H & { arrays?: ArraySpec[] };
  try {
    header = JSON.parse(buf.subarray(4, 4 + n).toString("utf8")) as H & { arrays?: ArraySpec[] };
  } catch {
    throw refuse("has a header that is not JSON");
  }
  const specs = header.arrays;
  if (!Array.isArray(specs) || specs.some((s) => !(s.type in CONSTRUCTORS) || !Number.isInteger(s.bytes) || s.bytes < 0)) throw refuse("lists no valid arrays");
  const expected = 4 + n + specs.reduce((s, a) => s + a.bytes, 0);
  if (buf.length !== expected) throw refuse(`is ${buf.length} bytes, not the ${expected} its header gives`);
  const arrays: Record<string, BundleArray> = {};
  let at = 4 + n;
  for (const spec of specs) {
    arrays[spec.name] = new CONSTRUCTORS[spec.type](buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + spec.bytes));
    at += spec.bytes;
  }
  return { header, arrays };
}
