import type { Logger } from "@bear/core";
import type { Llama } from "node-llama-cpp";

export interface LlamaRuntimeOptions {
  readonly gpu: "auto" | false;
  /** Upper bound on threads across all contexts (the usable cores). */
  readonly maxThreads: number;
  readonly logger: Logger;
}

/**
 * Owns the one node-llama-cpp `Llama` instance, created lazily on first use with the prebuilt
 * binaries only (never a build or a download). A Llama passed in is shared, not disposed.
 */
export class LlamaRuntime {
  #llama: Promise<Llama> | undefined;
  readonly #owned: boolean;

  constructor(
    private readonly options: LlamaRuntimeOptions,
    shared?: Llama,
  ) {
    this.#owned = shared === undefined;
    if (shared) this.#llama = Promise.resolve(shared);
  }

  get started(): boolean {
    return this.#llama !== undefined;
  }

  llama(): Promise<Llama> {
    this.#llama ??= this.#start();
    return this.#llama;
  }

  async dispose(): Promise<void> {
    const pending = this.#llama;
    this.#llama = undefined;
    if (pending && this.#owned) await (await pending.catch(() => undefined))?.dispose();
  }

  async #start(): Promise<Llama> {
    const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
    const log = this.options.logger;
    return getLlama({
      gpu: this.options.gpu,
      build: "never",
      usePrebuiltBinaries: true,
      skipDownload: true,
      progressLogs: false,
      maxThreads: this.options.maxThreads,
      logLevel: LlamaLogLevel.error,
      logger: (level, message) => {
        const line = { llamaLevel: level };
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) log.error(line, message.trim());
        else log.debug(line, message.trim());
      },
    });
  }
}
