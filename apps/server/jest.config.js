import path from "node:path";
import { nativeJestConfig } from "../../jest.preset.js";

// LanceDB and node-llama-cpp run in these suites: in band, in the environment that shares typed arrays with addons.
const base = nativeJestConfig(import.meta.dirname);

export default {
  ...base,
  // light-my-request (fastify.inject) require()s `cookie`, which is ESM-only since v1; Jest's ESM
  // mode cannot require() ESM on Node 20, so a tiny CommonJS stand-in covers what it uses.
  moduleNameMapper: { ...base.moduleNameMapper, "^cookie$": path.join(import.meta.dirname, "test/support/cookie-cjs.cjs") },
};
