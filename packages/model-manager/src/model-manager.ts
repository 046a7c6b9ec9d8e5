import os from "node:os";
import { isIP } from "node:net";
import path from "node:path";
import {
  type AuditSink,
  DisposedError,
  type EventBus,
  type GenerateRequest,
  type GenerateResult,
  type Logger,
  nullAuditSink,
  silentLogger,
} from "@bear/core";
import type { Llama, LlamaModel } from "node-llama-cpp";
import type { Observable } from "rxjs";
import { ModelKindError, InsufficientMemoryError, ModelLoadError, ModelManagerError } from "./errors";
import { type DownloadProgress, type PullOptions, downloadModelFile } from "./download/model-downloader";
import { type HardwareProfile, chooseThreads, probeHardware } from "./hardware/hardware-probe";
import { type GenerationEvent, observeGeneration, streamGeneration } from "./inference/generation-stream";
import { parseGenerateRequest } from "./inference/generate-request";
import { LlamaCppEmbedder } from "./inference/llama-cpp-embedder";
import { LlamaCppLlm } from "./inference/llama-cpp-llm";
import { runGeneration } from "./inference/generation";
import { type ModelManagerConfig, type ModelManagerConfigInput, modelManagerConfigSchema } from "./model-manager-config";
import { type ModelEvent, ModelMetrics } from "./monitoring/model-metrics";
import { OnnxSessionPool } from "./onnx/onnx-session-pool";
import { ModelRegistry, type ModelRecord, type ScanReport } from "./registry/model-registry";
import { type LoadedEmbedding, type LoadedLlm, type LoadedModel, type LoadedModelInfo, describeLoaded } from "./runtime/loaded-model";
import { LlamaRuntime } from "./runtime/llama-runtime";
import { RequestQueue } from "./runtime/request-queue";

export interface LoadOptions {
  /** Context size to use; default: the largest that fits (up to maxContextSize and the model's training size). */
  readonly contextSize?: number;
  /** Threads for this context; default chosen from the usable cores. */
  readonly threads?: number;
  /** Concurrent requests (context sequences); default maxConcurrentRequests (1 for embedding models). */
  readonly concurrency?: number;
}

export interface ModelManagerDependencies {
  readonly logger?: Logger;
  readonly events?: EventBus;
  readonly audit?: AuditSink;
  /** Share an existing node-llama-cpp instance (it is not disposed with the manager). */
  readonly llama?: Llama;
}

const MB = 1024 * 1024;
/** Context memory below this is not worth loading a causal model for. */
const MIN_CONTEXT_SIZE = 128;

/**
 * The one place BEAR touches local models: discovery (registry), hardware-aware loading with a
 * memory budget and LRU eviction, per-model FIFO request queues, generation, embeddings, ONNX
 * sessions, downloads and metrics.
 */
export class ModelManager {
  readonly config: ModelManagerConfig;
  readonly registry: ModelRegistry;
  readonly metrics = new ModelMetrics();
  readonly onnx: OnnxSessionPool;
  /** Every model event (load, unload, generation, embedding) as it happens. */
  readonly onDidRecordMetric: Observable<ModelEvent> = this.metrics.onDidRecord;

  readonly #logger: Logger;
  readonly #events: EventBus | undefined;
  readonly #audit: AuditSink;
  readonly #runtime: LlamaRuntime;
  readonly #loaded = new Map<string, LoadedModel>();
  readonly #loading = new Map<string, Promise<LoadedModel>>();
  #hardware: Promise<HardwareProfile> | undefined;
  #scanned: Promise<ScanReport> | undefined;
  #disposed = false;
  #disposing: Promise<void> | undefined;

  constructor(config: ModelManagerConfigInput, dependencies: ModelManagerDependencies = {}) {
    this.config = modelManagerConfigSchema.parse(config);
    this.#logger = (dependencies.logger ?? silentLogger).child({ name: "model-manager:ModelManager" });
    this.#events = dependencies.events;
    this.#audit = dependencies.audit ?? nullAuditSink;
    this.registry = new ModelRegistry({ ...(this.config.registryFile ? { registryFile: this.config.registryFile } : {}), logger: this.#logger });
    this.onnx = new OnnxSessionPool({ intraOpNumThreads: 1, interOpNumThreads: 1, logger: this.#logger });
    const cores = Math.max(1, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
    this.#runtime = new LlamaRuntime({ gpu: this.config.gpu, maxThreads: cores, logger: this.#logger }, dependencies.llama);
    this.metrics.onDidRecord.subscribe((event) => this.#events?.publish({ ...event, type: `model-manager:${event.type}`, source: "model-manager" }));
  }

  /** Creates a manager and scans its model directories: the common case in one call. */
  static async open(config: ModelManagerConfigInput, dependencies: ModelManagerDependencies = {}): Promise<ModelManager> {
    const manager = new ModelManager(config, dependencies);
    await manager.scan();
    return manager;
  }

  /** Rescans the model directories. Unusable files are reported in `errors` and skipped. */
  async scan(): Promise<ScanReport> {
    this.#assertOpen();
    const scanning = this.registry.scan(this.config.modelDirs);
    this.#scanned = scanning;
    const report = await scanning;
    for (const id of this.#loaded.keys()) if (this.registry.find(id)) this.registry.setStatus(id, "loaded");
    return report;
  }

  list(): ModelRecord[] {
    return this.registry.list();
  }

  /** CPU cores really available (affinity, cgroup quota), RAM, GPU and SIMD facts. */
  hardware(): Promise<HardwareProfile> {
    this.#hardware ??= (async () => probeHardware(await this.#runtime.llama()))();
    return this.#hardware;
  }

  /** The memory budget for all loaded models, in bytes. */
  get memoryBudgetBytes(): number {
    return this.config.memoryBudgetMb !== undefined ? this.config.memoryBudgetMb * MB : Math.floor(os.totalmem() * 0.6);
  }

  /** Budget left: the budget minus what loaded models hold, never more than the OS has free. */
  freeMemoryBytes(): number {
    const used = [...this.#loaded.values()].reduce((n, m) => n + m.memoryBytes, 0);
    return Math.max(0, Math.min(this.memoryBudgetBytes - used, os.freemem()));
  }

  loaded(): LoadedModelInfo[] {
    return [...this.#loaded.values()].map(describeLoaded);
  }

  /** Loads a model (once; concurrent callers share the load), evicting least recently used ones to fit. */
  async load(modelId: string, options: LoadOptions = {}): Promise<LoadedModelInfo> {
    return describeLoaded(await this.#acquire(modelId, options));
  }

  /** Unloads a model after its in-flight requests finish. */
  async unload(modelId: string): Promise<boolean> {
    const pending = this.#loading.get(modelId);
    if (pending) await pending.catch(() => undefined);
    const loaded = this.#loaded.get(modelId);
    if (!loaded) return false;
    await this.#unload(loaded, "requested");
    return true;
  }

  /** Generates with the model `modelId` (loading it if needed). */
  async generate(modelId: string, request: GenerateRequest, onChunk?: (text: string) => void): Promise<GenerateResult> {
    parseGenerateRequest(request);
    const loaded = await this.#acquireLlm(modelId);
    try {
      return await runGeneration(loaded, request, onChunk, (stats, result) => {
        this.metrics.record({
          type: "generation.completed",
          modelId,
          promptTokens: result.promptTokens,
          generatedTokens: result.tokensUsed,
          promptTokensPerSecond: stats.promptTokensPerSecond,
          generationTokensPerSecond: stats.generationTokensPerSecond,
          queueWaitMs: stats.queueWaitMs,
          totalMs: result.generationTime,
          finishReason: result.finishReason,
        });
        if (result.finishReason !== "abort" && result.tokensUsed > 0) {
          const sample = {
            kind: "generate" as const,
            ms: Math.round(result.generationTime),
            threads: loaded.threads,
            contextSize: loaded.contextSize,
            promptTokensPerSecond: Math.round(stats.promptTokensPerSecond),
            generationTokensPerSecond: Math.round(stats.generationTokensPerSecond),
          };
          void this.registry.recordPerformance(modelId, sample, false); // written with the next save (unload, scan, dispose)
        }
      });
    } catch (error) {
      this.metrics.record({ type: "generation.failed", modelId, code: ModelManagerError.isInstance(error) ? error.code : "UNKNOWN" });
      throw error;
    }
  }

  /** Streams text pieces; the generator's return value is the final result. Breaking out aborts. */
  stream(modelId: string, request: GenerateRequest): AsyncGenerator<{ text: string }, GenerateResult, undefined> {
    parseGenerateRequest(request);
    return streamGeneration((r, onChunk) => this.generate(modelId, r, onChunk), request);
  }

  /** The same stream as an rxjs Observable of chunks followed by the result; unsubscribing aborts. */
  observe(modelId: string, request: GenerateRequest): Observable<GenerationEvent> {
    parseGenerateRequest(request);
    return observeGeneration((r, onChunk) => this.generate(modelId, r, onChunk), request);
  }

  /** core's `Llm` for one model id (a light handle; the model loads on first use). */
  llm(modelId: string): LlamaCppLlm {
    this.registry.get(modelId);
    return new LlamaCppLlm(this, modelId);
  }

  /** core's `Embedder` for one GGUF embedding model id. */
  embedder(modelId: string): LlamaCppEmbedder {
    this.registry.get(modelId);
    return new LlamaCppEmbedder(this, modelId);
  }

  /** Counts tokens with the model's own tokenizer. */
  async countTokens(modelId: string, text: string): Promise<number> {
    const loaded = await this.#acquire(modelId);
    loaded.lastUsedAt = Date.now();
    return loaded.model.tokenize(text).length;
  }

  /** The context size a model has once loaded (or will get, before it is). */
  plannedContextSize(modelId: string): number {
    const loaded = this.#loaded.get(modelId);
    if (loaded) return loaded.contextSize;
    const info = this.registry.get(modelId).info;
    const trained = info?.format === "gguf" ? info.contextLength : undefined;
    return Math.min(trained ?? this.config.maxContextSize, this.config.maxContextSize);
  }

  /** Internal: the loaded embedding model (for LlamaCppEmbedder). */
  async acquireEmbedding(modelId: string): Promise<LoadedEmbedding> {
    const loaded = await this.#acquire(modelId);
    if (loaded.kind !== "embedding") throw new ModelKindError(modelId, loaded.kind, "embedding");
    loaded.lastUsedAt = Date.now();
    return loaded;
  }

  /** Reports an embedding run to the metrics. */
  recordEmbedding(modelId: string, texts: number, totalMs: number, queueWaitMs: number): void {
    this.metrics.record({ type: "embedding.completed", modelId, texts, totalMs, queueWaitMs });
  }

  /**
   * Downloads a model the user asked for (`https://…` or `hf:<repo>/<file>`): the only code path
   * that opens the network, inside core's allowNetwork(). Registers the file when done.
   */
  async pull(source: string, options: Omit<PullOptions, "destinationDir"> & { readonly onProgress?: (p: DownloadProgress) => void } = {}): Promise<ModelRecord> {
    this.#assertOpen();
    const destinationDir = this.config.downloadDir ?? (this.config.modelDirs[0] as string);
    try {
      const file = await downloadModelFile(source, { ...options, destinationDir, logger: this.#logger });
      const record = await this.registry.addFile(file.path);
      await this.#audit.record({ action: "model.pull", outcome: "success", actor: "system", resource: record.id, details: { bytes: file.bytes, sha256: file.sha256 } });
      return record;
    } catch (error) {
      // The download's own error is what the caller needs: a failing audit sink must not replace it.
      await this.#audit
        .record({
          action: "model.pull",
          outcome: "failure",
          actor: "system",
          details: { code: ModelManagerError.isInstance(error) ? error.code : "UNKNOWN", host: safeHost(source) },
        })
        .catch((auditError: unknown) => this.#logger.warn({ err: (auditError as Error).message }, "could not audit a failed model download"));
      throw error;
    }
  }

  /** Unloads every model and releases the native runtime. Using the manager afterwards throws. */
  dispose(): Promise<void> {
    this.#disposing ??= this.#dispose();
    return this.#disposing;
  }

  async #dispose(): Promise<void> {
    this.#disposed = true;
    await Promise.all([...this.#loading.values()].map((p) => p.catch(() => undefined)));
    for (const loaded of [...this.#loaded.values()]) await this.#unload(loaded, "disposed");
    await this.onnx.dispose();
    await this.#runtime.dispose();
    await this.registry.save();
    this.metrics.complete();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  async #acquireLlm(modelId: string): Promise<LoadedLlm> {
    const loaded = await this.#acquire(modelId);
    if (loaded.kind !== "causal") throw new ModelKindError(modelId, loaded.kind, "causal (text generation)");
    loaded.lastUsedAt = Date.now();
    return loaded;
  }

  async #acquire(modelId: string, options: LoadOptions = {}): Promise<LoadedModel> {
    this.#assertOpen();
    if (!this.#scanned) await this.scan();
    const existing = this.#loaded.get(modelId);
    if (existing && !existing.disposed) return existing;
    let pending = this.#loading.get(modelId);
    if (!pending) {
      pending = this.#load(modelId, options).finally(() => this.#loading.delete(modelId));
      this.#loading.set(modelId, pending);
    }
    return pending;
  }

  async #load(modelId: string, options: LoadOptions): Promise<LoadedModel> {
    const record = this.registry.get(modelId);
    if (record.status === "error") throw new ModelLoadError(modelId, record.error?.message ?? "the file is unusable");
    if (record.format !== "gguf" || record.info?.format !== "gguf") {
      throw new ModelKindError(modelId, "ONNX", "GGUF; use manager.onnx for ONNX models");
    }
    const info = record.info;
    const kind = info.kind;
    this.registry.setStatus(modelId, "loading");
    let model: LlamaModel | undefined;
    try {
      // Weights are memory-mapped: the file size is what they will hold.
      await this.#makeRoom(modelId, record.sizeBytes, 1);
      const llama = await this.#runtime.llama();
      const hardware = await this.hardware();
      const started = performance.now();
      const threads = chooseThreads({
        usableCores: hardware.usableCores,
        concurrentContexts: this.#loaded.size + 1,
        parameterCount: info.parameterCount,
        ...((options.threads ?? this.config.threads) === undefined ? {} : { requested: options.threads ?? this.config.threads }),
      });
      model = await llama.loadModel({ modelPath: record.path, gpuLayers: this.config.gpu === false ? 0 : "auto" }).catch((error: unknown) => {
        throw new ModelLoadError(modelId, error instanceof Error ? error.message : String(error), error);
      });
      const weights = model.fileInsights.estimateModelResourceRequirements({ gpuLayers: model.gpuLayers }).cpuRam;
      const concurrency = options.concurrency ?? (kind === "embedding" ? 1 : this.config.maxConcurrentRequests);
      const trained = info.contextLength ?? this.config.maxContextSize;
      const ceiling = Math.min(options.contextSize ?? Math.min(trained, this.config.maxContextSize), trained);
      const insights = model.fileInsights;
      const gpuLayers = model.gpuLayers;
      const plan = (contextSize: number) => {
        const batchSize = Math.min(contextSize, 512);
        const ctx = insights.estimateContextResourceRequirements({
          contextSize,
          modelGpuLayers: gpuLayers,
          batchSize,
          sequences: concurrency,
          isEmbeddingContext: kind === "embedding",
        }).cpuRam;
        return { contextSize, batchSize, memoryBytes: weights + ctx };
      };
      // Prefer the full context: first unload idle models, then shrink the context, then refuse.
      let chosen = plan(ceiling);
      if (chosen.memoryBytes > this.freeMemoryBytes()) await this.#makeRoom(modelId, chosen.memoryBytes, 0, false);
      const free = this.freeMemoryBytes();
      if (options.contextSize === undefined) {
        while (chosen.memoryBytes > free && chosen.contextSize / 2 >= MIN_CONTEXT_SIZE) chosen = plan(Math.floor(chosen.contextSize / 2));
      }
      if (chosen.memoryBytes > free) throw new InsufficientMemoryError(modelId, chosen.memoryBytes, free);
      const queue = new RequestQueue(concurrency);
      const base = { id: modelId, llama, model, queue, threads, contextSize: chosen.contextSize, batchSize: chosen.batchSize, memoryBytes: chosen.memoryBytes, lastUsedAt: Date.now(), disposed: false };
      let loaded: LoadedModel;
      try {
        if (kind === "embedding") {
          const context = await model.createEmbeddingContext({ contextSize: chosen.contextSize, batchSize: chosen.batchSize, threads });
          loaded = { ...base, kind, context, dimensions: model.embeddingVectorSize, loadMs: performance.now() - started };
        } else {
          const context = await model.createContext({ contextSize: chosen.contextSize, batchSize: chosen.batchSize, sequences: concurrency, threads });
          const freeSequences = Array.from({ length: concurrency }, () => context.getSequence());
          loaded = { ...base, kind, context, freeSequences, grammars: new Map(), chatWrapper: undefined, loadMs: performance.now() - started };
        }
      } catch (error) {
        if (ModelManagerError.isInstance(error)) throw error;
        const message = error instanceof Error ? error.message : String(error);
        if (/memory|VRAM|RAM/i.test(message)) throw new InsufficientMemoryError(modelId, chosen.memoryBytes, this.freeMemoryBytes(), error);
        throw new ModelLoadError(modelId, `cannot create a context of ${chosen.contextSize} tokens (${message})`, error);
      }
      this.#loaded.set(modelId, loaded);
      this.registry.setStatus(modelId, "loaded");
      this.metrics.record({ type: "model.loaded", modelId, loadMs: loaded.loadMs, threads, contextSize: loaded.contextSize, memoryBytes: loaded.memoryBytes });
      void this.registry.recordPerformance(modelId, { kind: "load", ms: Math.round(loaded.loadMs), threads, contextSize: loaded.contextSize }).catch(() => undefined);
      this.#logger.info({ modelId, threads, contextSize: loaded.contextSize, loadMs: Math.round(loaded.loadMs) }, "model loaded");
      return loaded;
    } catch (error) {
      await model?.dispose().catch(() => undefined);
      if (this.registry.find(modelId)) this.registry.setStatus(modelId, "available");
      this.metrics.record({ type: "model.load-failed", modelId, code: ModelManagerError.isInstance(error) ? error.code : "UNKNOWN" });
      throw error;
    }
  }

  /** Unloads idle models, least recently used first, until `needed` bytes (and a model slot) are free. */
  async #makeRoom(modelId: string, needed: number, slots: number, refuse = true): Promise<void> {
    const over = () => needed > this.freeMemoryBytes() || this.#loaded.size + slots > this.config.maxLoadedModels;
    while (over()) {
      const victim = [...this.#loaded.values()]
        .filter((m) => m.queue.active === 0 && m.queue.waiting === 0)
        .sort((a, b) => a.lastUsedAt - b.lastUsedAt)[0];
      if (!victim) break;
      this.#logger.info({ modelId: victim.id, for: modelId }, "evicting least recently used model");
      await this.#unload(victim, "evicted");
    }
    if (refuse && needed > this.freeMemoryBytes()) throw new InsufficientMemoryError(modelId, needed, this.freeMemoryBytes());
  }

  async #unload(loaded: LoadedModel, reason: "requested" | "evicted" | "disposed"): Promise<void> {
    if (loaded.disposed) return;
    this.#loaded.delete(loaded.id);
    await loaded.queue.whenIdle();
    loaded.disposed = true;
    await loaded.context.dispose().catch(() => undefined);
    await loaded.model.dispose().catch(() => undefined);
    if (this.registry.find(loaded.id)) this.registry.setStatus(loaded.id, "available");
    await this.registry.save().catch((error: unknown) => this.#logger.warn({ modelId: loaded.id, err: String(error) }, "registry not saved"));
    this.metrics.record({ type: "model.unloaded", modelId: loaded.id, reason });
  }

  #assertOpen(): void {
    if (this.#disposed) throw new DisposedError("ModelManager");
  }
}

/** The host a download came from, for the audit log; an IP address is recorded only as its kind (the log refuses addresses). */
function safeHost(source: string): string {
  if (source.startsWith("hf:")) return "huggingface.co";
  try {
    const host = new URL(source).hostname.replace(/^\[|\]$/g, "");
    return isIP(host) === 0 ? host : `(IPv${isIP(host)} address)`;
  } catch {
    return path.basename(source).slice(0, 40);
  }
}
