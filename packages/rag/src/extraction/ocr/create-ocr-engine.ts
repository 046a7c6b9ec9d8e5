import os from "node:os";
import { OcrError } from "../../errors";
import type { OcrConfig } from "./ocr-config";
import type { OcrEngine } from "./ocr-engine";
import { TesseractCliEngine } from "./tesseract-cli-engine";
import { TesseractJsEngine } from "./tesseract-js-engine";

/** Pages OCRed at once: the configured number, or the cores this process may use. */
export function ocrWorkers(config: Pick<OcrConfig, "workers">): number {
  return config.workers ?? Math.max(1, os.availableParallelism());
}

/** The engine `ocr.engine` asks for; `auto` takes the tesseract binary when it has every language, else tesseract.js. */
export async function createOcrEngine(config: OcrConfig): Promise<OcrEngine> {
  const workers = ocrWorkers(config);
  const cli = (): Promise<TesseractCliEngine> =>
    TesseractCliEngine.create({ languages: config.languages, workers, command: config.tesseractCommand, memoryLimitMb: config.memoryLimitMb });
  const wasm = (): Promise<TesseractJsEngine> => TesseractJsEngine.create({ languages: config.languages, workers, model: config.model });
  if (config.engine === "tesseract-cli") return cli();
  if (config.engine === "tesseract.js") return wasm();
  try {
    return await cli();
  } catch (error) {
    if (!OcrError.isInstance(error)) throw error;
    return wasm();
  }
}

/** What `bear doctor` says about OCR: the engine `auto` would pick, or why the configured one cannot start. */
export interface OcrStatus {
  readonly enabled: boolean;
  readonly engine?: OcrEngine["id"];
  readonly version?: string;
  readonly languages: readonly string[];
  readonly workers: number;
  readonly error?: { readonly code: string; readonly message: string; readonly hint?: string };
}

export async function describeOcr(config: OcrConfig): Promise<OcrStatus> {
  const base = { enabled: config.enabled, languages: config.languages, workers: ocrWorkers(config) };
  if (!config.enabled) return base;
  try {
    const engine = await createOcrEngine(config);
    const version = engine instanceof TesseractCliEngine ? engine.version : `tesseract.js (WebAssembly, ${config.model} models)`;
    await engine.dispose();
    return { ...base, engine: engine.id, version };
  } catch (error) {
    const e = error as { code?: string; message?: string; hint?: string };
    return { ...base, error: { code: e.code ?? "RAG_OCR_ENGINE_UNAVAILABLE", message: String(e.message ?? error), ...(e.hint ? { hint: e.hint } : {}) } };
  }
}
