import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { ChecklistModel } from "./checklist-model";

/** The weights file shipped in the package (`model/` beside `dist/`; built by `npm run train:nli`). */
export const SHIPPED_CHECKLIST_MODEL_FILE = "nda-checklist-model.bin";

// From dist/index.js the package root is one level up; from src/compliance/nli-model/ (tests, tsx) three.
const CANDIDATES = ["../model/", "../../../model/"];
let cached: ChecklistModel | null | undefined;

/** The trained NDA checklist model shipped with the package, read once; `undefined` when the file is absent (the cues then decide alone). */
export function shippedChecklistModel(): ChecklistModel | undefined {
  if (cached === undefined) {
    const file = CANDIDATES.map((dir) => fileURLToPath(new URL(dir + SHIPPED_CHECKLIST_MODEL_FILE, import.meta.url))).find((f) => fs.existsSync(f));
    cached = file === undefined ? null : ChecklistModel.fromBytes(fs.readFileSync(file), file);
  }
  return cached ?? undefined;
}
