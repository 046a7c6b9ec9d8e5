import fs from "node:fs";
import { fileURLToPath } from "node:url";

/** A data file a package ships in its `model/` folder (trained weights), read once. */
export interface ShippedAsset<T> {
  readonly fileName: string;
  /** Where the file is, if the package holds it. */
  path(): string | undefined;
  /** The file parsed once; `undefined` when it is absent. A present but corrupt file throws what `parse` throws. */
  load(): T | undefined;
}

export interface ShippedAssetOptions<T> {
  /** The file's name inside the package's `model/` folder. */
  readonly fileName: string;
  /** `import.meta.url` of the module that reads it: the folders are resolved from there. */
  readonly from: string;
  readonly parse: (bytes: Buffer, file: string) => T;
  /**
   * Where `model/` is relative to `from`. The default covers both ways a package's code runs: bundled
   * (`dist/index.js`, one level below the package root) and from its sources in tests and tsx
   * (`src/<area>/<module>/`, three levels below).
   */
  readonly folders?: readonly string[];
}

const DEFAULT_FOLDERS = ["../model/", "../../../model/"];

export function shippedAsset<T>(options: ShippedAssetOptions<T>): ShippedAsset<T> {
  const folders = options.folders ?? DEFAULT_FOLDERS;
  let loaded: { value: T | undefined } | undefined;
  const locate = (): string | undefined =>
    folders.map((dir) => fileURLToPath(new URL(dir + options.fileName, options.from))).find((file) => fs.existsSync(file));
  return {
    fileName: options.fileName,
    path: locate,
    load() {
      if (loaded === undefined) {
        const file = locate();
        loaded = { value: file === undefined ? undefined : options.parse(fs.readFileSync(file), file) };
      }
      return loaded.value;
    },
  };
}
