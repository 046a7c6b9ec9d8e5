// Reading a TIFF's page directories (IFDs) with every count and offset checked against the file, so a
// hostile file cannot make the reader loop or allocate: utif2's own reader follows the next-directory
// chain with no cycle check and pushes as many values as an entry's count claims, so a 38-byte file
// whose directory names itself as the next one grows memory until the process dies. utif2 is still
// what decodes a page's pixels, from the directory read here.
import { OcrError } from "../../errors";

/** One page directory as utif2's decoder expects it: `t<tag>` → values (numbers, `[num, den]` rationals, bytes or `[text]`). */
export type TiffDirectory = Record<string, unknown>;

export interface TiffFile {
  readonly littleEndian: boolean;
  /** Offsets of the directories that describe an image (they have a width and a height), in page order. */
  readonly pageOffsets: readonly number[];
}

// Bytes per value of each TIFF field type (1 BYTE, 2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL, 6 SBYTE, 7 UNDEFINED,
// 8 SSHORT, 9 SLONG, 10 SRATIONAL, 11 FLOAT, 12 DOUBLE, 13 IFD).
const TYPE_SIZES: readonly number[] = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];
// The tags utif2's decoder and the page bound read (size, samples, compression, photometric, fill order,
// make, strips, resolution, planar, fax options, unit, predictor, palette, tiles, extra samples, sample
// format, JPEG tables, subsampling). Every other tag is skipped unread: sub-images, EXIF and maker notes too.
const DECODER_TAGS = new Set([256, 257, 258, 259, 262, 266, 271, 273, 277, 278, 279, 282, 283, 284, 292, 296, 317, 320, 322, 323, 324, 325, 338, 339, 347, 530]);
/** More directories than this (pages, thumbnails, empty ones) is not a scan: 5 for each of 2,000 pages. */
export const MAX_TIFF_DIRECTORIES = 10_000;

function damaged(reason: string): OcrError {
  return new OcrError("RAG_OCR_PAGE_FAILED", `the TIFF file could not be parsed: ${reason}`, { hint: "The file is damaged; re-export it." });
}

/**
 * The page directories of a classic TIFF. A directory chain that loops, a directory outside the file,
 * or more directory entries than the file could hold is damage; the chain's end is the first zero (or
 * unreadable) next-directory offset, as utif2 reads it.
 */
export function readTiffFile(bytes: Uint8Array): TiffFile {
  if (bytes.length < 8) throw damaged("it is shorter than a TIFF header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const littleEndian = bytes[0] === 0x49;
  const magic = view.getUint16(2, littleEndian);
  if (magic === 43) throw damaged("BigTIFF files are not supported (save the scan as a classic TIFF, PDF or PNG)");
  if (magic !== 42) throw damaged("its header is not a TIFF header");
  const pageOffsets: number[] = [];
  const seen = new Set<number>();
  // Every entry read costs 12 bytes of the file; legitimate directories never overlap, so the total
  // entries read cannot exceed the file's length / 12 (plus the headers' slack).
  let entryBudget = Math.floor(bytes.length / 12) + 64;
  let offset = view.getUint32(4, littleEndian);
  if (offset < 8 || offset + 2 > bytes.length) throw damaged("its first page directory lies outside the file");
  while (offset !== 0) {
    if (seen.has(offset)) throw damaged("its page directories form a loop");
    if (seen.size >= MAX_TIFF_DIRECTORIES) throw damaged(`it has more than ${MAX_TIFF_DIRECTORIES} directories`);
    seen.add(offset);
    const count = view.getUint16(offset, littleEndian);
    const end = offset + 2 + count * 12;
    entryBudget -= count + 1; // an empty directory still costs its 6 bytes
    if (end + 4 > bytes.length) throw damaged("a page directory runs past the end of the file");
    if (entryBudget < 0) throw damaged("it has more directories than its size can hold (they overlap)");
    // utif2 stops at a directory whose first entry has an unknown type; so does this reader.
    const firstType = count > 0 ? view.getUint16(offset + 4, littleEndian) : 1;
    if (firstType < 1 || firstType > 13) break;
    let hasWidth = false;
    let hasHeight = false;
    for (let entry = offset + 2; entry < end; entry += 12) {
      const tag = view.getUint16(entry, littleEndian);
      if (tag === 256) hasWidth = true;
      else if (tag === 257) hasHeight = true;
    }
    if (hasWidth && hasHeight) pageOffsets.push(offset);
    const next = view.getUint32(end, littleEndian);
    if (next !== 0 && (next < 8 || next + 2 > bytes.length)) break; // a dangling last pointer: the pages before it stand
    offset = next;
  }
  return { littleEndian, pageOffsets };
}

/**
 * The decoder's entries of the directory at `offset` (checked by `readTiffFile`): every value range
 * inside the file, and all of them together no larger than the file (values of a sound file do not
 * overlap; entries all pointing at the same megabyte would otherwise be read over and over).
 */
export function readTiffDirectory(bytes: Uint8Array, file: TiffFile, offset: number): TiffDirectory {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = file.littleEndian;
  const count = view.getUint16(offset, le);
  const directory: TiffDirectory = {};
  let valueBytes = 0;
  for (let entry = offset + 2; entry < offset + 2 + count * 12; entry += 12) {
    const tag = view.getUint16(entry, le);
    const type = view.getUint16(entry + 2, le);
    const n = view.getUint32(entry + 4, le);
    const size = TYPE_SIZES[type] ?? 0;
    if (size === 0 || !DECODER_TAGS.has(tag)) continue;
    const length = size * n;
    const at = length <= 4 ? entry + 8 : view.getUint32(entry + 8, le);
    if (at + length > bytes.length) throw damaged(`the values of tag ${tag} run past the end of the file`);
    valueBytes += length;
    if (valueBytes > bytes.length) throw damaged("its entries' values overlap");
    directory[`t${tag}`] = readValues(bytes, view, le, type, at, n);
  }
  return directory;
}

function readValues(bytes: Uint8Array, view: DataView, le: boolean, type: number, at: number, n: number): unknown {
  switch (type) {
    case 1:
    case 6:
    case 7:
      return bytes.subarray(at, at + n);
    case 2: {
      const text = bytes.subarray(at, at + n);
      const nul = text.indexOf(0);
      return [String.fromCharCode(...text.subarray(0, nul < 0 ? Math.min(n, 4096) : Math.min(nul, 4096)))];
    }
    case 5:
    case 10: {
      const values: [number, number][] = [];
      for (let i = 0; i < n; i++) {
        const o = at + i * 8;
        values.push(type === 5 ? [view.getUint32(o, le), view.getUint32(o + 4, le)] : [view.getInt32(o, le), view.getInt32(o + 4, le)]);
      }
      return values;
    }
    default: {
      const values: number[] = new Array<number>(n);
      for (let i = 0; i < n; i++) {
        if (type === 3) values[i] = view.getUint16(at + i * 2, le);
        else if (type === 8) values[i] = view.getInt16(at + i * 2, le);
        else if (type === 4 || type === 13) values[i] = view.getUint32(at + i * 4, le);
        else if (type === 9) values[i] = view.getInt32(at + i * 4, le);
        else if (type === 11) values[i] = view.getFloat32(at + i * 4, le);
        else values[i] = view.getFloat64(at + i * 8, le);
      }
      return values;
    }
  }
}
