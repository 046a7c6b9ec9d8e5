// The pixels an image codec will decode, read from the image data itself: pdf.js sizes a JPEG's buffers from
// its frame header and a JPEG 2000's from its SIZ marker, whatever the PDF's /Width and /Height declare.

/** Width × height of the largest frame of a JPEG (every SOF marker; a height of 0 taken from DNL), or undefined. */
export function jpegPixels(data: Uint8Array): number | "unreadable" | undefined {
  let largest: number | undefined;
  let zeroHeightWidth = 0;
  let definedLines = 0;
  // Entropy-coded data stuffs every 0xFF with 0x00, so a marker byte pair is a marker wherever it appears.
  for (let i = data.indexOf(0xff); i >= 0 && i + 1 < data.length; i = data.indexOf(0xff, i + 1)) {
    const marker = data[i + 1] ?? 0;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame && i + 8 < data.length) {
      const height = ((data[i + 5] ?? 0) << 8) | (data[i + 6] ?? 0);
      const width = ((data[i + 7] ?? 0) << 8) | (data[i + 8] ?? 0);
      if (height === 0) zeroHeightWidth = Math.max(zeroHeightWidth, width);
      largest = Math.max(largest ?? 0, width * height);
    } else if (marker === 0xdc && i + 5 < data.length) {
      definedLines = Math.max(definedLines, ((data[i + 4] ?? 0) << 8) | (data[i + 5] ?? 0));
    }
  }
  if (zeroHeightWidth > 0) {
    if (definedLines === 0) return "unreadable";
    largest = Math.max(largest ?? 0, zeroHeightWidth * definedLines);
  }
  return largest;
}

/** Width × height of a JPEG 2000 codestream (its SIZ marker, right after SOC), or undefined when there is none. */
export function jpxPixels(data: Uint8Array): number | undefined {
  for (let i = data.indexOf(0xff); i >= 0 && i + 3 < data.length; i = data.indexOf(0xff, i + 1)) {
    if (data[i + 1] !== 0x4f || data[i + 2] !== 0xff || data[i + 3] !== 0x51) continue;
    const at = i + 4; // Lsiz(2) Rsiz(2) Xsiz(4) Ysiz(4) XOsiz(4) YOsiz(4)
    if (at + 20 > data.length) return undefined;
    const u32 = (o: number): number => (((data[o] ?? 0) << 24) >>> 0) + ((data[o + 1] ?? 0) << 16) + ((data[o + 2] ?? 0) << 8) + (data[o + 3] ?? 0);
    const width = Math.max(0, u32(at + 4) - u32(at + 12));
    const height = Math.max(0, u32(at + 8) - u32(at + 16));
    return width * height;
  }
  return undefined;
}

/**
 * The number of scans (SOS markers) of a JPEG: a progressive JPEG is decoded scan by scan and every scan
 * visits every block of the image, so a few dozen bytes of empty refinement scans each cost a full pass
 * (jpeg-js and pdf.js have no limit on scans; libjpeg's is "max_scans"). Every SOS marker is counted
 * wherever it stands, since the decoders read an SOS header by its content, not by its length field;
 * only application and comment segments are skipped by their length, as the decoders skip them.
 */
export function jpegScanCount(data: Uint8Array): number {
  let scans = 0;
  for (let i = data.indexOf(0xff); i >= 0 && i + 1 < data.length; ) {
    const marker = data[i + 1] ?? 0;
    if ((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe) {
      const length = ((data[i + 2] ?? 0) << 8) | (data[i + 3] ?? 0);
      i = data.indexOf(0xff, i + 2 + Math.max(2, length));
      continue;
    }
    if (marker === 0xda) scans++;
    i = data.indexOf(0xff, i + 1);
  }
  return scans;
}
