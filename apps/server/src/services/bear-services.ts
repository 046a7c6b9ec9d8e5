import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AgentSystem } from "@bear/agents";
import { ensureWorkspace, type BearConfig, type ContentCipher, type Llm, type Logger, type WorkspaceLayout } from "@bear/core";
import { ModelManager } from "@bear/model-manager";
import { RagEngine } from "@bear/rag";
import { createSecurity, deriveKey, type Security } from "@bear/security";
import {
  SqliteRunStore,
  StepHandlerRegistry,
  WorkflowEngine,
  dataProcessingHandler,
  fileOperationsHandler,
  llmGenerationHandler,
} from "@bear/workflow-engine";

export interface ServicesOptions {
  readonly config: BearConfig;
  /** HMAC key of the audit log (≥ 32 bytes). Default: `<dataDir>/state/audit.key`, created once (0600). */
  readonly auditKey?: Uint8Array;
  /** Key of the `hash` scrub operator (stable pseudonyms). Default: `<dataDir>/state/pseudonym.key`. */
  readonly hashKey?: Uint8Array;
  /** Encrypts the document index at rest (core ContentCipher, e.g. @bear/security's KeyedContentCipher). */
  readonly contentCipher?: ContentCipher;
  /** Per-principal token bucket. */
  readonly rateLimit?: { readonly capacity: number; readonly refillPerSecond: number };
  readonly logger?: Logger;
  /** How long an index write waits for another process's (default 30 s: an HTTP request should not hang for minutes). */
  readonly indexLockWaitMs?: number;
}

/** The packages the server composes, opened once and disposed together. */
export interface BearServices {
  readonly config: BearConfig;
  readonly layout: WorkspaceLayout;
  /** Where uploaded files live: `<dataDir>/uploads/<matter>/<file>` (the RAG engine's root). */
  readonly uploadsDir: string;
  readonly security: Security;
  readonly rag: RagEngine;
  readonly models: ModelManager;
  readonly workflows: WorkflowEngine;
  /** Agents on the same workflow engine (coordinator, monitor, executors, validator). */
  readonly agents: AgentSystem;
  /** The default text model, when `models.llm` is configured. */
  readonly llm: Llm | undefined;
  /** Freezes workflow state (runs stay resumable) and releases every native resource. */
  dispose(): Promise<void>;
}

function readOrCreateKey(file: string): Uint8Array {
  try {
    const key = fs.readFileSync(file);
    if (key.length >= 32) return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = randomBytes(32);
  fs.writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/** Opens every package on the workspace under `config.dataDir`. */
export async function openServices(options: ServicesOptions): Promise<BearServices> {
  const { config } = options;
  const layout = ensureWorkspace(config.dataDir);
  const uploadsDir = path.join(layout.root, "uploads");
  fs.mkdirSync(uploadsDir, { recursive: true, mode: 0o700 });
  const workflowFiles = path.join(layout.root, "workflows");
  fs.mkdirSync(workflowFiles, { recursive: true, mode: 0o700 });

  const hashKey = options.hashKey ?? readOrCreateKey(path.join(layout.state, "pseudonym.key"));
  const security = createSecurity({
    auditDir: layout.audit,
    auditKey: options.auditKey ?? readOrCreateKey(path.join(layout.state, "audit.key")),
    hashKey,
    rateLimit: options.rateLimit ?? { capacity: 120, refillPerSecond: 20 },
    // API keys and users survive restarts (hashes only).
    principalsFile: path.join(layout.state, "principals.json"),
  });
  const logger = options.logger;
  const opened: { dispose(): Promise<void> | void }[] = [];
  try {
    const models = await ModelManager.open(
      {
        modelDirs: [layout.models, ...config.models.dirs],
        registryFile: path.join(layout.state, "models.json"),
        ...(config.models.memoryBudgetMb === undefined ? {} : { memoryBudgetMb: config.models.memoryBudgetMb }),
        ...(config.models.threads === undefined ? {} : { threads: config.models.threads }),
        ...(config.models.llm === undefined ? {} : { defaultLlm: config.models.llm }),
        ...(config.models.embedder === undefined ? {} : { defaultEmbedder: config.models.embedder }),
      },
      { audit: security.audit, ...(logger ? { logger } : {}) },
    );
    opened.push(models);
    const llm = config.models.llm ? models.llm(config.models.llm) : undefined;
    const embedder = config.models.embedder ? models.embedder(config.models.embedder) : undefined;

    const rag = await RagEngine.open({
      dir: path.join(layout.indexes, "default"),
      root: uploadsDir,
      maxFileBytes: config.rag.maxFileSizeMb * 1024 * 1024,
      ocr: { enabled: config.ocr.enabled, engine: config.ocr.engine, languages: config.ocr.languages },
      ...(llm ? { llm } : {}),
      ...(embedder ? { embedder } : {}),
      ...(config.security.scrubOnIngest ? { scrubber: security.scrubber } : {}),
      ...(options.contentCipher ? { cipher: options.contentCipher } : {}),
      lockWaitMs: options.indexLockWaitMs ?? 30_000,
      audit: security.audit,
      // ids nobody can compute from a guessed file name without the workspace's keys
      documentIdKey: deriveKey(hashKey, "rag/document-id"),
      ...(logger ? { logger } : {}),
    });
    opened.push(rag);

    const registry = new StepHandlerRegistry();
    registry.register(dataProcessingHandler());
    registry.register(fileOperationsHandler({ workspaceRoot: workflowFiles, audit: security.audit }));
    if (llm) registry.register(llmGenerationHandler(llm));
    const store = await SqliteRunStore.open({ dbPath: path.join(layout.state, "workflows.db"), ...(options.contentCipher ? { cipher: options.contentCipher } : {}) });
    const workflows = new WorkflowEngine({
      store,
      registry,
      audit: security.audit,
      maxParallelSteps: config.workflows.parallelism,
      retentionMs: config.workflows.retentionDays * 24 * 3_600_000,
      ...(logger ? { logger } : {}),
    });
    // Agents add their `agent.*` step types to the engine: before resuming, so their runs resume too.
    const agents = new AgentSystem({
      engine: workflows,
      config: { workspaceRoot: workflowFiles },
      ...(llm ? { llm } : {}),
      scrubber: security.scrubber,
      audit: security.audit,
      ...(logger ? { logger } : {}),
    });
    workflows.resumeInterrupted();

    let disposing: Promise<void> | undefined;
    return {
      config,
      layout,
      uploadsDir,
      security,
      rag,
      models,
      workflows,
      agents,
      llm,
      dispose: () =>
        (disposing ??= (async () => {
          // Running workflows stay resumable: the next start picks them up where they were.
          await workflows.dispose({ suspend: true });
          await agents.dispose();
          await rag.dispose();
          await models.dispose();
          await security.scrubber.dispose();
          await security.audit.dispose();
        })()),
    };
  } catch (error) {
    for (const o of opened.reverse()) await o.dispose();
    throw error;
  }
}
