import type * as Canvas from "@napi-rs/canvas";
import { OcrError } from "../../errors";

export type CanvasModule = typeof Canvas;

let loaded: Promise<CanvasModule> | undefined;

/**
 * pdf.js (as unpdf bundles it) hands font data on with `ArrayBuffer.prototype.transferToFixedLength`
 * (ES2024, Node ≥ 21). On Node 20 the call throws inside pdf.js, which then silently draws pages
 * without their text. A copying stand-in keeps the semantics pdf.js needs (a buffer of that length
 * with the same bytes); the original is left attached instead of detached.
 */
function polyfillArrayBufferTransfer(): void {
  const proto = ArrayBuffer.prototype as ArrayBuffer & { transferToFixedLength?: (length?: number) => ArrayBuffer };
  if (typeof proto.transferToFixedLength === "function") return;
  Object.defineProperty(proto, "transferToFixedLength", {
    configurable: true,
    writable: true,
    value(this: ArrayBuffer, length: number = this.byteLength): ArrayBuffer {
      const copy = new ArrayBuffer(length);
      new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
      return copy;
    },
  });
}

/** @napi-rs/canvas (Skia, prebuilt per platform as an npm optional dependency), loaded on first use. */
export function loadCanvas(): Promise<CanvasModule> {
  polyfillArrayBufferTransfer();
  loaded ??= import("@napi-rs/canvas").catch((error: unknown) => {
    loaded = undefined;
    throw new OcrError("RAG_OCR_ENGINE_UNAVAILABLE", "npm package '@napi-rs/canvas' (needed to draw pages for OCR) could not be loaded", {
      hint: "Run `npm ci` again so npm installs the prebuilt @napi-rs/canvas binary for this platform.",
      cause: error,
    });
  });
  return loaded;
}
