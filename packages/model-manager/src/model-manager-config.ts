import { z } from "zod";

/** The configuration of @bear/model-manager; the apps build it from BearConfig.models. */
export const modelManagerConfigSchema = z
  .object({
    /** Directories scanned for .gguf and .onnx files (the workspace model dir first). */
    modelDirs: z.array(z.string().min(1)).min(1),
    /** Where downloads land; default: the first of modelDirs. */
    downloadDir: z.string().min(1).optional(),
    /** The registry JSON file; in-memory registry when omitted. */
    registryFile: z.string().min(1).optional(),
    /** Memory the loaded models may use in total, in MB; default 60% of RAM. */
    memoryBudgetMb: z.number().int().min(1).optional(),
    /** At most this many models loaded at once (least recently used is unloaded beyond it). */
    maxLoadedModels: z.number().int().min(1).max(64).default(4),
    /** Requests one model serves at once (context sequences); later callers queue in FIFO order. */
    maxConcurrentRequests: z.number().int().min(1).max(64).default(2),
    /** Threads per context; default chosen from the usable cores (see chooseThreads). */
    threads: z.number().int().min(1).max(256).optional(),
    /** Upper bound for the context size chosen at load time. */
    maxContextSize: z.number().int().min(64).max(1_048_576).default(4096),
    /** "auto" lets node-llama-cpp pick a GPU backend if one is usable; false stays on the CPU. */
    gpu: z.union([z.literal("auto"), z.literal(false)]).default(false),
    /** Default model ids for the Llm and Embedder tokens. */
    defaultLlm: z.string().min(1).optional(),
    defaultEmbedder: z.string().min(1).optional(),
  })
  .strict();

export type ModelManagerConfigInput = z.input<typeof modelManagerConfigSchema>;
export type ModelManagerConfig = z.output<typeof modelManagerConfigSchema>;

/** DI token for the resolved ModelManagerConfig. */
export const ModelManagerConfig = Symbol.for("@bear/model-manager:ModelManagerConfig");
