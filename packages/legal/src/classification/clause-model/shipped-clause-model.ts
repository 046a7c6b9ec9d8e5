import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { ClauseModel } from "./clause-model";

/** The weights file shipped in the package (`model/` beside `dist/`; built by `npm run train`). */
export const SHIPPED_CLAUSE_MODEL_FILE = "clause-model.bin";

// From dist/index.js the package root is one level up; from src/classification/clause-model/ (tests, tsx) three.
const CANDIDATES = ["../model/", "../../../model/"];
let cached: ClauseModel | null | undefined;

/** Where the shipped weights are, if they are there. */
export function shippedClauseModelPath(): string | undefined {
  for (const dir of CANDIDATES) {
    const file = fileURLToPath(new URL(dir + SHIPPED_CLAUSE_MODEL_FILE, import.meta.url));
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/**
 * The trained clause model shipped with the package, read once; `undefined` when the file is absent
 * (the rules then label clauses alone). A present but corrupt file throws ClauseModelError.
 */
export function shippedClauseModel(): ClauseModel | undefined {
  if (cached === undefined) {
    const file = shippedClauseModelPath();
    cached = file === undefined ? null : ClauseModel.fromBytes(fs.readFileSync(file), file);
  }
  return cached ?? undefined;
}
