import { defineConfig } from "tsup";
import { tsupConfig } from "../../tsup.base";

// The PDF reader is its own entry (dist/pdf-child.js): a child process runs it by path.
export default defineConfig(
  tsupConfig({
    entry: { index: "src/index.ts", "pdf-child": "src/extraction/pdf-process/pdf-child.ts" },
    dts: { entry: { index: "src/index.ts" } },
  }),
);
