import { AuditSink, ContentCipher, Llm, Scrubber, coreModule, createContainer, createPinoLogger, disposeContainer, type Logger } from "@bear/core";
import fs from "node:fs";
import path from "node:path";
import type { AuditLog, PiiScrubber, TokenVaultSnapshot } from "@bear/security";
import type { RagEngine } from "@bear/rag";
import type { ModelManager } from "@bear/model-manager";
import type { StepHandlerRegistry, WorkflowEngine } from "@bear/workflow-engine";
import type * as ModelManagerPackage from "@bear/model-manager";
import type * as RagPackage from "@bear/rag";
import type * as WorkflowPackage from "@bear/workflow-engine";
import type { CommandContext } from "./context";
import { withholding } from "./workspace/audit-sink";
import { workspaceContentCipher } from "./workspace/content-cipher";

export interface ServiceNeeds {
  /**
   * Bind the RAG engine; `root` confines what ingest may read. (rag itself keeps several processes
   * on one index safe: one writes at a time, and recovery never touches another's ingest.)
   */
  readonly rag?: { readonly root?: string };
  /** Bind the model manager (and the configured Llm / Embedder). */
  readonly models?: boolean;
  /** Bind core's Llm to the configured or active model (for `bear ask`). */
  readonly llm?: boolean;
  /** Bind the workflow engine on the workspace database; `file_operations` steps are confined to `filesRoot`. */
  readonly workflows?: { readonly filesRoot: string };
}

/** The packages composed for one command, in one Inversify container, disposed at the end. */
export interface Services {
  readonly logger: Logger;
  readonly audit: AuditSink;
  auditLog(): AuditLog;
  scrubber(): PiiScrubber;
  /** Persists the token vault (originals of `reversible` redactions, sealed) to the workspace. */
  saveVault(): void;
  rag(): Promise<RagEngine>;
  models(): ModelManager;
  /** core's Llm when one is configured or active (and `llm` was asked for). */
  llm(): Llm | undefined;
  workflows(): Promise<WorkflowEngine>;
  /** The step types the engine will know; register more before the first `workflows()`. */
  workflowRegistry(): StepHandlerRegistry;
  dispose(): Promise<void>;
}

/**
 * Builds the container inside the command handler (never at import time), so `bear --help` loads
 * no package code and no native addon. Packages are imported here, lazily.
 */
export async function openServices(ctx: CommandContext, needs: ServiceNeeds = {}): Promise<Services> {
  const keys = await ctx.keys();
  const config = ctx.config;
  const logger = createPinoLogger({ level: ctx.logLevel, name: "bear" });
  const security = await import("@bear/security");
  const modules = [
    coreModule({ config, logger }),
    security.securityModule({ auditDir: ctx.layout.audit, auditKey: keys.auditKey, vaultKey: keys.vaultKey, hashKey: keys.hashKey }),
  ];
  const embedderId = ctx.embedderId;
  const llmId = needs.llm ? ctx.llmId : undefined;
  let modelManager: typeof ModelManagerPackage | undefined;
  if (needs.models || llmId !== undefined || (embedderId !== undefined && needs.rag)) {
    modelManager = await import("@bear/model-manager");
    modules.push(
      modelManager.modelManagerModule({
        modelDirs: ctx.modelDirs,
        registryFile: `${ctx.layout.state}/models.json`,
        ...(config.models.threads === undefined ? {} : { threads: config.models.threads }),
        ...(config.models.memoryBudgetMb === undefined ? {} : { memoryBudgetMb: config.models.memoryBudgetMb }),
        ...(llmId === undefined ? {} : { defaultLlm: llmId }),
        ...(embedderId === undefined || !needs.rag ? {} : { defaultEmbedder: embedderId }),
      }),
    );
  }
  let rag: typeof RagPackage | undefined;
  if (needs.rag) {
    rag = await import("@bear/rag");
    const userChunking = (ctx.loaded.sources["rag.chunkSize"] ?? "default") !== "default";
    modules.push(
      rag.ragModule({
        dir: ctx.indexDir,
        ...(needs.rag.root ? { root: needs.rag.root } : {}),
        maxFileBytes: config.rag.maxFileSizeMb * 1024 * 1024,
        ocr: { enabled: config.ocr.enabled, engine: config.ocr.engine, languages: config.ocr.languages },
        // ids nobody can compute from a guessed file name without the workspace's keys
        documentIdKey: security.deriveKey(keys.hashKey, "rag/document-id"),
        // rag's own tuned chunking (legal, 600 chars) unless the user chose a size.
        ...(userChunking ? { chunking: { strategy: "legal" as const, targetChars: config.rag.chunkSize, overlapChars: config.rag.chunkOverlap } } : {}),
      }),
    );
  }
  let workflow: typeof WorkflowPackage | undefined;
  if (needs.workflows) {
    workflow = await import("@bear/workflow-engine");
    modules.push(
      workflow.workflowEngineModule({
        dbPath: workflowDbPath(ctx),
        workspaceRoot: needs.workflows.filesRoot,
        maxParallelSteps: config.workflows.parallelism,
        retention: `${config.workflows.retentionDays * 24}h`,
        // A CLI command runs one workflow; interrupted runs are listed, not silently resumed.
        resumeOnOpen: false,
      }),
    );
  }
  const container = createContainer(...modules);
  // AuditLog itself keeps one chain across the `bear` processes (and a `bear serve`) sharing the
  // workspace; the scrubber is built on the same sink so its records take the same path.
  const auditLog = container.get<AuditLog>(security.AuditLogToken);
  const audit = withholding(auditLog);
  const vault = new security.TokenVault(keys.vaultKey, readVaultSnapshot(ctx));
  // The local user holding the workspace keys (and its passphrase, if sealed) owns the workspace:
  // restoring is theirs to do; every attempt is audited by the scrubber.
  const scrubber = new security.PiiScrubber({ audit, hashKey: keys.hashKey, vault, authorizeRestore: async () => true });
  container.unbind(AuditSink);
  container.bind<AuditSink>(AuditSink).toConstantValue(audit);
  container.unbind(Scrubber);
  // A passphrase-protected workspace keeps its index encrypted at rest (rag takes the ContentCipher).
  // So does its workflow database (step outputs may quote documents).
  if ((needs.rag || needs.workflows) && ctx.manifest().encryption) container.bind<ContentCipher>(ContentCipher).toConstantValue(await workspaceContentCipher(keys));
  // rag scrubs PII before indexing whenever a Scrubber is bound: only when the user asked for it.
  if (!needs.rag || config.security.scrubOnIngest) container.bind<Scrubber>(Scrubber).toConstantValue(scrubber);
  // The Llm / Embedder handles look their model up in the registry when created: scan first.
  // (model-manager's module does not; see the report.)
  if (modelManager && (llmId !== undefined || (embedderId !== undefined && needs.rag))) {
    await container.get<ModelManager>(modelManager.ModelManagerToken).scan();
  }
  let ragEngine: Promise<RagEngine> | undefined;
  const openRag = async (): Promise<RagEngine> => {
    if (!rag) throw new Error("the RAG engine was not requested for this command");
    return container.getAsync<RagEngine>(rag.RagEngineToken);
  };
  return {
    logger,
    audit,
    auditLog: () => auditLog,
    scrubber: () => scrubber,
    saveVault: () => writeVaultSnapshot(ctx, vault.snapshot()),
    rag: () => (ragEngine ??= openRag()),
    models: () => {
      if (!modelManager) throw new Error("the model manager was not requested for this command");
      return container.get<ModelManager>(modelManager.ModelManagerToken);
    },
    llm: () => (container.isBound(Llm) ? container.get<Llm>(Llm) : undefined),
    workflows: async () => {
      if (!workflow) throw new Error("the workflow engine was not requested for this command");
      return container.getAsync<WorkflowEngine>(workflow.WorkflowEngineToken);
    },
    workflowRegistry: () => {
      if (!workflow) throw new Error("the workflow engine was not requested for this command");
      return container.get<StepHandlerRegistry>(workflow.StepHandlerRegistryToken);
    },
    dispose: async () => {
      scrubber.dispose();
      await disposeContainer(container);
    },
  };
}

/** Runs `fn` with the services and always disposes them (models unloaded, databases closed). */
export async function withServices<T>(ctx: CommandContext, needs: ServiceNeeds, fn: (services: Services) => Promise<T>): Promise<T> {
  const services = await openServices(ctx, needs);
  try {
    return await fn(services);
  } finally {
    await services.dispose();
  }
}

export function workflowDbPath(ctx: CommandContext): string {
  return `${ctx.layout.state}/workflows.db`;
}

const vaultFile = (ctx: CommandContext): string => path.join(ctx.layout.state, "vault.json");

function readVaultSnapshot(ctx: CommandContext): TokenVaultSnapshot | undefined {
  try {
    return JSON.parse(fs.readFileSync(vaultFile(ctx), "utf8")) as TokenVaultSnapshot;
  } catch {
    return undefined;
  }
}

/** Merges with what is on disk (another `bear` may have added tokens meanwhile) and replaces the file atomically. */
function writeVaultSnapshot(ctx: CommandContext, snapshot: TokenVaultSnapshot): void {
  const current = readVaultSnapshot(ctx);
  const merged: TokenVaultSnapshot = { ...snapshot, entries: { ...(current?.keyCheck === snapshot.keyCheck ? current.entries : {}), ...snapshot.entries } };
  const tmp = `${vaultFile(ctx)}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(merged), { mode: 0o600 });
  fs.renameSync(tmp, vaultFile(ctx));
}
