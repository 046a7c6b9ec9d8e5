import path from "node:path";
import { ContainerModule } from "inversify";
import { AgentTool, AuditSink, BearConfig, Cache, CachedLlm, ContentCipher, Llm, coreModule, createContainer, defaultBearConfig, DocumentKeyring, silentLogger } from "@bear/core";
import { ClusterNode, clusterModule } from "@bear/cluster";
import { agentsModule, SpecialistToken } from "@bear/agents";
import { legalModule } from "@bear/legal";
import { modelManagerModule, ModelManagerToken, type ModelManager } from "@bear/model-manager";
import { PluginHostToken, pluginsModule, type PluginHost } from "@bear/plugins";
import { DocumentPreparerToken, hasUnfinishedIngest, ragModule, type DocumentPreparer } from "@bear/rag";
import { AccessControlToken, DataKeyring, EnvelopeCipherToken, contentCipherFromKey, type KeyEncryptionKey, securityModule, type AccessControl, type EnvelopeCipher, type PiiScanPool } from "@bear/security";
import { KnownMatters, workflowEngineModule } from "@bear/workflow-engine";
import { legalSpecialist } from "./agents/legal-specialist";
import { clusterStepsSpecialist, workerPreparer } from "./cluster/cluster-steps";
import { RemoteLlm } from "./cluster/remote-llm";
import { workspaceSpecialists } from "./agents/workspace-specialists";
import { AuditPolicy } from "./audit/audit-policy";
import { workspaceCacheModule } from "./cache/workspace-cache";
import { WorkspaceFolder } from "./folder/workspace-folder";
import type { WorkspaceManifest } from "./folder/workspace-manifest";
import { migrateWorkspace } from "./folder/workspace-migrations";
import type { WorkspaceKeys } from "./keys/workspace-keys";
import { WorkspaceSecrets } from "./keys/workspace-secrets";
import { WorkspacePlugins, workspacePluginsConfig } from "./plugins/workspace-plugins";
import { LiveRuns } from "./runs/live-runs";
import { UploadStore } from "./uploads/upload-store";
import { WorkspaceUsers } from "./users/workspace-users";
import { ConversationStore } from "./conversations/conversation-store";
import { VaultFile } from "./vault/vault-file";
import { Workspace } from "./workspace";
import { matterFolders, WorkspaceMatters } from "./matters/workspace-matters";
import { guardRedisServers } from "./cluster/redis-server-guard";
import { Offload } from "./offload/offload";
import type { OpenWorkspaceOptions } from "./workspace-options";
import { WorkspaceActs, workspaceTools } from "./tools/workspace-tools";
import { AuditPolicyToken, ConversationStoreToken, LiveRunsToken, UploadStoreToken, VaultFileToken, WorkspaceActsToken, WorkspaceFolderToken, WorkspacePluginsToken, WorkspaceUsersToken } from "./workspace-tokens";

/**
 * Opens (or, with `create`, creates) the workspace under `config.dataDir` and composes the product:
 * the one composition root both apps use. Nothing is opened eagerly but the audit log; indexes,
 * databases and models open on first use.
 */
export async function openWorkspace(options: OpenWorkspaceOptions): Promise<Workspace> {
  const folder = WorkspaceFolder.at(options.config.dataDir);
  let manifest = folder.manifest();
  if (!manifest && options.create) manifest = await folder.create({ ...(typeof options.passphrase === "string" ? { passphrase: options.passphrase } : {}), ...(options.scrypt ? { scrypt: options.scrypt } : {}) });
  manifest ??= folder.requireManifest();
  folder.ensureFolders();
  // a Redis that answers clients without a password is refused before anything connects to it (and
  // before a passphrase is asked for); an unreachable cluster Redis too when the caller fails fast
  await guardRedisServers([{ url: options.cluster?.redisUrl, required: options.cluster?.failFast === true }, { url: options.config.cache.redisUrl, setting: "cache.redisUrl" }], options.logger ?? silentLogger);
  // the keys and every key derived from them are zeroed when the workspace is disposed
  const secrets = new WorkspaceSecrets(await folder.keys(options.passphrase));
  const llmId = options.llm === false ? undefined : folder.llmId(options.config);
  const embedderId = folder.embedderId(options.config);
  const cluster = options.cluster ? joinCluster(options, folder, manifest) : undefined;
  // one worker pool for the workspace's heavy work: scans (redaction, ingest scrubbing) and reviews
  const offload = new Offload(options.offload);
  const container = createContainer(
    ...workspaceModules(options, folder, manifest, secrets, offload.scans),
    workspaceModule(folder),
    ...(cluster ? [clusterModule(cluster.node, options.cluster!.role)] : []),
    // an API instance's ingests prepare files on the workers (extract, OCR, scrub, chunk, embed); it commits them
    ...(cluster && options.cluster!.role === "instance" ? [instancePreparerModule(cluster.node, folder.paths.uploads)] : []),
    // and its answers' generations run on the workers that have the model
    ...(cluster && options.cluster!.role === "instance" && llmId !== undefined ? [remoteLlmModule(cluster.node, llmId)] : []),
  );
  cluster?.bindCipher(() => (container.isBound(ContentCipher) ? container.get<ContentCipher>(ContentCipher) : undefined));
  // an older layout's folders, brought up to date once (sealed with the workspace's cipher when encrypted)
  manifest = await migrateWorkspace(folder, manifest, manifest.encryption && container.isBound(ContentCipher) ? container.get<ContentCipher>(ContentCipher) : undefined, options.logger ?? silentLogger);
  const workspace = new Workspace({
    ...(cluster ? { cluster: { node: cluster.node, role: options.cluster!.role } } : {}),
    container,
    config: options.config,
    logger: options.logger ?? silentLogger,
    folder,
    manifest,
    llmId,
    embedderId,
    resumeWorkflows: options.resumeWorkflows ?? true,
    vaultKey: secrets.keys.vaultKey,
    contentIdKey: secrets.derive("audit/content-id"),
    secrets,
    offload,
  });
  // An ingest killed mid-run committed documents it never audited: opening the index records them.
  if (hasUnfinishedIngest(folder.indexDir(embedderId))) await workspace.reconcileUnfinishedIngests();
  // An upload cut short left its original in clear (encrypted workspaces): seal it or undo it. Instances of a
  // cluster may run on several machines, where another's process ids mean nothing: they leave it to a standalone open.
  if (!options.cluster) await workspace.recoverUploads();
  return workspace;
}

/**
 * Every package's ContainerModule, configured for this workspace. `keys`: the workspace's keys, or
 * (openWorkspace) its WorkspaceSecrets, which keep every key derived here to zero on dispose.
 */
export function workspaceModules(options: OpenWorkspaceOptions, folder: WorkspaceFolder, manifest: WorkspaceManifest, keys: WorkspaceKeys | WorkspaceSecrets, scanPool?: PiiScanPool): ContainerModule[] {
  const { config } = options;
  const secrets = keys instanceof WorkspaceSecrets ? keys : new WorkspaceSecrets(keys);
  const paths = folder.paths;
  const llmId = options.llm === false ? undefined : folder.llmId(config);
  const embedderId = folder.embedderId(config);
  const vault = new VaultFile(paths.vaultFile).read();
  const defaults = defaultBearConfig(config.dataDir).rag;
  const userChunking = config.rag.chunkSize !== defaults.chunkSize || config.rag.chunkOverlap !== defaults.chunkOverlap;
  return [
    coreModule({ config, logger: options.logger ?? silentLogger }),
    securityModule({
      auditDir: paths.audit,
      auditKey: secrets.keys.auditKey,
      vaultKey: secrets.keys.vaultKey,
      hashKey: secrets.keys.hashKey,
      // the scrubber (ingest's scrubbing) scans on the workspace's worker threads
      ...(scanPool ? { scanPool } : {}),
      ...(vault ? { vaultSnapshot: vault } : {}),
      principalsFile: paths.principalsFile,
      withholdRefusedAuditValues: true,
      ...(options.owner ? { owner: options.owner } : {}),
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
      // A passphrase-protected workspace keeps its content encrypted at rest: the index (rag takes
      // the ContentCipher), the workflow database and uploads (the EnvelopeCipher).
      ...(manifest.encryption ? { kek: secrets.contentKey(), encryptionRoot: paths.root } : {}),
    }),
    modelManagerModule({
      modelDirs: folder.modelDirs(config),
      registryFile: paths.modelRegistryFile,
      ...(config.models.threads === undefined ? {} : { threads: config.models.threads }),
      ...(config.models.memoryBudgetMb === undefined ? {} : { memoryBudgetMb: config.models.memoryBudgetMb }),
      // a cluster's API instance generates on the workers (remoteLlmModule): it never loads the model
      ...(llmId === undefined || options.cluster?.role === "instance" ? {} : { defaultLlm: llmId }),
      ...(embedderId === undefined ? {} : { defaultEmbedder: embedderId }),
    }),
    ragModule(
      {
        dir: folder.indexDir(embedderId),
        root: options.ingestRoot ?? paths.uploads,
        maxFileBytes: config.rag.maxFileSizeMb * 1024 * 1024,
        // ids nobody can compute from a guessed file name without the workspace's keys
        documentIdKey: secrets.derive("rag/document-id"),
        ocr: { enabled: config.ocr.enabled, engine: config.ocr.engine, languages: config.ocr.languages, ...(config.ocr.model ? { model: config.ocr.model } : {}), ...(config.ocr.dpi ? { dpi: config.ocr.dpi } : {}), ...(config.ocr.maxPages ? { maxPages: config.ocr.maxPages } : {}), ...(config.ocr.pageTimeoutMs ? { pageTimeoutMs: config.ocr.pageTimeoutMs } : {}) },
        // rag's own tuned chunking (legal, 600 chars) unless the user chose a size.
        ...(userChunking ? { chunking: { strategy: "legal" as const, targetChars: config.rag.chunkSize, overlapChars: config.rag.chunkOverlap } } : {}),
        ...(options.indexLockWaitMs === undefined ? {} : { lockWaitMs: options.indexLockWaitMs }),
      },
      // rag scrubs PII before indexing only when the user asked for it.
      { scrubOnIngest: config.security.scrubOnIngest },
    ),
    workflowEngineModule({
      dbPath: paths.workflowDb,
      workspaceRoot: options.workflowFiles ?? paths.workflows,
      // The workspace's own folder: one sealed area per matter (a folder the user picked stays as it is).
      matterFolders: options.workflowFiles === undefined,
      maxParallelSteps: config.workflows.parallelism,
      retention: `${config.workflows.retentionDays * 24}h`,
      // In a cluster the database is shared by the instances, and run leases decide who resumes what.
      resumeOnOpen: options.cluster ? false : (options.resumeWorkflows ?? true),
      sharedDatabase: options.cluster !== undefined,
      // A worker runs queued steps, never runs: it neither stops a standalone server opening nor is stopped by one.
      announcePresence: options.cluster?.role !== "worker",
    }),
    // The monitor checks on a timer (never keeping the process alive): stuck agents leave the balancer's pool, failing ones come back on probation.
    agentsModule({ workspaceRoot: options.workflowFiles ?? paths.workflows, monitor: { intervalMs: 10_000, ...options.agentMonitor } }),
    legalModule(),
    pluginsModule(workspacePluginsConfig(paths, config)),
    // Clustered and encrypted, the cache's L2 is the cluster's Redis (shared by every instance and worker; values sealed)
    // unless the config names another; an unencrypted workspace keeps its disk L2, so no document text reaches Redis unasked.
    workspaceCacheModule(options.cluster && manifest.encryption !== null && !config.cache.redisUrl ? { ...config.cache, redisUrl: options.cluster.redisUrl } : config.cache, paths, secrets, manifest.encryption !== null),
    ...(manifest.encryption ? [dataKeysModule(paths.dataKeys, secrets.contentKey())] : []),
  ];
}

/**
 * An encrypted workspace's per-document data keys (core's DocumentKeyring): rag seals each
 * document's stored text under its own key, uploads their original under a key derived from it,
 * and deleting the document destroys it (crypto-shredding).
 */
function dataKeysModule(dir: string, kek: KeyEncryptionKey): ContainerModule {
  return new ContainerModule(({ bind, onDeactivation }) => {
    bind(DocumentKeyring)
      .toDynamicValue((ctx) => new DataKeyring({ dir, kek, legacy: ctx.get<ContentCipher>(ContentCipher) }))
      .inSingletonScope();
    onDeactivation(DocumentKeyring, (keyring: DataKeyring) => keyring.dispose());
  });
}

/**
 * Binds the workspace's own rules: the audit policy, uploads, live runs, the vault file, users and
 * the plugins, and the step types a cluster's API instances send to their workers.
 */
export function workspaceModule(folder: WorkspaceFolder): ContainerModule {
  const paths = folder.paths;
  return new ContainerModule(({ bind }) => {
    bind(WorkspaceFolderToken).toConstantValue(folder);
    // The packages' tools (search, review, extract_key_terms, redact), acting through the workspace's audited acts.
    const acts = new WorkspaceActs();
    bind(WorkspaceActsToken).toConstantValue(acts);
    // the built-in contract_review workflow's legal.* steps
    bind(SpecialistToken).toConstantValue(legalSpecialist());
    // contract reviewer (@bear/legal), PII scrubber (@bear/security), retrieval (@bear/rag), clause drafter
    for (const specialist of workspaceSpecialists(acts)) bind(SpecialistToken).toConstantValue(specialist);
    // the step types an API instance of a cluster sends to its workers (redact, review, ingest.prepare,
    // llm.*), in every workspace: a workflow that names them runs in-process as on a worker, so a run
    // a cluster left unfinished resumes when the workspace is next opened without --redis
    bind(SpecialistToken).toConstantValue(clusterStepsSpecialist(acts));
    for (const tool of workspaceTools(acts)) bind(AgentTool).toConstantValue(tool);
    bind(VaultFileToken).toConstantValue(new VaultFile(paths.vaultFile));
    bind(LiveRunsToken).toConstantValue(new LiveRuns(paths.liveRuns));
    bind(AuditPolicyToken)
      .toDynamicValue((ctx) => new AuditPolicy(ctx.get<AuditSink>(AuditSink)))
      .inSingletonScope();
    // what names a matter already (folders, grants): new matter ids of runs, grants and conversations are checked against it
    bind<KnownMatters>(KnownMatters)
      .toDynamicValue((ctx) => {
        const access = ctx.get<AccessControl>(AccessControlToken);
        return new WorkspaceMatters(matterFolders(paths), () => access.list().flatMap((p) => p.matters));
      })
      .inSingletonScope();
    bind(WorkspaceUsersToken)
      .toDynamicValue((ctx) => new WorkspaceUsers(ctx.get<AccessControl>(AccessControlToken), ctx.get<KnownMatters>(KnownMatters)))
      .inSingletonScope();
    bind(UploadStoreToken)
      .toDynamicValue((ctx) => {
        const config = ctx.get<BearConfig>(BearConfig);
        const sealer = ctx.get<EnvelopeCipher>(EnvelopeCipherToken, { optional: true });
        const keyring = ctx.get<DocumentKeyring>(DocumentKeyring, { optional: true });
        // Each original under its document's own key when there are data keys (destroyed with the document).
        const sealerFor = keyring instanceof DataKeyring ? (documentId: string) => keyring.envelopeFor(documentId) : sealer ? () => sealer : undefined;
        return new UploadStore(paths.uploads, paths.tmp, config.rag.maxFileSizeMb * 1024 * 1024, sealerFor, keyring instanceof DataKeyring ? sealer : undefined);
      })
      .inSingletonScope();
    bind(ConversationStoreToken)
      .toDynamicValue((ctx) => new ConversationStore(paths.conversations, ctx.get<EnvelopeCipher>(EnvelopeCipherToken, { optional: true }), ctx.get<KnownMatters>(KnownMatters)))
      .inSingletonScope();
    bind(WorkspacePluginsToken)
      .toDynamicValue((ctx) => {
        const config = ctx.get<BearConfig>(BearConfig);
        const host = ctx.get<PluginHost>(PluginHostToken);
        return new WorkspacePlugins(paths, workspacePluginsConfig(paths, config), () => host, ctx.get<AuditSink>(AuditSink));
      })
      .inSingletonScope();
  });
}

/** Binds rag's DocumentPreparer to the cluster's workers (`ingest.prepare` steps). */
function instancePreparerModule(node: ClusterNode, uploads: string): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<DocumentPreparer>(DocumentPreparerToken).toConstantValue(workerPreparer(node, uploads));
  });
}

/**
 * Binds core's Llm, for an API instance of a cluster, to the workers' model (`llm.generate`,
 * `llm.tokens`), behind the workspace cache as modelManagerModule binds the local one.
 */
function remoteLlmModule(node: ClusterNode, llmId: string): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<Llm>(Llm)
      .toDynamicValue((ctx) => {
        const models = ctx.get<ModelManager>(ModelManagerToken);
        // until a worker reports its model's window: the one the model's header gives, if this machine has the file
        const planned = (): number => {
          try {
            return models.plannedContextSize(llmId);
          } catch {
            return 2_048;
          }
        };
        return new CachedLlm(new RemoteLlm(node, llmId, planned), ctx.get<Cache>(Cache), { defaultTemperature: 0 });
      })
      .inSingletonScope();
  });
}

/** The cluster membership of an instance or a worker; payload files live in the shared workspace. */
function joinCluster(options: OpenWorkspaceOptions, folder: WorkspaceFolder, manifest: WorkspaceManifest): { node: ClusterNode; bindCipher(get: () => ContentCipher | undefined): void } {
  const c = options.cluster!;
  let cipher: (() => ContentCipher | undefined) | undefined;
  const encrypted = manifest.encryption !== null;
  const node = new ClusterNode({
    redisUrl: c.redisUrl,
    payloadDir: path.join(folder.paths.root, "cluster", "payloads"),
    // sealed with the workspace's content cipher when it is encrypted (bound once the container exists:
    // used before, the node refuses), else the payloads inside jobs with the cluster's own payload key
    ...(encrypted ? { cipher: () => cipher?.() } : { keyCipher: contentCipherFromKey }),
    ...(c.inlinePayloads ? { inlinePayloads: true } : {}),
    ...(c.localTypes ? { localTypes: c.localTypes } : {}),
    ...(c.leaseMs === undefined ? {} : { leaseMs: c.leaseMs }),
    ...(c.scanMs === undefined ? {} : { scanMs: c.scanMs }),
    ...(c.waitForWorkerMs === undefined ? {} : { waitForWorkerMs: c.waitForWorkerMs }),
    logger: options.logger ?? silentLogger,
  });
  return { node, bindCipher: (get) => (cipher = get) };
}
