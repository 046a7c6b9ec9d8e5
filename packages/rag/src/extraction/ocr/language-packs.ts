import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { OcrError } from "../../errors";

const LANGUAGE_RE = /^[a-z]{3}(_[a-z]{3,4})?$/;
const require = createRequire(import.meta.url);

/** Checks an `ocr.languages` entry: Tesseract codes such as `eng`, `deu`, `chi_sim`. */
export function assertLanguage(language: string): string {
  if (!LANGUAGE_RE.test(language)) {
    throw new OcrError("RAG_OCR_LANGUAGE_MISSING", `OCR language '${language.slice(0, 40)}' is not a Tesseract language code`, {
      hint: "Use Tesseract's three-letter codes, e.g. ocr.languages: [eng] or [eng, deu].",
      details: { language: language.slice(0, 40) },
    });
  }
  return language;
}

/** The npm package that ships a language's traineddata for tesseract.js. */
export function languagePackageOf(language: string): string {
  return `@tesseract.js-data/${language}`;
}

/** Which LSTM models tesseract.js reads: Tesseract's `fast` ones where this package ships them, else `best_int` from npm. */
export type OcrModel = "fast" | "best";

/**
 * The package's `ocr-models` folder (from `src/extraction/ocr` when run from sources, from
 * `dist` when built), or undefined if it is missing.
 */
function shippedModelDir(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    const candidate = path.join(dir, "ocr-models");
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

/** The shipped `fast` model of a language (`ocr-models/<lang>.traineddata.gz`), when there is one. */
export function shippedFastModel(language: string): string | undefined {
  const dir = shippedModelDir();
  const file = dir && path.join(dir, `${assertLanguage(language)}.traineddata.gz`);
  return file && fs.existsSync(file) ? file : undefined;
}

/**
 * The model file tesseract.js reads for a language: with `fast`, the one this package ships when
 * it has it (English), else the npm package's `best_int` (see `traineddataPath`).
 */
export function modelPathFor(language: string, model: OcrModel): string {
  return (model === "fast" ? shippedFastModel(language) : undefined) ?? traineddataPath(language);
}

/**
 * Path of a language's LSTM model inside its npm package (`@tesseract.js-data/<lang>`,
 * `4.0.0_best_int/<lang>.traineddata.gz`). Read from disk, never fetched: tesseract.js would
 * otherwise download it from a CDN.
 */
export function traineddataPath(language: string): string {
  const pkg = languagePackageOf(assertLanguage(language));
  let dir: string;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch (error) {
    throw new OcrError("RAG_OCR_LANGUAGE_MISSING", `OCR language '${language}' is not installed (npm package '${pkg}' not found)`, {
      hint: `Install it with \`npm install ${pkg}\`, or remove '${language}' from ocr.languages.`,
      cause: error,
      details: { language, package: pkg },
    });
  }
  const file = path.join(dir, "4.0.0_best_int", `${language}.traineddata.gz`);
  if (!fs.existsSync(file)) {
    throw new OcrError("RAG_OCR_LANGUAGE_MISSING", `npm package '${pkg}' has no '4.0.0_best_int/${language}.traineddata.gz'`, {
      hint: `Reinstall it with \`npm install ${pkg}@^1\`.`,
      details: { language, package: pkg, file },
    });
  }
  return file;
}
