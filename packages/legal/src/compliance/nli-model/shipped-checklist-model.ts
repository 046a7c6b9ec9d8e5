import { shippedAsset } from "@bear/core";
import { ChecklistModel } from "./checklist-model";

/** The weights file shipped in the package (`model/` beside `dist/`; built by `npm run train:nli`). */
export const SHIPPED_CHECKLIST_MODEL_FILE = "nda-checklist-model.bin";

const asset = shippedAsset({ fileName: SHIPPED_CHECKLIST_MODEL_FILE, from: import.meta.url, parse: (bytes, file) => ChecklistModel.fromBytes(bytes, file) });

/**
 * The trained NDA checklist model shipped with the package, read once; `undefined` when the file is absent (the cues then decide alone).
 */
export const shippedChecklistModel = (): ChecklistModel | undefined => asset.load();
