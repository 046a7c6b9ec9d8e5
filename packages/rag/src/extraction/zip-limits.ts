// A DOCX is a zip, and a zip can be a bomb: 873 KB that expands to 300 MB of paragraphs took the
// whole ingest (and the server) down. Before a parser sees the archive, its central directory's
// declared sizes are summed, and then every entry is inflated once with its output counted and
// dropped, stopping at the limit: an archive that lies about its sizes is caught as well.
import { ExtractionError } from "../errors";
import { inflateCounted } from "./counted-inflate";

export interface ZipLimits {
  /** Largest total of the entries' uncompressed sizes. */
  readonly maxUncompressedBytes: number;
  /** Most entries an archive may hold. */
  readonly maxEntries?: number;
}

export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024;
const DEFAULT_MAX_ENTRIES = 10_000;

interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly declaredSize: number;
  readonly localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_MARK = 0xffffffff;

function corrupt(file: string, problem: string): ExtractionError {
  return new ExtractionError("RAG_FILE_CORRUPT", file, `zip archive '${file}' is damaged (${problem})`, {
    hint: "Open and re-save the file in Word or LibreOffice, then ingest it again.",
  });
}

function tooLarge(file: string, what: string, limit: number, details: Record<string, unknown>): ExtractionError {
  return new ExtractionError("RAG_FILE_TOO_LARGE", file, `zip archive '${file}' ${what}, over the ${limit}-byte limit on decompressed content`, {
    hint: "This looks like a zip bomb; if the document is genuine, split it or raise maxUncompressedBytes in the rag config.",
    details: { maxUncompressedBytes: limit, ...details },
  });
}

/** Reads the central directory: every entry's name, method, sizes and where its data starts. */
export function readZipDirectory(file: string, bytes: Uint8Array, maxEntries = DEFAULT_MAX_ENTRIES): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw corrupt(file, "no end of central directory");
  const count = view.getUint16(eocd + 10, true);
  const size = view.getUint32(eocd + 12, true);
  const offset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || offset === ZIP64_MARK || size === ZIP64_MARK) {
    throw tooLarge(file, "uses ZIP64 (over 65,535 entries or 4 GiB)", 0, {});
  }
  if (count > maxEntries) throw tooLarge(file, `holds ${count} entries (at most ${maxEntries})`, 0, { entries: count });
  if (offset + size > eocd) throw corrupt(file, "central directory out of bounds");
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || view.getUint32(at, true) !== CENTRAL) throw corrupt(file, `central directory entry ${i} is missing`);
    const nameLength = view.getUint16(at + 28, true);
    const entry: ZipEntry = {
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      declaredSize: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
      name: Buffer.from(bytes.subarray(at + 46, at + 46 + nameLength)).toString("utf8"),
    };
    if (entry.compressedSize === ZIP64_MARK || entry.declaredSize === ZIP64_MARK || entry.localHeaderOffset === ZIP64_MARK) {
      throw tooLarge(file, `entry '${entry.name}' uses ZIP64 (4 GiB or more)`, 0, {});
    }
    entries.push(entry);
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

function dataOf(file: string, bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) throw corrupt(file, `local header of '${entry.name}' is missing`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.compressedSize > bytes.length) throw corrupt(file, `data of '${entry.name}' is cut off`);
  return bytes.subarray(start, start + entry.compressedSize);
}

/**
 * Throws RAG_FILE_TOO_LARGE when the archive declares, or actually holds, more decompressed content
 * than the limit, or when an entry inflates to more than it declares; RAG_FILE_CORRUPT when the
 * directory or the deflate data is broken.
 */
export async function assertZipWithinLimits(file: string, bytes: Uint8Array, limits: ZipLimits): Promise<void> {
  const max = limits.maxUncompressedBytes;
  const entries = readZipDirectory(file, bytes, limits.maxEntries);
  const declared = entries.reduce((sum, e) => sum + e.declaredSize, 0);
  if (declared > max) throw tooLarge(file, `declares ${declared} bytes of content`, max, { declaredBytes: declared });
  let actual = 0;
  for (const entry of entries) {
    const data = dataOf(file, bytes, entry);
    let size: number;
    if (entry.method === 0) size = data.length;
    else if (entry.method === 8) {
      try {
        size = (await inflateCounted(data, Math.min(entry.declaredSize, max - actual), { raw: true, onError: "reject" })).size;
      } catch (error) {
        throw corrupt(file, `'${entry.name}' does not inflate: ${(error as Error).message}`);
      }
    } else continue; // the parser refuses methods it does not know
    if (size > entry.declaredSize) {
      throw tooLarge(file, `entry '${entry.name}' inflates to more than the ${entry.declaredSize} bytes it declares`, max, { entry: entry.name, declaredBytes: entry.declaredSize });
    }
    actual += size;
    if (actual > max) throw tooLarge(file, `expands to more than ${max} bytes`, max, {});
  }
}
