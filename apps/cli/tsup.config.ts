import { defineConfig } from "tsup";
import { tsupConfig } from "../../tsup.base";

// The CLI is an executable, not a library: one entry with a shebang, no .d.ts.
export default defineConfig(tsupConfig({ entry: ["src/bin.ts"], dts: false, banner: { js: "#!/usr/bin/env node" } }));
