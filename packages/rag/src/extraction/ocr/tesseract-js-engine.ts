import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { OcrError } from "../../errors";
import { withDeadline } from "./deadline";
import { toPgm, type GrayImage } from "./gray-image";
import { assertLanguage, modelPathFor, type OcrModel } from "./language-packs";
import type { OcrEngine, OcrPageResult, RecognizeOptions } from "./ocr-engine";
import { SlotPool } from "./slot-pool";

import type Tesseract from "tesseract.js";

type TesseractModule = typeof Tesseract;
type TesseractWorker = Tesseract.Worker;

export interface TesseractJsEngineOptions {
  readonly languages: readonly string[];
  /** Worker threads (each runs one page at a time). */
  readonly workers: number;
  /** `fast` (default): the shipped tessdata_fast model where there is one; `best`: the npm `best_int`. */
  readonly model?: OcrModel;
}

/**
 * One folder holding every language's `<lang>.traineddata.gz` (tesseract.js takes a single
 * langPath): the models' own folder when they share one, else a private folder of symlinks.
 */
async function languageDir(files: readonly string[]): Promise<{ path: string; temporary: boolean }> {
  const dirs = new Set(files.map((f) => path.dirname(f)));
  if (dirs.size === 1) return { path: [...dirs][0]!, temporary: false };
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "bear-ocr-lang-"));
  await Promise.all(files.map((f) => fs.symlink(f, path.join(dir, path.basename(f)))));
  return { path: dir, temporary: true };
}

/**
 * Tesseract 5 compiled to WebAssembly (npm `tesseract.js`), in a pool of worker threads. It needs
 * nothing but `npm ci`: the language models are read from the `@tesseract.js-data/<lang>` npm
 * packages on disk, so tesseract.js never reaches for its CDN.
 */
export class TesseractJsEngine implements OcrEngine {
  readonly id = "tesseract.js" as const;
  readonly languages: readonly string[];
  readonly concurrency: number;
  readonly #pool: SlotPool<TesseractWorker>;

  readonly #langDir: { readonly path: string; readonly temporary: boolean };

  private constructor(languages: readonly string[], langDir: { path: string; temporary: boolean }, tesseract: TesseractModule, workers: number) {
    this.#langDir = langDir;
    this.languages = languages;
    this.concurrency = workers;
    this.#pool = new SlotPool<TesseractWorker>(
      workers,
      async () => {
        try {
          // OEM 1 = LSTM only: neither the fast nor the best_int models carry the legacy engine.
          // A local langPath makes tesseract.js read the files instead of fetching from its CDN;
          // cacheMethod "none" stops it writing a copy into the working directory. Without an
          // errorHandler a failed job would throw inside tesseract.js and end the process.
          return await tesseract.createWorker(languages.join("+"), 1, {
            langPath: langDir.path,
            cacheMethod: "none",
            gzip: true,
            errorHandler: () => undefined,
          });
        } catch (error) {
          throw new OcrError("RAG_OCR_ENGINE_UNAVAILABLE", `tesseract.js could not start a worker (${String((error as Error)?.message ?? error).slice(0, 120)})`, {
            hint: "Reinstall dependencies with `npm ci`; tesseract.js and tesseract.js-core must be installed.",
            cause: error,
          });
        }
      },
      async (worker) => {
        await worker.terminate();
      },
    );
  }

  /** Checks the language packs and loads the module; worker threads start on the first page. */
  static async create(options: TesseractJsEngineOptions): Promise<TesseractJsEngine> {
    const languages = options.languages.map(assertLanguage);
    const files = languages.map((language) => modelPathFor(language, options.model ?? "fast"));
    let tesseract: TesseractModule;
    try {
      tesseract = (await import("tesseract.js")).default as unknown as TesseractModule;
    } catch (error) {
      throw new OcrError("RAG_OCR_ENGINE_UNAVAILABLE", "npm package 'tesseract.js' is not installed", {
        hint: "Run `npm install tesseract.js` (it is a dependency of @bear/rag).",
        cause: error,
      });
    }
    return new TesseractJsEngine(languages, await languageDir(files), tesseract, Math.max(1, options.workers));
  }

  async recognize(image: GrayImage, options: RecognizeOptions): Promise<OcrPageResult> {
    const worker = await this.#pool.acquire(options.signal);
    let healthy = false;
    try {
      await worker.setParameters({ user_defined_dpi: String(Math.round(image.dpi)) });
      const work = worker.recognize(Buffer.from(toPgm(image))).then((r) => ({ text: r.data.text, confidence: r.data.confidence }));
      const result = await withDeadline(work, options.timeoutMs, options.signal, () => undefined);
      healthy = true;
      return result;
    } catch (error) {
      if (OcrError.isInstance(error) || options.signal?.aborted) throw error;
      throw new OcrError("RAG_OCR_PAGE_FAILED", `tesseract.js could not read the page (${String((error as Error)?.message ?? error).slice(0, 120)})`, {
        hint: "The page image may be damaged; the rest of the document was kept.",
        cause: error,
      });
    } finally {
      // A worker that timed out, was cancelled or threw may still be busy or broken: replace it.
      if (healthy) this.#pool.release(worker);
      else this.#pool.discard(worker);
    }
  }

  async dispose(): Promise<void> {
    await this.#pool.dispose();
    if (this.#langDir.temporary) await fs.rm(this.#langDir.path, { recursive: true, force: true });
  }
}
