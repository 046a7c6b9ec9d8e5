import type * as Canvas from "@napi-rs/canvas";
import { OcrError } from "../../errors";

export type CanvasModule = typeof Canvas;

let loaded: Promise<CanvasModule> | undefined;

/** @napi-rs/canvas (Skia, prebuilt per platform as an npm optional dependency), loaded on first use. */
export function loadCanvas(): Promise<CanvasModule> {
  loaded ??= import("@napi-rs/canvas").catch((error: unknown) => {
    loaded = undefined;
    throw new OcrError("RAG_OCR_ENGINE_UNAVAILABLE", "npm package '@napi-rs/canvas' (needed to draw pages for OCR) could not be loaded", {
      hint: "Run `npm ci` again so npm installs the prebuilt @napi-rs/canvas binary for this platform.",
      cause: error,
    });
  });
  return loaded;
}
