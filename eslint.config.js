import nx from "@nx/eslint-plugin";

// Native addons are owned by exactly one package each; everyone else talks to them through
// @bear/core's interfaces (see ../shared/STYLE.md, "Layering").
const NATIVE = {
  llama: "node-llama-cpp",
  lance: "@lancedb/lancedb",
  onnx: "onnxruntime-node",
  sqlite: "better-sqlite3",
};
const allNativesBut = (...owned) => Object.values(NATIVE).filter((n) => !owned.includes(n));

const boundaries = {
  enforceBuildableLibDependency: true,
  depConstraints: [
    { sourceTag: "type:core", onlyDependOnLibsWithTags: ["type:core"], bannedExternalImports: Object.values(NATIVE) },
    { sourceTag: "type:capability", onlyDependOnLibsWithTags: ["type:core"] },
    { sourceTag: "type:orchestration", onlyDependOnLibsWithTags: ["type:core", "type:orchestration"] },
    // @bear/workspace is the one composition root: the only project that sees every package together.
    { sourceTag: "type:workspace", onlyDependOnLibsWithTags: ["type:core", "type:capability", "type:orchestration"] },
    // Apps compose nothing themselves: they open a workspace. The bundled CLI embeds the bundled
    // server (`bear serve`): the one app another app may import.
    { sourceTag: "type:app", onlyDependOnLibsWithTags: ["type:core", "type:workspace", "app:embeddable"] },
    { sourceTag: "native:none", bannedExternalImports: Object.values(NATIVE) },
    { sourceTag: "native:rag", bannedExternalImports: allNativesBut(NATIVE.lance, NATIVE.onnx) },
    { sourceTag: "native:models", bannedExternalImports: allNativesBut(NATIVE.llama, NATIVE.onnx) },
    { sourceTag: "native:sqlite", bannedExternalImports: allNativesBut(NATIVE.sqlite) },
    { sourceTag: "native:security", bannedExternalImports: allNativesBut(NATIVE.sqlite) },
  ],
};

export default [
  ...nx.configs["flat/base"],
  ...nx.configs["flat/typescript"],
  ...nx.configs["flat/javascript"],
  {
    ignores: ["**/dist", "**/node_modules", "**/coverage", "tmp", ".nx", "**/*.d.ts", "**/fixtures/**"],
  },
  {
    files: ["**/*.ts", "**/*.js", "**/*.mjs", "**/*.cjs"],
    rules: {
      "@nx/enforce-module-boundaries": ["error", boundaries],
      "no-console": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // Each package has one test that uses it only through its public name, as a user would.
    files: ["**/test/public-api*.spec.ts"],
    rules: { "@nx/enforce-module-boundaries": ["error", { ...boundaries, allowCircularSelfDependency: true }] },
  },
  {
    // Integration tests and benchmarks may compose concrete packages, as the workspace does (for
    // example an agents test driving a real GGUF model through @bear/model-manager). Shipped source may not.
    files: ["packages/*/test/**/*.ts", "packages/*/bench/**/*.ts"],
    rules: {
      "@nx/enforce-module-boundaries": [
        "error",
        {
          ...boundaries,
          allowCircularSelfDependency: true,
          depConstraints: boundaries.depConstraints.map((c) =>
            c.onlyDependOnLibsWithTags ? { ...c, onlyDependOnLibsWithTags: ["type:core", "type:capability", "type:orchestration"] } : c,
          ),
        },
      ],
    },
  },
  {
    // Tool configs import the shared root presets by relative path on purpose.
    files: ["**/jest.config.js", "**/tsup.config.ts"],
    rules: { "@nx/enforce-module-boundaries": "off" },
  },
  {
    // Scripts, benchmarks and the CLI print to the terminal on purpose.
    files: ["scripts/**", "packages/*/scripts/**", "**/bench/**", "apps/cli/src/**", "**/*.cjs", "**/jest.config.js", "jest.preset.js"],
    rules: { "no-console": "off" },
  },
];
