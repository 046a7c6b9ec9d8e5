// Hostile files, generated at run time (nothing big is committed): zip and flate bombs built from
// one compressed block repeated, so a 300 MB expansion costs a few hundred KB and milliseconds.
import zlib from "node:zlib";

/** Raw deflate data that inflates to `repeat` copies of `block`, and the CRC-32 of that output. */
export function repeatedDeflate(block: Buffer, repeat: number): { data: Buffer; crc: number } {
  // Each copy is a complete, non-final deflate block with no back-references across copies.
  const one = zlib.deflateRawSync(block, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const last = zlib.deflateRawSync(Buffer.alloc(0));
  let crc = 0;
  for (let i = 0; i < repeat; i++) crc = zlib.crc32(block, crc);
  return { data: Buffer.concat([...Array.from({ length: repeat }, () => one), last]), crc };
}

interface ZipPart {
  readonly name: string;
  readonly data: Buffer;
  readonly method: 0 | 8;
  readonly crc: number;
  readonly size: number;
}

/** A zip archive of the given parts; `size` is what each part declares. */
export function zipOf(parts: readonly ZipPart[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(part.method, 8);
    local.writeUInt32LE(part.crc >>> 0, 14);
    local.writeUInt32LE(part.data.length, 18);
    local.writeUInt32LE(part.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(part.method, 10);
    central.writeUInt32LE(part.crc >>> 0, 16);
    central.writeUInt32LE(part.data.length, 20);
    central.writeUInt32LE(part.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, part.data);
    centrals.push(central, name);
    offset += 30 + name.length + part.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, end]));
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

const stored = (name: string, text: string): ZipPart => {
  const data = Buffer.from(text, "utf8");
  return { name, data, method: 0, crc: zlib.crc32(data), size: data.length };
};

/**
 * A DOCX whose document.xml is `megabytes` MB of paragraphs, deflated (a few hundred KB).
 * With `declaredSize`, the archive lies about the uncompressed size of document.xml.
 */
export function docxBomb(megabytes: number, options: { declaredSize?: number } = {}): Uint8Array {
  const paragraph = "<w:p><w:r><w:t>The Supplier shall indemnify the Customer against all losses. </w:t></w:r></w:p>";
  const block = Buffer.from(paragraph.repeat(Math.ceil((1024 * 1024) / paragraph.length)).slice(0, 1024 * 1024), "utf8");
  const head = Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>');
  const tail = Buffer.from("</w:body></w:document>");
  // Head, megabytes × block, tail: three raw-deflate pieces joined (the first two not final).
  const flush = { finishFlush: zlib.constants.Z_FULL_FLUSH };
  const body = repeatedDeflate(block, megabytes);
  const data = Buffer.concat([zlib.deflateRawSync(head, flush), body.data.subarray(0, body.data.length - zlib.deflateRawSync(Buffer.alloc(0)).length), zlib.deflateRawSync(tail)]);
  let crc = zlib.crc32(head);
  for (let i = 0; i < megabytes; i++) crc = zlib.crc32(block, crc);
  crc = zlib.crc32(tail, crc);
  const size = head.length + megabytes * block.length + tail.length;
  return zipOf([stored("[Content_Types].xml", CONTENT_TYPES), stored("_rels/.rels", RELS), { name: "word/document.xml", data, method: 8, crc, size: options.declaredSize ?? size }]);
}

/** A one-page PDF whose content stream is a FlateDecode bomb of `megabytes` MB of spaces. */
export function pdfFlateBomb(megabytes: number): Uint8Array {
  return pdfBomb("plain", megabytes);
}

/** How a bomb's content stream names its filters: each a spelling pdf.js decodes. */
export type PdfBombVariant =
  | "plain" | "hex" | "ascii85" | "decode-parms" | "filter-ref" | "escaped-name" | "lzw" | "run-length" | "unreadable-ref"
  | "f-key" | "escaped-key" | "array-of-refs" | "comment-in-dict" | "junk-after-stream" | "comment-before-stream" | "object-stream-ref" | "redefined-ref"
  | "comment-in-header" | "hidden-definition" | "deep-reference";
export const PDF_BOMB_VARIANTS: readonly PdfBombVariant[] = [
  "plain", "hex", "ascii85", "decode-parms", "filter-ref", "escaped-name", "lzw", "run-length", "unreadable-ref",
  "f-key", "escaped-key", "array-of-refs", "comment-in-dict", "junk-after-stream", "comment-before-stream", "object-stream-ref", "redefined-ref",
  "comment-in-header",
];

/** A one-page PDF whose content stream decodes to `megabytes` MB of spaces, its filters spelled as `variant` says. */
export function pdfBomb(variant: PdfBombVariant, megabytes: number): Uint8Array {
  // A line of text, so that pdf.js finds a text layer, then spaces.
  const text = Buffer.from("BT /F1 12 Tf 72 720 Td (Notices shall be in writing.) Tj ET\n");
  const content = (): Buffer => Buffer.concat([text, Buffer.alloc(megabytes * 1024 * 1024 - text.length, 0x20)]);
  const zlibStream = (): Buffer => {
    if (megabytes <= 64) return zlib.deflateSync(content());
    const { data } = repeatedDeflate(Buffer.alloc(1024 * 1024, 0x20), megabytes);
    // A zlib (not raw) stream is what /FlateDecode expects: header, raw data, Adler-32 (left 0: pdf.js does not check it).
    return Buffer.concat([Buffer.from([0x78, 0x9c]), data, Buffer.alloc(4)]);
  };
  let stream: Buffer;
  let filter: string;
  const extra: string[] = [];
  switch (variant) {
    case "hex":
      stream = Buffer.from(`${zlibStream().toString("hex")}>`);
      filter = "/Filter [/ASCIIHexDecode /FlateDecode]";
      break;
    case "ascii85":
      stream = Buffer.from(`${ascii85(zlibStream())}~>`);
      filter = "/Filter [/A85 /Fl]";
      break;
    case "decode-parms":
      stream = zlibStream();
      filter = "/Filter /FlateDecode /DecodeParms << /Predictor 1 >>";
      break;
    case "filter-ref":
      stream = zlibStream();
      filter = "/Filter 5 0 R";
      extra.push("/FlateDecode");
      break;
    case "escaped-name":
      stream = zlibStream();
      filter = "/Filter /Fla#74eDecode";
      break;
    case "lzw":
      stream = lzwEncode(content());
      filter = "/Filter /LZWDecode";
      break;
    case "run-length":
      // the text as one literal run, then runs of 128 spaces
      stream = Buffer.concat([Buffer.from([text.length - 1]), text, Buffer.alloc(((megabytes * 1024 * 1024) / 128) * 2).map((_, i) => (i % 2 === 0 ? 0x81 : 0x20)), Buffer.from([0x80])]);
      filter = "/Filter /RL";
      break;
    case "unreadable-ref":
      stream = zlibStream();
      filter = "/Filter 9 0 R"; // no such object anywhere
      break;
    case "f-key":
      stream = zlibStream();
      filter = "/F /FlateDecode"; // pdf.js reads dict.get("F", "Filter") for every stream
      break;
    case "escaped-key":
      stream = zlibStream();
      filter = "/Filt#65r /FlateDecode";
      break;
    case "array-of-refs":
      stream = zlibStream();
      filter = "/Filter [5 0 R]";
      extra.push("/FlateDecode");
      break;
    case "comment-in-dict":
      stream = zlibStream();
      filter = "/Filter %a comment\n/FlateDecode";
      break;
    case "junk-after-stream":
    case "comment-before-stream":
    case "comment-in-header":
      stream = zlibStream();
      filter = "/Filter /FlateDecode";
      break;
    case "object-stream-ref": {
      // the filter name is object 6, stored inside a compressed object stream (object 5)
      stream = zlibStream();
      filter = "/Filter 6 0 R";
      const held = "/FlateDecode";
      const body = zlib.deflateSync(Buffer.from(`6 0 ${held}`));
      extra.push(`<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${body.length} >>\nstream\n${body.toString("latin1")}\nendstream`);
      break;
    }
    case "redefined-ref":
      // object 5 defined twice: a file's xref picks which one pdf.js reads, so the guard must measure both
      stream = zlibStream();
      filter = "/Filter 5 0 R";
      extra.push("/FlateDecode", "/DCTDecode");
      break;
    case "hidden-definition":
      // object 5 defined 17 times, the xref naming the last: past the guard's 16 definitions per object
      stream = zlibStream();
      filter = "/Filter 5 0 R";
      extra.push(...Array.from({ length: 16 }, () => "/DCTDecode"), "/FlateDecode");
      break;
    case "deep-reference":
      // object 5 defined twice, the xref naming the second: a reference into a chain of 65 more
      stream = zlibStream();
      filter = "/Filter 5 0 R";
      extra.push("/DCTDecode", "6 0 R", ...Array.from({ length: 64 }, (_x, i) => `${7 + i} 0 R`), "/FlateDecode");
      break;
    default:
      stream = zlibStream();
      filter = "/Filter /FlateDecode";
  }
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const add = (b: Buffer): void => {
    parts.push(b);
    length += b.length;
  };
  add(Buffer.from("%PDF-1.7\n"));
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
  ];
  objects.forEach((o, i) => {
    offsets.push(length);
    add(Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`));
  });
  offsets.push(length);
  const keyword = variant === "junk-after-stream" ? "stream  junk\n" : variant === "comment-before-stream" ? "%a comment\nstream\n" : "stream\n";
  add(Buffer.from(`${variant === "comment-in-header" ? "4 %a comment\n0 obj" : "4 0 obj"}\n<< /Length ${stream.length} ${filter} >>\n${keyword}`));
  add(stream);
  add(Buffer.from("\nendstream\nendobj\n"));
  // Which object each extra body defines, and whether the xref names that definition.
  const placement = (i: number): { number: number; inXref: boolean } => {
    if (variant === "redefined-ref") return { number: 5, inXref: i === 0 };
    if (variant === "hidden-definition") return { number: 5, inXref: i === extra.length - 1 };
    if (variant === "deep-reference") return i < 2 ? { number: 5, inXref: i === 1 } : { number: 4 + i, inXref: true };
    return { number: 5 + i, inXref: true };
  };
  extra.forEach((o, i) => {
    const { number, inXref } = placement(i);
    if (inXref) offsets.push(length);
    add(Buffer.from(`${number} 0 obj\n${o}\nendobj\n`, "latin1"));
  });
  const xref = length;
  const count = offsets.length + 1;
  add(Buffer.from(`xref\n0 ${count}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(parts));
}

/** ASCII85 text of `data` (no "z" shortcut). */
export function ascii85(data: Uint8Array): string {
  let out = "";
  for (let i = 0; i < data.length; i += 4) {
    const chunk = [0, 1, 2, 3].map((k) => data[i + k] ?? 0);
    let value = ((chunk[0] ?? 0) * 2 ** 24 + ((chunk[1] ?? 0) << 16) + ((chunk[2] ?? 0) << 8) + (chunk[3] ?? 0)) >>> 0;
    const digits: string[] = [];
    for (let k = 0; k < 5; k++) {
      digits.unshift(String.fromCharCode(0x21 + (value % 85)));
      value = Math.floor(value / 85);
    }
    out += digits.slice(0, Math.min(5, data.length - i + 1)).join("");
  }
  return out;
}

/** An LZW encoder (9–12-bit codes, EarlyChange 1), as PDF writers produce it. */
export function lzwEncode(data: Uint8Array): Buffer {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  let width = 9;
  const emit = (code: number): void => {
    buffer = (buffer << width) | code;
    bits += width;
    while (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  };
  // the table maps (code of the string so far, next byte) to the code of the longer string
  let table = new Map<number, number>();
  let next = 258;
  emit(256);
  let w = -1;
  for (const byte of data) {
    if (w < 0) {
      w = byte;
      continue;
    }
    const known = table.get(w * 256 + byte);
    if (known !== undefined) {
      w = known;
      continue;
    }
    emit(w);
    table.set(w * 256 + byte, next++);
    // the decoder adds its entries one code later, and switches width one code early (EarlyChange 1)
    if (next >= 1 << width && width < 12) width++;
    if (next >= 4095) {
      emit(256);
      table = new Map();
      next = 258;
      width = 9;
    }
    w = byte;
  }
  if (w >= 0) emit(w);
  emit(257);
  if (bits > 0) out.push((buffer << (8 - bits)) & 0xff);
  return Buffer.from(out);
}

/** A TIFF entry: tag, field type (3 SHORT, 4 LONG, 5 RATIONAL …), values; `count` overrides the count written. */
export interface TiffEntry {
  readonly tag: number;
  readonly type: number;
  readonly values: readonly number[];
  readonly count?: number;
}

/**
 * A little-endian TIFF built entry by entry, for files no encoder writes: one directory per page,
 * `strips` appended after the directories (a LONG value of `{ strip: i }` is not supported: pass the
 * offsets `tiffStripAt` returns), and `nextOf` to make the last directory point anywhere.
 */
export function tiffFile(pages: readonly (readonly TiffEntry[])[], strips: readonly Uint8Array[] = [], options: { lastNext?: number } = {}): Uint8Array {
  const size = (type: number): number => ({ 3: 2, 4: 4, 5: 8 })[type] ?? 1;
  const directoryBytes = (entries: readonly TiffEntry[]): number => 2 + entries.length * 12 + 4;
  let at = 8;
  const directoryAt = pages.map((entries) => {
    const here = at;
    at += directoryBytes(entries);
    return here;
  });
  // Values longer than 4 bytes go after the directories, then the strips.
  const outOfLine: { at: number; entry: TiffEntry }[] = [];
  for (const entries of pages) {
    for (const entry of entries) {
      if (entry.values.length * size(entry.type) > 4) {
        outOfLine.push({ at, entry });
        at += entry.values.length * size(entry.type);
      }
    }
  }
  const stripStart = at;
  const out = new Uint8Array(at + strips.reduce((sum, strip) => sum + strip.length, 0));
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  view.setUint32(4, 8, true);
  const write = (offset: number, type: number, values: readonly number[]): void => {
    values.forEach((value, i) => {
      if (type === 3) view.setUint16(offset + i * 2, value, true);
      else if (type === 4) view.setUint32(offset + i * 4, value, true);
      else if (type === 5) {
        view.setUint32(offset + i * 8, value, true);
        view.setUint32(offset + i * 8 + 4, 1, true);
      } else out[offset + i] = value;
    });
  };
  pages.forEach((entries, p) => {
    const directory = directoryAt[p]!;
    view.setUint16(directory, entries.length, true);
    entries.forEach((entry, e) => {
      const field = directory + 2 + e * 12;
      view.setUint16(field, entry.tag, true);
      view.setUint16(field + 2, entry.type, true);
      view.setUint32(field + 4, entry.count ?? entry.values.length, true);
      const placed = outOfLine.find((o) => o.entry === entry);
      if (placed) {
        view.setUint32(field + 8, placed.at, true);
        write(placed.at, entry.type, entry.values);
      } else write(field + 8, entry.type, entry.values);
    });
    const next = p + 1 < pages.length ? directoryAt[p + 1]! : (options.lastNext ?? 0);
    view.setUint32(directory + 2 + entries.length * 12, next, true);
  });
  let stripAt = stripStart;
  for (const strip of strips) {
    out.set(strip, stripAt);
    stripAt += strip.length;
  }
  return out;
}

/** Where strip `index` of a `tiffFile` with these pages starts (strips follow the directories and long values). */
export function tiffStripAt(pages: readonly (readonly TiffEntry[])[], strips: readonly Uint8Array[], index: number): number {
  const empty = tiffFile(pages, []);
  return empty.length + strips.slice(0, index).reduce((sum, strip) => sum + strip.length, 0);
}

/** The entries of a one-strip gray page (`compression` 1 none, 5 LZW, 7 JPEG, 8 Deflate) whose strip is at `stripAt`. */
export function grayPage(width: number, height: number, options: { compression?: number; stripAt?: number; stripBytes?: number; extra?: readonly TiffEntry[] } = {}): TiffEntry[] {
  return [
    { tag: 256, type: 4, values: [width] },
    { tag: 257, type: 4, values: [height] },
    { tag: 258, type: 3, values: [8] },
    { tag: 259, type: 3, values: [options.compression ?? 1] },
    { tag: 262, type: 3, values: [1] },
    { tag: 273, type: 4, values: [options.stripAt ?? 0] },
    { tag: 277, type: 3, values: [1] },
    { tag: 278, type: 4, values: [height] },
    { tag: 279, type: 4, values: [options.stripBytes ?? width * height] },
    ...(options.extra ?? []),
  ];
}

/**
 * A one-page 1-bit fax TIFF (CCITT Group 4) whose strip is `bytes` zero bytes: a code word no table
 * holds. utif2's fax decoder appends each bit read to its code word as a string and looks the word up
 * again, so its CPU grows with the square of the strip (8 KB: ~3 s; 16 KB: ~11 s), at a size the static
 * bounds accept (a 100×1 page, one strip inside the file). With `pages`, every page is such a page.
 */
export function faxLoopTiff(bytes: number, pages = 1): Uint8Array {
  const strip = new Uint8Array(bytes);
  const page = (stripAt: number): TiffEntry[] => [
    { tag: 256, type: 4, values: [100] },
    { tag: 257, type: 4, values: [1] },
    { tag: 258, type: 3, values: [1] },
    { tag: 259, type: 3, values: [4] },
    { tag: 262, type: 3, values: [0] },
    { tag: 273, type: 4, values: [stripAt] },
    { tag: 277, type: 3, values: [1] },
    { tag: 278, type: 4, values: [1] },
    { tag: 279, type: 4, values: [strip.length] },
  ];
  // Every page reads the same strip.
  const at = tiffStripAt(Array.from({ length: pages }, () => page(0)), [strip], 0);
  return tiffFile(Array.from({ length: pages }, () => page(at)), [strip]);
}

/** One PNG chunk: its length, type, data and CRC. */
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG of this size, bit depth, colour type and interlace method, with `idat` as its image data. */
export function pngWithData(width: number, height: number, bitDepth: number, colourType: number, idat: Buffer, interlace = 0): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = bitDepth;
  header[9] = colourType;
  header[12] = interlace;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([signature, pngChunk("IHDR", header), pngChunk("IDAT", idat), pngChunk("IEND", Buffer.alloc(0))]));
}

/** A PNG whose IHDR declares this size, bit depth and colour type, with one tiny IDAT (its pixels are not the point). */
export function pngHeaderOnly(width: number, height: number, bitDepth: number, colourType: number): Uint8Array {
  return pngWithData(width, height, bitDepth, colourType, zlib.deflateSync(Buffer.alloc(64)));
}

/** A one-page PDF whose objects 4.. are `objects` (object 4 the page's content stream, object 5 its image /Im1, when given). */
export function onePagePdf(objects: readonly Buffer[]): Uint8Array {
  const image = objects.length > 1;
  const all: Buffer[] = [
    Buffer.from("<< /Type /Catalog /Pages 2 0 R >>"),
    Buffer.from("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
    Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R${image ? " /Resources << /XObject << /Im1 5 0 R >> >>" : ""} >>`),
    ...objects,
  ];
  const parts: Buffer[] = [Buffer.from("%PDF-1.7\n")];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  all.forEach((body, i) => {
    offsets.push(length);
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from("\nendobj\n")]);
    parts.push(obj);
    length += obj.length;
  });
  const xref = `xref\n0 ${all.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${all.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(parts));
}

const streamObject = (entries: string, data: Buffer): Buffer => Buffer.concat([Buffer.from(`<< ${entries} /Length ${data.length} >>\nstream\n`), data, Buffer.from("\nendstream")]);

/**
 * A page whose drawing runs long: `operations` small filled rectangles (a few hundred KB of flate,
 * well under every stream limit), each a path pdf.js builds and Skia fills.
 */
export function pdfSlowPage(operations: number): Uint8Array {
  const ops = Array.from({ length: 1000 }, (_x, i) => `${i % 600} ${(i * 7) % 780} 3 3 re f\n`).join("");
  const content = Buffer.from(ops.repeat(Math.ceil(operations / 1000)));
  return onePagePdf([streamObject("/Filter /FlateDecode", zlib.deflateSync(content))]);
}

/**
 * A page drawing a 100×100 JBIG2 image whose own page-information segment declares `side`×`side`
 * pixels, white by default: pdf.js allocates and fills side²/8 bytes for it. The static guard reads
 * the image's /Width and /Height (10,000 pixels) and does not model JBIG2 segments.
 */
export function pdfJbig2PageBomb(side: number): Uint8Array {
  const pageInfo = Buffer.alloc(11 + 19);
  pageInfo.writeUInt32BE(0, 0); // segment number
  pageInfo[4] = 48; // page information
  pageInfo[6] = 1; // page association
  pageInfo.writeUInt32BE(19, 7); // data length
  pageInfo.writeUInt32BE(side, 11); // width
  pageInfo.writeUInt32BE(side, 15); // height
  pageInfo[27] = 0x04; // flags: default pixel value 1
  const endOfPage = Buffer.alloc(11);
  endOfPage.writeUInt32BE(1, 0);
  endOfPage[4] = 49;
  endOfPage[6] = 1;
  const image = streamObject("/Type /XObject /Subtype /Image /Width 100 /Height 100 /ImageMask true /BitsPerComponent 1 /Filter /JBIG2Decode", Buffer.concat([pageInfo, endOfPage]));
  return onePagePdf([streamObject("", Buffer.from("q 612 0 0 792 0 0 cm /Im1 Do Q\n")), image]);
}
