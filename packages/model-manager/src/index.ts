// @bear/model-manager: local GGUF/ONNX discovery, hardware-adaptive loading, generation,
// embeddings, ONNX sessions, downloads and metrics.

export { ModelManager, type LoadOptions, type ModelManagerDependencies } from "./model-manager";
export { modelManagerModule } from "./model-manager.module";
export {
  ModelManagerConfig,
  modelManagerConfigSchema,
  type ModelManagerConfigInput,
} from "./model-manager-config";
export { ModelManagerToken, LlmModelId, EmbedderModelId, OnnxSessionPoolToken } from "./tokens";
export {
  ModelManagerError,
  ModelFileError,
  ModelNotFoundError,
  ModelKindError,
  InsufficientMemoryError,
  ModelLoadError,
  GenerationError,
  EmbeddingError,
  OnnxSessionError,
  DownloadError,
  ChecksumMismatchError,
  DownloadCancelledError,
  RegistryError,
  type ModelManagerErrorCode,
} from "./errors";

export {
  ModelRegistry,
  sha256File,
  type ModelRecord,
  type ModelStatus,
  type PerformanceSample,
  type ScanReport,
  type ModelRegistryOptions,
} from "./registry/model-registry";
export { inspectGguf } from "./registry/gguf-inspector";
export { inspectOnnx } from "./registry/onnx-inspector";
export type { ModelKind, ModelFileInfo, GgufModelInfo, OnnxModelInfo, OnnxTensorSignature } from "./registry/model-info";

export {
  probeHardware,
  chooseThreads,
  parseCgroupCpuMax,
  readCgroupCpuLimit,
  TINY_MODEL_PARAMETERS,
  type HardwareProfile,
  type GpuInfo,
} from "./hardware/hardware-probe";

export { RequestQueue, type QueueLease } from "./runtime/request-queue";
export type { LoadedModelInfo } from "./runtime/loaded-model";

export { LlamaCppLlm } from "./inference/llama-cpp-llm";
export { LlamaCppEmbedder, normalizeL2 } from "./inference/llama-cpp-embedder";
export { DEFAULT_MAX_TOKENS } from "./inference/generation";
export type { GenerationEvent } from "./inference/generation-stream";

export { OnnxSessionPool, type OnnxSessionPoolOptions, type OnnxFeed, type OnnxOutput } from "./onnx/onnx-session-pool";

export { downloadModelFile, pullModel, resolveModelSource, type DownloadedModel, type PullOptions, type DownloadProgress } from "./download/model-downloader";

export { ModelMetrics, type ModelEvent, type ModelMetricsSnapshot } from "./monitoring/model-metrics";
