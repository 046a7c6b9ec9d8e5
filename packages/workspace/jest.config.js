import { nativeJestConfig } from "../../jest.preset.js";

// The workspace opens the real packages (LanceDB, SQLite): in band, like theirs.
export default nativeJestConfig(import.meta.dirname);
