import { defineConfig } from "tsup";
import { tsupConfig } from "../../tsup.base";

// The scan worker is its own entry (dist/scan-worker.js): PiiScanPool's threads load it by path.
export default defineConfig(
  tsupConfig({
    entry: { index: "src/index.ts", "scan-worker": "src/pii/scan-worker.ts" },
    dts: { entry: { index: "src/index.ts" } },
  }),
);
