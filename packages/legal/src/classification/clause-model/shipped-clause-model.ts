import { shippedAsset } from "@bear/core";
import { ClauseModel } from "./clause-model";

/** The weights file shipped in the package (`model/` beside `dist/`; built by `npm run train`). */
export const SHIPPED_CLAUSE_MODEL_FILE = "clause-model.bin";

const asset = shippedAsset({ fileName: SHIPPED_CLAUSE_MODEL_FILE, from: import.meta.url, parse: (bytes, file) => ClauseModel.fromBytes(bytes, file) });

/** Where the shipped weights are, if they are there. */
export const shippedClauseModelPath = (): string | undefined => asset.path();

/**
 * The trained clause model shipped with the package, read once; `undefined` when the file is absent
 * (the rules then label clauses alone). A present but corrupt file throws ClauseModelError.
 */
export const shippedClauseModel = (): ClauseModel | undefined => asset.load();
