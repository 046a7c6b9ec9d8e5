import { nativeJestConfig } from "../../jest.preset.js";

export default nativeJestConfig(import.meta.dirname);
