// The PDF stream filters the decompression-bomb guard (pdf-limits.ts) decodes or measures, as PDF 32000-1
// §7.4 defines them and pdf.js reads them (lenient: stray characters are skipped, a missing end marker ends the data).

/** ASCIIHexDecode: hex digit pairs up to ">", whitespace ignored, an odd last digit padded with 0. */
export function decodeAsciiHex(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / 2));
  let n = 0;
  let high = -1;
  for (const byte of data) {
    if (byte === 0x3e) break; // ">"
    const digit = byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : byte >= 0x41 && byte <= 0x46 ? byte - 0x37 : byte >= 0x61 && byte <= 0x66 ? byte - 0x57 : -1;
    if (digit < 0) continue;
    if (high < 0) high = digit;
    else {
      out[n++] = (high << 4) | digit;
      high = -1;
    }
  }
  if (high >= 0) out[n++] = high << 4;
  return out.subarray(0, n);
}

/** ASCII85Decode: groups of five characters "!".."u" to four bytes, "z" for four zeros, up to "~>". */
export function decodeAscii85(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil((data.length * 4) / 5) + 4 * data.length); // "z" expands 1 → 4
  let n = 0;
  let group = 0;
  let count = 0;
  for (const byte of data) {
    if (byte === 0x7e) break; // "~"
    if (byte === 0x7a && count === 0) {
      n += 4; // out is zero-filled
      continue;
    }
    if (byte < 0x21 || byte > 0x75) continue;
    group = group * 85 + (byte - 0x21);
    if (++count === 5) {
      out[n++] = (group >>> 24) & 0xff;
      out[n++] = (group >>> 16) & 0xff;
      out[n++] = (group >>> 8) & 0xff;
      out[n++] = group & 0xff;
      group = 0;
      count = 0;
    }
  }
  if (count > 1) {
    for (let i = count; i < 5; i++) group = group * 85 + 84;
    for (let i = 0; i < count - 1; i++) out[n++] = (group >>> (24 - 8 * i)) & 0xff;
  }
  return out.subarray(0, n);
}

/**
 * LZWDecode's output length (codes of 9 to 12 bits, 256 clears, 257 ends, EarlyChange 1 as pdf.js
 * defaults), counted without building the output; stops once past `limit`.
 */
export function lzwDecodedSize(data: Uint8Array, limit: number): number {
  const lengths = new Int32Array(4096); // the length of each table entry's string
  let next = 258;
  let width = 9;
  let previous = -1;
  let size = 0;
  let bits = 0;
  let buffer = 0;
  for (const byte of data) {
    buffer = ((buffer << 8) | byte) & 0xffffff;
    bits += 8;
    while (bits >= width) {
      const code = (buffer >>> (bits - width)) & ((1 << width) - 1);
      bits -= width;
      if (code === 256) {
        next = 258;
        width = 9;
        previous = -1;
        continue;
      }
      if (code === 257) return size;
      let length: number;
      if (code < 256) length = 1;
      else if (code < next) length = lengths[code] ?? 0;
      else if (code === next && previous >= 0) length = (previous < 256 ? 1 : (lengths[previous] ?? 0)) + 1;
      else return size; // a code not yet defined: pdf.js stops there too
      size += length;
      if (size > limit) return size;
      if (previous >= 0 && next < 4096) {
        lengths[next] = (previous < 256 ? 1 : (lengths[previous] ?? 0)) + 1;
        next++;
        if (next + 1 >= 1 << width && width < 12) width++; // EarlyChange 1
      }
      previous = code;
    }
  }
  return size;
}

/** RunLengthDecode's output length: a length byte 0–127 copies n+1 bytes, 129–255 repeats one byte 257−n times, 128 ends. */
export function runLengthDecodedSize(data: Uint8Array, limit: number): number {
  let size = 0;
  let i = 0;
  while (i < data.length) {
    const length = data[i] ?? 128;
    if (length === 128) break;
    if (length < 128) {
      size += length + 1;
      i += length + 2;
    } else {
      size += 257 - length;
      i += 2;
    }
    if (size > limit) return size;
  }
  return size;
}
