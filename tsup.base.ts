import type { Options } from "tsup";

/** Shared tsup settings: ESM only, .d.ts, Node platform, every dependency left external. */
export function tsupConfig(overrides: Options = {}): Options {
  return {
    entry: ["src/index.ts"],
    format: ["esm"],
    platform: "node",
    target: "node20",
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    external: [/^@bear\//],
    ...overrides,
  };
}
