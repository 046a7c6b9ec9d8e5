import { jestConfig } from "../../jest.preset.js";

// The tests run the built CLI as a child process: build it once, before any test file.
export default jestConfig(import.meta.dirname, { globalSetup: "<rootDir>/test/global-setup.mjs", testTimeout: 60_000 });
