// Shared Jest settings: ESM mode, TypeScript through @swc/jest (legacy decorators for Inversify),
// and @bear/* resolved to sources so tests never need a prior build.
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));

/** @param {string} projectDir @returns {import('jest').Config} */
export function jestConfig(projectDir, overrides = {}) {
  const name = path.basename(projectDir);
  return {
    displayName: name,
    rootDir: projectDir,
    testEnvironment: "node",
    extensionsToTreatAsEsm: [".ts"],
    moduleFileExtensions: ["ts", "js", "mjs", "cjs", "json"],
    testMatch: ["<rootDir>/src/**/*.spec.ts", "<rootDir>/test/**/*.spec.ts"],
    transform: {
      "^.+\\.ts$": [
        "@swc/jest",
        {
          jsc: {
            parser: { syntax: "typescript", decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: false },
            target: "es2022",
          },
          module: { type: "es6" },
          sourceMaps: "inline",
        },
      ],
    },
    moduleNameMapper: {
      "^@bear/server$": path.join(root, "apps/server/src/index.ts"),
      "^@bear/([a-z-]+)$": path.join(root, "packages/$1/src/index.ts"),
    },
    reporters: [
      "default",
      [path.join(root, "scripts/jest-results-reporter.cjs"), { outputDirectory: path.join(root, "tmp/test-results"), name }],
    ],
    testTimeout: 30_000,
    ...overrides,
  };
}

/**
 * For suites that load native addons (LanceDB, onnxruntime, node-llama-cpp): in band, in an
 * environment that shares typed arrays with the addons, with a longer timeout for model loads.
 * @param {string} projectDir @returns {import('jest').Config}
 */
export function nativeJestConfig(projectDir, overrides = {}) {
  return jestConfig(projectDir, {
    maxWorkers: 1,
    testEnvironment: path.join(root, "jest.native-environment.cjs"),
    testTimeout: 60_000,
    ...overrides,
  });
}
