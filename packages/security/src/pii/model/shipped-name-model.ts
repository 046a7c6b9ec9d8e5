import { shippedAsset } from "@bear/core";
import { NameModel } from "./name-model";

/** The weights file shipped in the package (`model/` beside `dist/`; built by `npm run train`). */
export const SHIPPED_NAME_MODEL_FILE = "name-model.bin";

const asset = shippedAsset({ fileName: SHIPPED_NAME_MODEL_FILE, from: import.meta.url, parse: (bytes, file) => NameModel.fromBytes(bytes, file) });

/** Where the shipped weights are, if they are there. */
export const shippedNameModelPath = (): string | undefined => asset.path();

/**
 * The trained name model shipped with the package, read once; `undefined` when the file is absent (the lexicon and
 * cue recognizers then work alone). A present but corrupt file throws NameModelError.
 */
export const shippedNameModel = (): NameModel | undefined => asset.load();
