import { defineConfig } from "tsup";
import { tsupConfig } from "../../tsup.base";

// The extraction worker is its own entry (dist/extraction-worker.js): a worker thread loads it by path.
export default defineConfig(
  tsupConfig({
    entry: { index: "src/index.ts", "extraction-worker": "src/extraction/extraction-worker.ts" },
    dts: { entry: { index: "src/index.ts" } },
  }),
);
