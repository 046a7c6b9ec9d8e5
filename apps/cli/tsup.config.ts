import { defineConfig } from "tsup";
import { tsupConfig } from "../../tsup.base";

// The CLI is an executable, not a library: one entry with a shebang, no .d.ts.
// MALLOC_ARENA_MAX=2: glibc otherwise gives LanceDB's native threads up to 8 malloc arenas per core
// that keep freed memory (a 300 MB ingest peaked at 852 MiB RSS, 682 MiB with it). glibc reads it
// only when the process starts, so it is set here, by the shebang (`node dist/bin.js` skips it).
export default defineConfig(tsupConfig({ entry: ["src/bin.ts"], dts: false, banner: { js: "#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node" } }));
