import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { KeyTermModel } from "./key-term-model";

/** The weights file shipped in the package (`model/` beside `dist/`; built by `npm run train:key-terms`). */
export const SHIPPED_KEY_TERM_MODEL_FILE = "key-term-model.bin";

// From dist/index.js the package root is one level up; from src/extraction/key-term-model/ (tests, tsx) three.
const CANDIDATES = ["../model/", "../../../model/"];
let cached: KeyTermModel | null | undefined;

/** The trained key-term model shipped with the package, read once; `undefined` when the file is absent (the rules then work alone). */
export function shippedKeyTermModel(): KeyTermModel | undefined {
  if (cached === undefined) {
    const file = CANDIDATES.map((dir) => fileURLToPath(new URL(dir + SHIPPED_KEY_TERM_MODEL_FILE, import.meta.url))).find((f) => fs.existsSync(f));
    cached = file === undefined ? null : KeyTermModel.fromBytes(fs.readFileSync(file), file);
  }
  return cached ?? undefined;
}
