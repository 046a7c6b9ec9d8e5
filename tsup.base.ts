import type { Options } from "tsup";

/** Shared tsup settings: ESM only, .d.ts, Node platform, every dependency left external. */
export function tsupConfig(overrides: Options = {}): Options {
  return {
    entry: ["src/index.ts"],
    format: ["esm"],
    platform: "node",
    // es2022, not node20: for a node20 target esbuild rewrites every /\p{…}/u regex literal into a
    // `new RegExp(…)` call, built again on every call of its function (about 5x a literal's cost in a hot word test).
    target: "es2022",
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    external: [/^@bear\//],
    ...overrides,
  };
}
