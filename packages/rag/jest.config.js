import { jestConfig } from "../../jest.preset.js";

// Native addons (LanceDB, onnxruntime) run in band, in an environment sharing typed arrays with them.
export default jestConfig(import.meta.dirname, {
  maxWorkers: 1,
  testEnvironment: "<rootDir>/test/native-environment.cjs",
  testTimeout: 60_000,
});
