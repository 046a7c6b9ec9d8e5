import { shippedAsset } from "@bear/core";
import { KeyTermModel } from "./key-term-model";

/** The weights file shipped in the package (`model/` beside `dist/`; built by `npm run train:key-terms`). */
export const SHIPPED_KEY_TERM_MODEL_FILE = "key-term-model.bin";

const asset = shippedAsset({ fileName: SHIPPED_KEY_TERM_MODEL_FILE, from: import.meta.url, parse: (bytes, file) => KeyTermModel.fromBytes(bytes, file) });

/**
 * The trained key-term model shipped with the package, read once; `undefined` when the file is absent (the rules then work alone).
 */
export const shippedKeyTermModel = (): KeyTermModel | undefined => asset.load();
