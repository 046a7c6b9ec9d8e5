// Dependencies core loads only when a function that needs them is first called: importing @bear/core must stay cheap
// for a process that uses one helper of it (a one-shot `bear redact`, each scan thread of a WorkerPool), and yaml,
// pino and rxjs cost it ~180 ms of CPU at start-up together. Each of these packages resolves to its CommonJS build
// under Node also when imported as ESM (their `node` / `main` entries), so the module loaded here is the very instance
// an `import` elsewhere gets: an rxjs Observable made here is one of theirs.
import { createRequire } from "node:module";

const requireFromCore = createRequire(import.meta.url);

/** `load()` returns the package `name`, required on its first call and remembered. */
export function loadOnFirstUse<M>(name: string): () => M {
  let loaded: M | undefined;
  return () => (loaded ??= requireFromCore(name) as M);
}
