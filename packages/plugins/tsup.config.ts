import { defineConfig } from "tsup";
import { tsupConfig } from "../../tsup.base";

export default defineConfig([
  tsupConfig(),
  // The sandbox runner: self-contained (zod and core's offline guard bundled in) so a plugin process
  // needs read access to this one file only. .mjs so Node never looks up a package.json outside its grant.
  tsupConfig({
    entry: { runner: "src/sandbox/runner.ts" },
    dts: false,
    sourcemap: false,
    clean: false,
    external: [],
    noExternal: [/.*/],
    outExtension: () => ({ js: ".mjs" }),
  }),
]);
