import { defineConfig } from "tsup";
import { tsupConfig } from "../../tsup.base";

// The offload worker is its own entry (dist/offload-worker.js): a worker thread loads it by path.
export default defineConfig(
  tsupConfig({
    entry: { index: "src/index.ts", "offload-worker": "src/offload/offload-worker.ts" },
    dts: { entry: { index: "src/index.ts" } },
  }),
);
