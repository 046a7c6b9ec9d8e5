import fs from "node:fs";
import path from "node:path";
import type { Container } from "inversify";
import { assertMatterId, Cache, disposeContainer, DocumentKeyring, EventBus, Llm, type BearConfig, type CacheKind, type CacheStats, type Logger, type WorkspaceLayout } from "@bear/core";
import { AgentSystemToken, ToolRegistryToken, type AgentSnapshot, type AgentSpec, type AgentSystem, type ToolRegistry } from "@bear/agents";
import { renderReport, type ContractReviewReport, type ReportFormat } from "@bear/legal";
import { ModelManagerToken, ModelNotFoundError, type ModelManager } from "@bear/model-manager";
import { RagEngineToken, type Answer, type AnswerOptions, type AnswerStreamEvent, type DocumentRecord, type PageImage, type RagEngine, type SearchHit, type SearchOptions } from "@bear/rag";
import {
  AccessControlToken,
  AuditLogToken,
  PiiScannerToken,
  PiiScrubberToken,
  RateLimiterToken,
  resolveOverlaps,
  TokenVaultToken,
  type AccessControl,
  type AuditLog,
  type PiiFinding,
  type PiiScanner,
  type PiiScrubber,
  type PiiScrubResult,
  type RateLimiter,
  type TokenVault,
} from "@bear/security";
import { Executor, StepHandlerRegistryToken, WorkflowEngineToken, type StepHandlerRegistry, type WorkflowEngine } from "@bear/workflow-engine";
import { ClusterError, StepWorker, type ClusterNode } from "@bear/cluster";
import type { AuditPolicy } from "./audit/audit-policy";
import { contentIdOf } from "./audit/content-id";
import { documentSealedCodec } from "./cache/document-sealed-codec";
import { reviewerFingerprint } from "./cache/reviewer-fingerprint";
import type { WorkspaceManifest } from "./folder/workspace-manifest";
import type { WorkspaceFolder } from "./folder/workspace-folder";
import type { LiveRuns } from "./runs/live-runs";
import type { UploadOutcome, UploadRequest, UploadStore } from "./uploads/upload-store";
import type { VaultFile } from "./vault/vault-file";
import type { WorkspacePlugins } from "./plugins/workspace-plugins";
import type { Offload } from "./offload/offload";
import type { WorkspaceUsers } from "./users/workspace-users";
import { MatterTableStore } from "./vault/matter-tables";
import { writeBearMetrics, type RequestMetricsSnapshot } from "./metrics/bear-metrics";
import { PrometheusText } from "./metrics/prometheus-text";
import { turnOf, type Conversation, type ConversationStore } from "./conversations/conversation-store";
import type { WorkspaceActs } from "./tools/workspace-tools";
import { pluginSpecialist } from "./agents/plugin-specialists";
import { AgentStore } from "./agents/agent-store";
import { LLM_STEPS, REDACT_STEP, REVIEW_STEP, reviewResult, scanResult } from "./cluster/cluster-steps";
import { AuditPolicyToken, ConversationStoreToken, LiveRunsToken, UploadStoreToken, VaultFileToken, WorkspaceActsToken, WorkspacePluginsToken, WorkspaceUsersToken } from "./workspace-tokens";

/** Options of `Workspace.review`. */
export interface ReviewOptions {
  readonly actor: string;
  /** Id of what was reviewed, for the audit record (a document id, or a hash of the file). */
  readonly resource: string;
  /** Let the configured model refine the clause labels (slower). Default false. */
  readonly useModel?: boolean;
  /** A review playbook as YAML (default: the built-in one). */
  readonly playbook?: string;
  readonly documentName?: string;
  readonly title?: string;
  /**
   * The stored document reviewed, if it is one: in an encrypted workspace its cached report is
   * sealed under the document's own data key, so deleting the document shreds the report too.
   */
  readonly documentId?: string;
  readonly signal?: AbortSignal;
  /** Extra facts for the audit record (e.g. the file format). */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

/** Options of `Workspace.computeReview` (a review with no cache and no audit record). */
export interface ComputeReviewOptions {
  readonly playbook?: string;
  readonly documentName?: string;
  readonly title?: string;
  /** Let the configured model refine the clause labels (slower). Default false. */
  readonly useModel?: boolean;
  readonly signal?: AbortSignal;
}

/** Options of `Workspace.startWorker`. */
export interface WorkerOptions {
  /** Step types, prefixes (`legal.*`) or `*` (default): which queues this worker takes jobs from. */
  readonly capabilities?: readonly string[];
  /** Jobs run at once per step type (default 1). */
  readonly concurrency?: number;
  /** Lock of a running job: a killed worker's job goes to another after about this long (default 15 s). */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  readonly id?: string;
  /** Serve the step types of plugins installed while the worker runs (default true: the plugin folders are watched). */
  readonly watchPlugins?: boolean;
}

/** Options of `Workspace.redact`. */
export interface RedactOptions {
  readonly actor: string;
  readonly policy?: string;
  readonly documentId?: string;
  /** Also use the PII recognizers of installed plugins (default true). */
  readonly plugins?: boolean;
  /** Share placeholders with earlier redactions of this matter (its table is kept sealed in the workspace). */
  readonly matterId?: string;
  /** Stops the work (e.g. the client went away); the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * An opened workspace: every service the apps need, composed once in one Inversify container, and
 * the workspace's own rules (keys, vault, uploads, live runs, plugins, the audit policy). Services
 * holding native resources open on first use; `dispose()` releases everything.
 */
export class Workspace implements AsyncDisposable {
  readonly config: BearConfig;
  readonly logger: Logger;
  readonly folder: WorkspaceFolder;
  readonly manifest: WorkspaceManifest;
  /** The LLM answers and steps use, when one is configured or active (and asked for). */
  readonly llmId: string | undefined;
  /** The embedding model of the index, when one is configured or active. */
  readonly embedderId: string | undefined;
  readonly audit: AuditPolicy;
  readonly liveRuns: LiveRuns;
  readonly plugins: WorkspacePlugins;
  /** Ask-page conversations per matter (sealed when the workspace is encrypted). */
  readonly conversations: ConversationStore;
  /** Where redaction and review run: worker threads, so a large one never blocks a server's event loop. */
  readonly offload: Offload;
  readonly #container: Container;
  readonly #uploads: UploadStore;
  readonly #agentStore: AgentStore;
  readonly #resumeWorkflows: boolean;
  readonly #vaultKey: Uint8Array;
  readonly #contentIdKey: Uint8Array;
  /** The workspace's keys and those derived from them: zeroed once the container is disposed. */
  readonly #secrets: Disposable | undefined;
  readonly #cluster: { readonly node: ClusterNode; readonly role: "instance" | "worker" } | undefined;
  #worker: StepWorker | undefined;
  #modelsReady: Promise<void> | undefined;
  #workflows: Promise<WorkflowEngine> | undefined;
  #disposing: Promise<void> | undefined;
  /** Errors a service failed to open with (e.g. a database another process holds): the container rethrows them at teardown. */
  readonly #openFailures = new Set<unknown>();

  constructor(init: {
    container: Container;
    config: BearConfig;
    logger: Logger;
    folder: WorkspaceFolder;
    manifest: WorkspaceManifest;
    llmId: string | undefined;
    embedderId: string | undefined;
    resumeWorkflows: boolean;
    vaultKey: Uint8Array;
    /** Keys `contentId` (derived from the workspace's hash key). */
    contentIdKey: Uint8Array;
    secrets?: Disposable;
    cluster?: { readonly node: ClusterNode; readonly role: "instance" | "worker" };
    offload: Offload;
  }) {
    this.offload = init.offload;
    this.#cluster = init.cluster;
    this.#vaultKey = init.vaultKey;
    this.#contentIdKey = init.contentIdKey;
    this.#secrets = init.secrets;
    this.#container = init.container;
    this.config = init.config;
    this.logger = init.logger;
    this.folder = init.folder;
    this.manifest = init.manifest;
    this.llmId = init.llmId;
    this.embedderId = init.embedderId;
    this.#resumeWorkflows = init.resumeWorkflows;
    this.audit = init.container.get<AuditPolicy>(AuditPolicyToken);
    this.liveRuns = init.container.get<LiveRuns>(LiveRunsToken);
    this.plugins = init.container.get<WorkspacePlugins>(WorkspacePluginsToken);
    this.conversations = init.container.get<ConversationStore>(ConversationStoreToken);
    this.#uploads = init.container.get<UploadStore>(UploadStoreToken);
    this.#agentStore = new AgentStore(path.join(path.dirname(init.folder.paths.vaultFile), "agents.json"));
    init.container.get<WorkspaceActs>(WorkspaceActsToken).current = this;
  }

  get layout(): WorkspaceLayout {
    return this.folder.layout;
  }

  get encrypted(): boolean {
    return this.manifest.encryption !== null;
  }

  auditLog(): AuditLog {
    return this.#container.get<AuditLog>(AuditLogToken);
  }

  scrubber(): PiiScrubber {
    return this.#container.get<PiiScrubber>(PiiScrubberToken);
  }

  access(): AccessControl {
    return this.#container.get<AccessControl>(AccessControlToken);
  }

  /** Principals and their API keys: add, list, rotate, revoke (audited with the caller as actor). */
  users(): WorkspaceUsers {
    return this.#container.get<WorkspaceUsers>(WorkspaceUsersToken);
  }

  limiter(): RateLimiter {
    return this.#container.get<RateLimiter>(RateLimiterToken);
  }

  /** Persists the token vault (originals of reversible redactions, sealed) to the workspace, under the vault's lock. */
  async saveVault(): Promise<void> {
    await this.#container.get<VaultFile>(VaultFileToken).save(this.#container.get<TokenVault>(TokenVaultToken));
  }

  models(): ModelManager {
    return this.#container.get<ModelManager>(ModelManagerToken);
  }

  /** core's Llm when one is configured or active (and the workspace was opened with `llm`). */
  async llm(): Promise<Llm | undefined> {
    await this.#scanModels();
    return this.#container.isBound(Llm) ? this.#container.get<Llm>(Llm) : undefined;
  }

  /**
   * What generates with model `id` when it is named explicitly (`POST /models/:id/generate`): the
   * model manager, in-process; on a cluster's API instance the workers, like every generation there
   * (core's Llm is RemoteLlm: the instance loads no model), which serve the workspace's model only.
   * MODEL_NOT_FOUND for another id, before anything is generated.
   */
  async generator(id: string): Promise<Pick<Llm, "generate" | "stream">> {
    if (this.#cluster?.role === "instance") {
      const llm = id === this.llmId ? await this.llm() : undefined;
      if (!llm) throw new ModelNotFoundError(id, this.llmId === undefined ? [] : [this.llmId]);
      return llm;
    }
    const models = this.models();
    models.registry.get(id); // MODEL_NOT_FOUND for an unknown id
    return { generate: (request) => models.generate(id, request), stream: (request) => models.stream(id, request) };
  }

  async rag(): Promise<RagEngine> {
    await this.#scanModels();
    return this.#container.getAsync<RagEngine>(RagEngineToken);
  }

  /**
   * Opens the index, which audits the documents an interrupted ingest committed (records marked
   * `reconciled`). A failure to open is logged, not thrown: commands that need the index report it.
   */
  async reconcileUnfinishedIngests(): Promise<void> {
    try {
      await this.rag();
    } catch (error) {
      this.#openFailures.add(error);
      this.logger.warn({ error: (error as Error).message }, "the index could not be opened to audit an interrupted ingest");
    }
  }

  /**
   * Seals or undoes what uploads a stopped process left in an encrypted workspace (see
   * `UploadStore.recover`); nothing to do (and no index opened) otherwise. Logged, not thrown.
   */
  async recoverUploads(): Promise<void> {
    if (!this.#uploads.needsRecovery()) return;
    try {
      const done = await this.#uploads.recover(await this.rag());
      this.logger.info({ ...done }, "finished uploads a stopped process left");
      if (done.unknown > 0) this.logger.warn({ files: done.unknown }, "files in clear in the uploads folder of an encrypted workspace are not indexed: remove them or ingest them");
    } catch (error) {
      this.#openFailures.add(error);
      this.logger.warn({ error: (error as Error).message }, "uploads a stopped process left could not be finished");
    }
  }

  /**
   * Stored originals in clear in an encrypted workspace's uploads folder, relative to it (an older
   * release's leftovers or files put there by hand; live uploads excepted): what `bear doctor` lists.
   * Reads the first bytes of every upload; opening the workspace does not.
   */
  uploadsInClear(): string[] {
    if (!this.encrypted) return [];
    return this.#uploads.clearOriginals().map((file) => path.relative(this.folder.paths.uploads, file));
  }

  /** The step types the engine will know; register more before the first `workflows()`. */
  workflowRegistry(): StepHandlerRegistry {
    return this.#container.get<StepHandlerRegistry>(StepHandlerRegistryToken);
  }

  /**
   * The workflow engine on the workspace database, with every step type installed first (agents',
   * specialists', plugins'), so interrupted runs resume with all of them.
   */
  workflows(): Promise<WorkflowEngine> {
    this.#workflows ??= (async () => {
      await this.#scanModels();
      await this.plugins.addStepTypes(this.workflowRegistry());
      // before the engine opens: resumed runs' tool_execution steps validate against them
      await this.plugins.addTools(this.#container.get<ToolRegistry>(ToolRegistryToken), this.logger);
      const system = await this.#container.getAsync<AgentSystem>(AgentSystemToken);
      await this.#installPluginAgents(system);
      this.#restoreAgents(system);
      const engine = await this.#container.getAsync<WorkflowEngine>(WorkflowEngineToken);
      // An instance shares run leases with the others (and resumes what a stopped one left); a worker only runs steps.
      if (this.#cluster?.role === "instance") await this.#cluster.node.attach(engine);
      return engine;
    })().catch((error: unknown) => {
      this.#openFailures.add(error);
      throw error;
    });
    return this.#workflows;
  }

  /** Each plugin `agent` extension joins the agents as a specialist (its tasks run in the plugin's sandbox). */
  async #installPluginAgents(system: AgentSystem): Promise<void> {
    for (const extension of await this.plugins.agents()) {
      const specialist = pluginSpecialist(extension);
      if (!specialist || system.specialists.includes(specialist.id)) continue;
      try {
        system.installSpecialist(specialist);
      } catch (error) {
        // e.g. its capability's step type is taken: the other plugins' agents still join
        this.logger.warn({ plugin: extension.plugin, extension: extension.id, error: (error as Error).message }, "a plugin agent could not be installed");
      }
    }
  }

  /** Agents created through the API come back (a spec that no longer fits, e.g. a removed plugin's, is skipped). */
  #restoreAgents(system: AgentSystem): void {
    for (const spec of this.#agentStore.list()) {
      if (system.registry.has(spec.id)) continue;
      try {
        system.createAgent(spec);
      } catch (error) {
        this.logger.warn({ agentId: spec.id, error: (error as Error).message }, "a stored agent could not be created again");
      }
    }
  }

  /** Creates an agent (POST /api/v1/agents) and keeps its spec in the workspace, so it survives a restart; audited. */
  async createAgent(spec: AgentSpec, actor: string): Promise<AgentSnapshot> {
    const snapshot = (await this.agents()).createAgent(spec);
    this.#agentStore.save({ ...spec, id: snapshot.id } as AgentSpec);
    await this.audit.record({ action: "agent.create", outcome: "success", actor, resource: snapshot.id, details: { type: snapshot.type } });
    return snapshot;
  }

  /** Removes an agent (DELETE /api/v1/agents/:id) and its stored spec; audited. */
  async removeAgent(id: string, options: { readonly force?: boolean }, actor: string): Promise<AgentSnapshot> {
    const snapshot = (await this.agents()).removeAgent(id, options);
    this.#agentStore.remove(id);
    await this.audit.record({ action: "agent.remove", outcome: "success", actor, resource: id, details: { type: snapshot.type, force: options.force ?? false } });
    return snapshot;
  }

  /** The cluster this workspace joined (a Redis URL was given), or undefined when everything runs in-process. */
  get cluster(): ClusterNode | undefined {
    return this.#cluster?.node;
  }

  /**
   * Whether this workspace's worker is running a job an API instance marked as one of its acts
   * (`act: true`) for `runId`: BEAR's own step types (review, redact, ingest.prepare, llm.*) run
   * only then (see cluster-steps).
   */
  runsActStep(runId: string): boolean {
    return this.#worker?.runsAct(runId) ?? false;
  }

  /**
   * Runs step jobs of the cluster's queues here (`bear worker`): every step type this workspace
   * knows (agents', legal, plugins'), or those `capabilities` name, through this workspace's agents.
   * Checks in the worker: each payload must have been written for the job's run, step and matter,
   * and a document a step names must belong to that matter.
   */
  async startWorker(options: WorkerOptions = {}): Promise<StepWorker> {
    const node = this.#cluster?.node;
    if (!node || this.#cluster?.role !== "worker") {
      throw new ClusterError("REDIS_URL_INVALID", "this workspace was not opened as a cluster worker", { hint: "Open it with cluster: { redisUrl, role: 'worker' } (bear worker --redis URL).", retryable: false });
    }
    await this.workflows();
    const registry = this.workflowRegistry();
    const { watchPlugins, ...workerOptions } = options;
    this.#worker = new StepWorker({
      endpoint: node.endpoint,
      // this workspace's own executor: each job goes coordinator → executor agent → validator here
      executor: this.#container.get<Executor>(Executor),
      stepTypes: this.#workerStepTypes(registry),
      payloads: node.payloads,
      authorize: (job) => this.#authorizeStep(job),
      // a job refused for what Redis holds (forged, re-attributed) is recorded in the audit log
      audit: this.audit,
      logger: this.logger,
      ...workerOptions,
    });
    await this.#worker.start();
    // a plugin installed while the worker runs: its step types are served from its next report on
    if (watchPlugins !== false) this.watchPlugins((error) => error && this.logger.warn({ error: (error as Error).message }, "the plugins could not be reloaded"));
    return this.#worker;
  }

  /** What a worker of this workspace serves: every step type, the model's one-off steps only where there is a model. */
  #workerStepTypes(registry: StepHandlerRegistry): string[] {
    return this.llmId === undefined ? registry.types().filter((t) => !LLM_STEPS.includes(t)) : registry.types();
  }

  /** A document a step names (`document_id`, `document_ids`) must belong to the run's matter. */
  async #authorizeStep(job: { readonly runId: string; readonly matter: string | null; readonly actor: string | null; readonly parameters: Readonly<Record<string, unknown>> }): Promise<void> {
    const p = job.parameters;
    const ids = [p["document_id"], ...(Array.isArray(p["document_ids"]) ? p["document_ids"] : [])].filter((v): v is string => typeof v === "string");
    if (ids.length === 0) return;
    const rag = await this.rag();
    await rag.refresh();
    const docs = new Map(rag.documents().map((d) => [d.id, d.matter]));
    for (const id of ids) {
      // a run with no matter reads no document (never the default matter's)
      if (job.matter === null || docs.get(id) !== job.matter) {
        throw new ClusterError("STEP_MATTER_MISMATCH", `run '${job.runId}' (matter '${job.matter ?? "(none)"}', started by '${job.actor ?? "(unnamed)"}') names document '${id.slice(0, 80)}', which is not in that matter`, {
          hint: "A step may only read documents of its run's matter.",
          retryable: false,
        });
      }
    }
  }

  /** Agents on the same workflow engine (coordinator, monitor, executors, validator, specialists). */
  async agents(): Promise<AgentSystem> {
    await this.workflows();
    return this.#container.getAsync<AgentSystem>(AgentSystemToken);
  }

  /**
   * Hot reload for a long-running front door (the server) and a cluster worker: a plugin copied into
   * or removed from a plugin folder takes effect without a restart; new `step-type` plugins become
   * step types (a worker serves them from its next report on).
   */
  watchPlugins(onReload?: (error?: unknown) => void): void {
    this.plugins.watch((error) => {
      if (error || !this.#workflows) return onReload?.(error);
      void this.plugins
        .addStepTypes(this.workflowRegistry())
        .then(() => this.plugins.addTools(this.#container.get<ToolRegistry>(ToolRegistryToken), this.logger))
        // a cluster worker takes the jobs of new step types at once
        .then(() => this.#worker?.serve(this.#workerStepTypes(this.workflowRegistry())))
        .then(() => onReload?.(), (e: unknown) => onReload?.(e));
    });
  }

  /** The whole audit trail as JSON lines, in chain order; the export itself is recorded first (and included). */
  async exportAudit(actor: string): Promise<AsyncIterable<Buffer>> {
    await this.audit.exported(actor, "audit-log", {});
    await this.auditLog().verify(); // waits for queued appends, so the export includes the record above
    const dir = this.folder.paths.audit;
    const names = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    const rotated = names.filter((n) => /^audit-\d{12}\.jsonl$/.test(n)).sort();
    const files = [...rotated, ...(names.includes("audit.jsonl") ? ["audit.jsonl"] : [])].map((n) => path.join(dir, n));
    return (async function* lines(): AsyncGenerator<Buffer> {
      for (const file of files) for await (const chunk of fs.createReadStream(file)) yield chunk as Buffer;
    })();
  }

  /** Search, audited as the workspace's policy says (ids and counts only). */
  async search(query: string, options: SearchOptions, actor: string): Promise<SearchHit[]> {
    const rag = await this.rag();
    const hits = await rag.search(query, options);
    await this.audit.searched(actor, { mode: options.mode ?? this.#defaultMode(), k: options.k ?? 8, hits: hits.length, chars: query.length });
    return hits;
  }

  /** A cited answer, streamed; audited once when it is complete. */
  async *answerStream(question: string, options: AnswerOptions, actor: string): AsyncGenerator<AnswerStreamEvent, Answer | undefined> {
    const rag = await this.rag();
    let final: Answer | undefined;
    for await (const event of rag.answerStream(question, options)) {
      if (event.type === "answer") final = event.answer;
      yield event;
    }
    await this.audit.answered(actor, { mode: options.mode ?? this.#defaultMode(), passages: final?.passages.length ?? 0, answer: final?.mode ?? "none", chars: question.length });
    return final;
  }

  /**
   * A cited answer inside a conversation, streamed: limited to the conversation's matter and
   * documents; a follow-up that names no document keeps the scope of the answer before it. The
   * question and its answer are appended to the conversation (the caller authorized the matter).
   */
  async *answerInConversation(conversation: Conversation, question: string, options: AnswerOptions, actor: string): AsyncGenerator<AnswerStreamEvent, Answer | undefined> {
    const previous = conversation.turns.at(-1)?.answer.scope;
    const scoped: AnswerOptions = {
      ...options,
      filter: { ...options.filter, matters: [conversation.matter], ...(conversation.documentIds.length > 0 ? { documentIds: [...conversation.documentIds] } : {}) },
      ...(previous && previous.length > 0 && conversation.documentIds.length === 0 ? { fallbackDocumentIds: previous } : {}),
    };
    const stream = this.answerStream(question, scoped, actor);
    for (let next = await stream.next(); ; next = await stream.next()) {
      if (next.done) return next.value;
      const event = next.value;
      // The turn is stored before its answer reaches the caller, so a client that has seen the
      // answer finds it in the conversation (it was appended after the stream's end, a race).
      if (event.type === "answer" && !options.signal?.aborted) await this.conversations.append(conversation, turnOf(question, event.answer, actor));
      yield event;
    }
  }

  async answer(question: string, options: AnswerOptions, actor: string): Promise<Answer> {
    let final: Answer | undefined;
    for await (const event of this.answerStream(question, options, actor)) if (event.type === "answer") final = event.answer;
    if (!final) throw new Error("the answer stream ended without an answer");
    return final;
  }

  /**
   * Contract review (@bear/legal), audited; rules only unless `useModel`. Reports are cached, keyed
   * by the text (the document version), the playbook, the model and the reviewer's own version.
   */
  async review(text: string, options: ReviewOptions): Promise<ContractReviewReport> {
    const clustered = this.#cluster?.role === "instance";
    // clustered, the model works on a worker: its id (for the key) is the configured one, nothing is loaded here
    const llm = options.useModel && !clustered ? await this.llm() : undefined;
    const model = options.useModel ? (clustered ? this.llmId : llm?.id) : undefined;
    let cached = true;
    const key = { kind: "review" as const, parts: [text, options.playbook ?? null, options.documentName ?? null, options.title ?? null, model ?? "rules", reviewerFingerprint()] };
    const keyring = options.documentId === undefined ? undefined : this.#container.get<DocumentKeyring>(DocumentKeyring, { optional: true });
    const codec = keyring && options.documentId !== undefined ? documentSealedCodec<ContractReviewReport>(keyring, options.documentId) : undefined;
    const reviewOptions = {
      ...(options.playbook === undefined ? {} : { playbook: options.playbook }),
      ...(options.documentName ? { documentName: options.documentName } : {}),
      ...(options.title ? { title: options.title } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const compute = (): Promise<ContractReviewReport> => {
      cached = false;
      // Clustered, the review (the CPU work) runs on a worker with the `review` capability; the
      // report is cached and audited here.
      if (clustered) return this.#reviewOnWorker(this.#cluster!.node, text, { ...reviewOptions, useModel: model !== undefined });
      return this.#reviewHere(text, { ...reviewOptions, ...(llm ? { llm } : {}) });
    };
    // a report sealed under a destroyed document key reads as a miss
    const report = (codec ? await this.cache().getOrCompute<ContractReviewReport | undefined>(key, compute, { codec }) : await this.cache().getOrCompute(key, compute)) ?? (await compute());
    const r = report.summary.risks;
    await this.audit.reviewed(options.actor, options.resource, {
      ...options.details,
      clauses: report.summary.clauseCount,
      critical: r.critical,
      high: r.high,
      medium: r.medium,
      low: r.low,
      model: model ? "llm" : "rules",
      cached,
    });
    return report;
  }

  /**
   * A contract review report, computed in this process (on its worker pool) with no cache and no
   * audit record: what a cluster's `review` step runs (`review` caches and audits).
   */
  async computeReview(text: string, options: ComputeReviewOptions = {}): Promise<ContractReviewReport> {
    const { useModel, ...rest } = options;
    const llm = useModel ? await this.llm() : undefined;
    return this.#reviewHere(text, { ...rest, ...(llm ? { llm } : {}) });
  }

  #reviewHere(text: string, options: Omit<ComputeReviewOptions, "useModel"> & { readonly llm?: Llm }): Promise<ContractReviewReport> {
    // in a worker thread: a long review never blocks a server's event loop
    return this.offload.review(text, options);
  }

  async #reviewOnWorker(node: ClusterNode, text: string, options: ComputeReviewOptions): Promise<ContractReviewReport> {
    const { signal, ...parameters } = options;
    const output = await node.runStep(REVIEW_STEP, { text, ...parameters }, { matter: null, ...(signal ? { signal } : {}) });
    return reviewResult<ContractReviewReport>(output, text);
  }

  /** The workspace's cache (L1 memory, L2 disk or Redis), shared by every package. */
  cache(): Cache {
    return this.#container.get<Cache>(Cache);
  }

  /** Hit, miss and eviction counts per kind, and what L1 and L2 hold. */
  /** The workspace's event bus: agents' task assignments and health changes (`agents:*`), among others. */
  events(): EventBus {
    return this.#container.get<EventBus>(EventBus);
  }

  /**
   * Prometheus text (GET /metrics): each agent's health as the monitor judged it, load and task
   * outcomes; active workflows, documents, memory and, from a server, its requests per route.
   */
  async metricsText(options: { readonly requests?: RequestMetricsSnapshot } = {}): Promise<string> {
    const agents = await this.agents();
    const engine = await this.workflows();
    const rag = await this.rag();
    await rag.refresh();
    return writeBearMetrics(new PrometheusText(), {
      agents: agents.listAgents(),
      activeWorkflows: engine.activeRuns.length,
      documents: rag.documents().length,
      memory: process.memoryUsage(),
      cache: await this.cacheStats(),
      ...(options.requests ? { requests: options.requests } : {}),
    }).toString();
  }

  cacheStats(): Promise<CacheStats> {
    return this.cache().stats();
  }

  /** Empties the cache (of one kind), in this process and in L2 (other processes follow within a second); audited. */
  async clearCache(actor: string, kind?: CacheKind): Promise<void> {
    await this.cache().clear(kind);
    await this.audit.record({ action: "cache.clear", outcome: "success", actor, details: { kind: kind ?? "all" } });
  }

  renderReview(report: ContractReviewReport, format: ReportFormat): string {
    return renderReport(report, format);
  }

  /**
   * Personal data removed from a text with the workspace's scrubber (and its plugins' recognizers),
   * audited; a reversible policy's tokens are saved to the vault.
   */
  async redact(text: string, options: RedactOptions): Promise<{ result: PiiScrubResult; plugins: string[] }> {
    const scrubber = this.scrubber();
    const matterId = options.matterId;
    if (matterId !== undefined) assertMatterId(matterId, "the redaction's matter"); // its placeholder table is kept under it
    // Clustered, the scan (the CPU work) runs on a worker with the `redact` capability; the policy is
    // applied here, where the vault and the matter's placeholder table are.
    const scan = { plugins: options.plugins !== false, ...(options.signal ? { signal: options.signal } : {}) };
    const { findings, used } = this.#cluster?.role === "instance" ? await this.#scanOnWorker(this.#cluster.node, text, scan, matterId) : await this.scanPii(text, scan);
    const scrubOptions = {
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.documentId ? { documentId: options.documentId } : {}),
      ...(matterId !== undefined ? { matterId } : {}),
    };
    let result: PiiScrubResult;
    if (matterId === undefined) {
      result = this.offload.scans
        ? await scrubber.applyOn(this.offload.scans, text, findings, { ...scrubOptions, ...(options.signal ? { signal: options.signal } : {}) })
        : scrubber.apply(text, findings, scrubOptions);
    } else {
      // The matter's table is read, continued and saved in one synchronous stretch, and then dropped from the
      // scrubber: the sealed file is the matter's numbering (two redactions of a matter at once each continue the
      // other's), and nothing of the matter (its names, e-mails, numbers) stays in memory between redactions.
      const tables = new MatterTableStore(path.join(path.dirname(this.folder.paths.vaultFile), "matters"));
      try {
        const table = tables.read(matterId);
        if (table) scrubber.importMatter(matterId, table);
        result = scrubber.apply(text, findings, scrubOptions);
        tables.save(matterId, scrubber.exportMatter(matterId));
      } finally {
        scrubber.forgetMatter(matterId);
      }
    }
    const byType: Record<string, number> = {};
    for (const f of findings) byType[`n_${f.type}`] = (byType[`n_${f.type}`] ?? 0) + 1;
    await this.audit.record({
      action: "scrub",
      outcome: "success",
      actor: options.actor,
      ...(options.documentId ? { resource: options.documentId } : {}),
      details: { policy: result.policy, entities: findings.length, chars: text.length, plugins: used.length, ...byType },
    });
    if (result.policy === "reversible") await this.saveVault();
    return { result, plugins: used };
  }

  /**
   * The personal data in a text: the workspace's scanner on the worker pool, plus the recognizers of
   * installed plugins (unless `plugins` is false), overlaps resolved. What a cluster's `redact` step runs.
   */
  async scanPii(text: string, options: { readonly plugins?: boolean; readonly signal?: AbortSignal } = {}): Promise<{ findings: PiiFinding[]; used: string[] }> {
    const extra = options.plugins === false ? { findings: [], used: [] } : await this.plugins.piiFindings(text);
    // The scan runs on the worker pool; so does applying the policy, unless it needs what only this thread has
    // (the vault, the matter's placeholder table, a document's numbering so far).
    const own = await this.offload.scan(text, options.signal ? { signal: options.signal } : {}, this.#container.get<PiiScanner>(PiiScannerToken));
    return { findings: extra.findings.length === 0 ? own : resolveOverlaps([...own, ...extra.findings]), used: extra.used };
  }

  async #scanOnWorker(node: ClusterNode, text: string, scan: { readonly plugins: boolean; readonly signal?: AbortSignal }, matterId: string | undefined): Promise<{ findings: PiiFinding[]; used: string[] }> {
    const output = await node.runStep(REDACT_STEP, { text, plugins: scan.plugins }, { matter: matterId ?? null, ...(scan.signal ? { signal: scan.signal } : {}) });
    return scanResult(output, text);
  }

  /**
   * The audit resource of a text or file that has no document id (a pasted contract, a file the CLI
   * reads): keyed by the workspace, so the audit log cannot be used to confirm a guessed text.
   */
  contentId(content: string | Uint8Array): string {
    return contentIdOf(this.#contentIdKey, content);
  }

  /**
   * Puts back the originals of vault tokens, audited by the scrubber. The owner opens any token; any other principal
   * names the `matter` it holds `pii.restore` in, and only that matter's tokens open (the ethical wall).
   */
  async restore(text: string, options: { actor: string; documentId?: string; matter?: string }): Promise<string> {
    return this.scrubber().restore(text, { key: this.#vaultKey, principal: options.actor, ...(options.documentId ? { documentId: options.documentId } : {}), ...(options.matter !== undefined ? { matter: options.matter } : {}) });
  }

  /**
   * Stores an uploaded document in its matter and ingests it. A document of the same name with other content is
   * replaced only with `replace` (the caller's front door checks `document.delete`), audited as `document.replace`
   * naming the version it replaced; otherwise DOCUMENT_EXISTS.
   */
  async upload(request: UploadRequest): Promise<UploadOutcome> {
    const outcome = await this.#uploads.store(await this.rag(), request);
    if (outcome.replaced) {
      const { replaced } = outcome;
      await this.audit.record({
        action: "document.replace",
        outcome: "success",
        actor: request.actor,
        resource: outcome.document.id,
        matter: request.matter,
        details: { previousContentHash: replaced.contentHash, contentHash: outcome.document.contentHash },
      });
    }
    return outcome;
  }

  /**
   * One page of a stored PDF or image document as a PNG, for checking OCR text by eye. The index
   * confines the original to its root and checks it is the file it indexed; a sealed upload is
   * unsealed in memory.
   */
  async pageImage(document: DocumentRecord, page: number): Promise<PageImage> {
    return (await this.rag()).pageImage(document.id, page, { readOriginal: (file) => this.#uploads.readOriginal(file, document.id) });
  }

  /**
   * Removes a document, its chunks and its uploaded file, and rewrites the matter's conversations that cite it (quotes
   * and answers become "[deleted document]"); `actor` (a principal id, `cli`) is named in the audit record.
   */
  async deleteDocument(document: DocumentRecord, actor?: string): Promise<void> {
    await (await this.rag()).delete(document.id, actor === undefined ? {} : { actor });
    this.#uploads.remove(document);
    // the matter's conversations keep no quote or answer drawn from it (rev12 #5)
    await this.conversations.forgetDocument(document.matter, document.id);
  }

  /** Leaves running workflows resumable (the next open picks them up) and releases every resource. */
  dispose(): Promise<void> {
    this.#disposing ??= (async () => {
      // Plugin processes are awaited without a ref'd handle: keep the event loop alive meanwhile.
      const keepAlive = setInterval(() => undefined, 50);
      try {
        this.plugins.stopWatching();
        await this.#worker?.close();
        await this.offload.dispose();
        // In a cluster, steps running on workers are left to finish for whichever instance resumes the runs.
        this.#cluster?.node.detach();
        const engine = await this.#workflows?.catch(() => undefined);
        await engine?.dispose({ suspend: this.#resumeWorkflows || this.#cluster !== undefined });
        await this.#cluster?.node.close({ release: true });
        await disposeContainer(this.#container).catch((error: unknown) => {
          if (!this.#openFailures.has(error)) throw error; // already reported to whoever asked for the service
        });
      } finally {
        clearInterval(keepAlive);
        // last: every service that could still use a key has been disposed above
        this.#secrets?.[Symbol.dispose]();
      }
    })();
    return this.#disposing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  #defaultMode(): string {
    return this.embedderId ? this.config.rag.searchMode : "lexical";
  }

  /** The Llm / Embedder handles look their model up in the registry when created: scan first, once. */
  #scanModels(): Promise<void> {
    this.#modelsReady ??= this.llmId !== undefined || this.embedderId !== undefined ? this.models().scan().then(() => undefined) : Promise.resolve();
    return this.#modelsReady;
  }
}
