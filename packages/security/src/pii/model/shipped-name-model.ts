import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { NameModel } from "./name-model";

/** The weights file shipped in the package (`model/` beside `dist/`; built by `npm run train`). */
export const SHIPPED_NAME_MODEL_FILE = "name-model.bin";

// From dist/index.js the package root is one level up; from src/pii/model/ (tests, tsx) three.
const CANDIDATES = ["../model/", "../../../model/"];
let cached: NameModel | null | undefined;

/** Where the shipped weights are, if they are there. */
export function shippedNameModelPath(): string | undefined {
  for (const dir of CANDIDATES) {
    const file = fileURLToPath(new URL(dir + SHIPPED_NAME_MODEL_FILE, import.meta.url));
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/**
 * The trained name model shipped with the package, read once; `undefined` when the file is absent (the lexicon and
 * cue recognizers then work alone). A present but corrupt file throws NameModelError.
 */
export function shippedNameModel(): NameModel | undefined {
  if (cached === undefined) {
    const file = shippedNameModelPath();
    cached = file === undefined ? null : NameModel.fromBytes(fs.readFileSync(file), file);
  }
  return cached ?? undefined;
}
