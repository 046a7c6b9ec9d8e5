// @bear/core: what every BEAR package shares, and nothing heavy (no native code).

export { BearError, type BearErrorOptions, type BearErrorJson } from "./errors/bear-error";
export {
  ConfigError,
  WorkspaceError,
  PathOutsideWorkspaceError,
  OfflineViolationError,
  DisposedError,
  InvalidArgumentError,
  WorkerPoolError,
  formatValue,
  type WorkerPoolErrorCode,
  type CoreErrorCode,
} from "./errors/core-errors";

export { BearConfig, bearConfigSchema, defaultBearConfig } from "./config/bear-config";
export {
  loadBearConfig,
  envNameOf,
  bearEnvironmentVariables,
  WORKSPACE_CONFIG_FILES,
  type BearConfigInput,
  type LoadBearConfigOptions,
  type LoadedBearConfig,
} from "./config/load-config";

export {
  WorkspaceLayout,
  workspaceLayout,
  ensureWorkspace,
  defaultDataDir,
  WORKSPACE_DIR_MODE,
} from "./workspace/workspace-layout";
export { WorkerPool, WorkerTaskError, type WorkerPoolOptions, type WorkerPoolStats, type WorkerTaskContext } from "./workers/worker-pool";
export { serveWorkerTasks, type WorkerTaskHandler, type WorkerTaskTools } from "./workers/serve-worker-tasks";
export { serializeError, transferred, type TransferredValue, type WorkerTask, type SerializedError } from "./workers/worker-protocol";
export { addressSpaceLimiter, addressSpaceLimitedCommand, findSystemBinary } from "./workers/address-space-limit";
export { confinePath, isPathInside } from "./paths/confine-path";
export { terminalSafe, terminalSafeJson } from "./text/terminal-safe";
export {
  assertMatterId,
  isMatterId,
  suggestMatterId,
  InvalidMatterIdError,
  MatterIdCaseConflictError,
  matterIdCaseConflict,
  MATTER_ID_PATTERN,
  MATTER_ID_MAX_LENGTH,
  MATTER_ID_RULE,
} from "./matters/matter-id";
export { writeFileAtomic, writeFileAtomicSync, type WriteFileAtomicOptions } from "./files/write-file-atomic";
export { noHardLinks } from "./files/no-hard-links";
export { shippedAsset, type ShippedAsset, type ShippedAssetOptions } from "./paths/shipped-asset";
export {
  acquirePidLock,
  acquirePidLockSync,
  isProcessAlive,
  pidLockHolder,
  LockError,
  type LockErrorCode,
  type PidLock,
  type PidLockOptions,
  type PidLockHolder,
} from "./locking/pid-lock";
export { WriterGate, type WriterGateHold, type WriterGateWaitOptions } from "./locking/writer-gate";
// Which process a pid is (boot, pid namespace, start time): tells a live owner from a later process given its pid.
export { isProcessScope, isProcessStart, procStatFields, processScope, processStartOf } from "./locking/process-identity";

export { Logger, silentLogger, LOG_LEVELS, type LogLevel, type LogFn } from "./logging/logger";
export { createPinoLogger, REDACTED_FIELDS, type PinoLoggerOptions } from "./logging/pino-logger";
export { loggableError } from "./logging/loggable-error";

export { EventBus, RxEventBus, type BearEvent } from "./events/event-bus";

export { bearToken } from "./di/token";
export { createContainer, disposeContainer } from "./di/create-container";
export { coreModule, type CoreModuleOptions } from "./di/core-module";

export {
  enforceOffline,
  disableOfflineGuard,
  isOfflineEnforced,
  allowNetwork,
  currentNetworkAllowance,
  type OfflineGuardOptions,
} from "./offline/offline-guard";
export { isLoopbackHost, isLoopbackIp, isLoopbackHostname } from "./offline/address-policy";
export { checkRedisUrl, isPrivateAddress, redactRedisUrl, type RedisEndpoint, type RedisUrlProblem } from "./config/redis-url";

export {
  Llm,
  type ChatMessage,
  type GenerateRequest,
  type GenerateResult,
  type GenerateChunk,
  type FinishReason,
} from "./contracts/llm";
export { Embedder, type EmbedOptions } from "./contracts/embedder";
export {
  Retriever,
  type RetrievalMode,
  type RetrievalFilter,
  type RetrieveOptions,
  type RetrievedPassage,
} from "./contracts/retriever";
export { type Disposable, isDisposable } from "./contracts/disposable";
export { Scrubber, type ScrubbedText, type ScrubOptions, type PiiSpan } from "./contracts/scrubber";
export { AuditSink, nullAuditSink, type AuditEvent, type AuditOutcome } from "./contracts/audit-sink";
export { WindowedCounts, type WindowedCountsOptions, type ClosedWindow } from "./audit/windowed-counts";
export { ContentCipher, DocumentKeyring } from "./contracts/content-cipher";

export {
  Cache,
  CACHE_KINDS,
  type CacheKind,
  type CacheKey,
  type CacheCodec,
  type CacheOptions,
  type CacheStats,
  type CacheKindStats,
  type CacheStore,
  type CacheStoreStats,
  type CacheSealer,
  type StoreKey,
} from "./cache/cache";
export { jsonCodec, float32Codec } from "./cache/cache-codecs";
export { ByteLru, type LruLookup } from "./cache/byte-lru";
export { TieredCache, DEFAULT_CACHE_TTL_MS, type TieredCacheOptions } from "./cache/tiered-cache";
export { DiskCacheStore, type DiskCacheStoreOptions } from "./cache/disk-cache-store";
export { CachedLlm } from "./cache/cached-llm";
export { AgentTool, type AgentToolContext, type JsonSchema } from "./contracts/agent-tool";
