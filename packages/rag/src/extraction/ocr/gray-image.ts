/** An 8-bit grayscale raster: what every OCR engine here reads. One byte per pixel, rows top to bottom. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
  /** Resolution the image stands for (rendered or declared); Tesseract sizes its text model from it. */
  readonly dpi: number;
}

/** RGBA (canvas ImageData order) to gray with the ITU-R 601 luma weights, composited on white. */
export function rgbaToGray(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Uint8Array {
  const gray = new Uint8Array(width * height);
  for (let i = 0, j = 0; j < gray.length; i += 4, j++) {
    const alpha = rgba[i + 3]!;
    const luma = (rgba[i]! * 77 + rgba[i + 1]! * 150 + rgba[i + 2]! * 29) >> 8;
    // A transparent pixel is paper, not ink.
    gray[j] = alpha === 255 ? luma : (luma * alpha + 255 * (255 - alpha)) / 255;
  }
  return gray;
}

/**
 * Binary PGM (netpbm P5): the simplest format both Tesseract builds read without an image
 * library, so no PNG encoder sits on the hot path.
 */
export function toPgm(image: GrayImage): Uint8Array {
  const header = Buffer.from(`P5\n${image.width} ${image.height}\n255\n`, "latin1");
  const out = new Uint8Array(header.length + image.pixels.length);
  out.set(header, 0);
  out.set(image.pixels, header.length);
  return out;
}

/** The scale that brings `width × height` under `maxPixels` (1 when it already fits). */
export function scaleToFit(width: number, height: number, maxPixels: number): number {
  const pixels = width * height;
  return pixels <= maxPixels ? 1 : Math.sqrt(maxPixels / pixels);
}

/** Area-average downscale of a gray raster by `scale` (< 1); keeps thin strokes that nearest-neighbour would drop. */
export function downscaleGray(image: GrayImage, scale: number): GrayImage {
  if (scale >= 1) return image;
  const width = Math.max(1, Math.floor(image.width * scale));
  const height = Math.max(1, Math.floor(image.height * scale));
  const sums = new Float64Array(width * height);
  const counts = new Uint32Array(width * height);
  for (let y = 0; y < image.height; y++) {
    const ty = Math.min(height - 1, Math.floor(y * scale)) * width;
    for (let x = 0; x < image.width; x++) {
      const t = ty + Math.min(width - 1, Math.floor(x * scale));
      sums[t]! += image.pixels[y * image.width + x]!;
      counts[t]!++;
    }
  }
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(sums[i]! / Math.max(1, counts[i]!));
  return { width, height, pixels, dpi: image.dpi * scale };
}
