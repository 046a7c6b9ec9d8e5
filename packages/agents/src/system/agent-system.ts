import { AgentError, DelegationFailedError } from "../errors";
import { DisposedError, InvalidArgumentError, silentLogger, type AuditSink, type EventBus, type Llm, type Logger, type Scrubber } from "@bear/core";
import {
  InProcessExecutor,
  StepHandlerRegistry,
  WorkflowEngine,
  dataProcessingHandler,
  fileOperationsHandler,
  llmGenerationHandler,
  type JsonValue,
  type StartRunOptions,
  type StepDefinition,
  type StepHandler,
  type StepIssue,
  type WorkflowInput,
  type Executor,
} from "@bear/workflow-engine";
import { AGENT_TYPES } from "../agent/agent";
import { AgentExecutor } from "../dispatch/agent-executor";
import type { ValidationSpec } from "../validation/validation-spec";
import type { z } from "zod";
import { agentsConfigSchema, type AgentsConfig, type AgentsConfigInput } from "../agents-config";
import type { AgentSnapshot } from "../agent/agent";
import type { WorkflowAgent } from "../agent/workflow-agent";
import { AdaptiveLoadBalancer } from "../balancing/adaptive-load-balancer";
import { CoordinatorAgent, type ComplexTask, type DelegateOptions, type DelegationResult, type TaskTypeDefinition } from "../coordination/coordinator-agent";
import { AgentDispatcher, type TaskAssignment } from "../dispatch/agent-dispatcher";
import { AgentStepBinding, agentAggregateHandler, agentLatestHandler, agentTaskHandler, agentValidateHandler } from "../dispatch/agent-step-handlers";
import { ExecutorAgent, executorIdFor } from "../executors/executor-agent";
import { MeteredLlm } from "../executors/metered-llm";
import { ToolRegistry, toolExecutionHandler, type AnyTool } from "../executors/tool-registry";
import { MonitorAgent } from "../monitoring/monitor-agent";
import { buildCollaborationWorkflow, collaborationResult, type CollaborationPlan, type CollaborationResult } from "../patterns/collaboration";
import type { Pipeline } from "../patterns/pipeline";
import { expandPatternWorkflow } from "../patterns/pattern-workflow";
import { AgentRegistry, type AgentFilter } from "../registry/agent-registry";
import { SpecialistAgent, defineSpecialist, specialistStepHandlers, type Specialist } from "../specialists/specialist";
import type { PiiDetector } from "../validation/validation-rules";
import { ValidatorAgent } from "../validation/validator-agent";
import { agentSpecSchema, type AgentSpec } from "./agent-spec";

export interface AgentSystemOptions {
  /** The engine agents' workflows run on; the system adds its `agent.*` step types to its registry. */
  readonly engine: WorkflowEngine;
  readonly config?: AgentsConfigInput;
  /** Enables an LLM executor (wrapped in a MeteredLlm so the monitor sees model usage). */
  readonly llm?: Llm;
  readonly tools?: ToolRegistry;
  /** The PII check of validators (`pii: scrubbed`); falls back to `scrubber`. */
  readonly piiDetector?: PiiDetector;
  readonly scrubber?: Scrubber;
  readonly audit?: AuditSink;
  readonly logger?: Logger;
  readonly eventBus?: EventBus;
  readonly specialists?: readonly Specialist[];
  readonly taskTypes?: Readonly<Record<string, TaskTypeDefinition>>;
  /** Create the default agents: executors for what is configured, one validator (default true). */
  readonly defaultAgents?: boolean;
  /** The agent.* steps were registered already with this binding (see registerAgentSteps); default: register them now. */
  readonly stepBinding?: AgentStepBinding;
  /** Checks a workflow step's result gets when the step has no `validate` of its own, by capability (step type). */
  readonly defaultValidation?: Readonly<Record<string, ValidationSpec>>;
}

export interface OpenAgentSystemOptions extends Omit<AgentSystemOptions, "engine" | "tools"> {
  /** An engine to use; default: a new one on `dbPath` (SQLite) or in memory. */
  readonly engine?: WorkflowEngine;
  /** SQLite file for an engine created here; omitted → runs are kept in memory. */
  readonly dbPath?: string;
  /**
   * Runs kept in memory (no `dbPath`, no `engine`): how many finished runs are kept, the oldest
   * dropped first (default 1,000, @bear/workflow-engine's MemoryRunStore; Infinity keeps every one);
   * runs not finished are never dropped. An integer of at least 0, or Infinity.
   */
  readonly maxFinishedRuns?: number;
  readonly tools?: ToolRegistry | readonly AnyTool[];
}

export interface PipelineResult {
  readonly runId: string;
  /** The last stage's output. */
  readonly output: JsonValue;
  readonly outputs: Readonly<Record<string, JsonValue>>;
  readonly assignments: readonly TaskAssignment[];
}

/**
 * The agents of one BEAR process on one workflow engine: the registry (create, list, inspect,
 * remove), the load balancer and dispatcher, a coordinator, a monitor, default executors and a
 * validator, installed specialists, and the three patterns (delegation, pipeline, collaboration).
 */
export class AgentSystem {
  readonly engine: WorkflowEngine;
  readonly config: AgentsConfig;
  readonly registry = new AgentRegistry<WorkflowAgent>();
  readonly balancer: AdaptiveLoadBalancer;
  readonly dispatcher: AgentDispatcher;
  readonly coordinator: CoordinatorAgent;
  readonly monitor: MonitorAgent;
  readonly tools: ToolRegistry;
  readonly llm: MeteredLlm | undefined;
  readonly #logger: Logger;
  readonly #piiDetector: PiiDetector | undefined;
  readonly #scrubber: Scrubber | undefined;
  readonly #audit: AuditSink | undefined;
  readonly #specialists = new Map<string, Specialist>();
  readonly #schemas = new Map<string, z.ZodType>();
  readonly #ownsEngine: boolean;
  readonly #binding: AgentStepBinding;
  readonly #removeStepCheck: () => void;
  #disposed = false;

  constructor(options: AgentSystemOptions & { readonly ownsEngine?: boolean }) {
    this.engine = options.engine;
    this.#ownsEngine = options.ownsEngine ?? false;
    this.config = agentsConfigSchema.parse(options.config ?? {});
    this.#logger = (options.logger ?? silentLogger).child({ name: "agents:AgentSystem" });
    this.#piiDetector = options.piiDetector;
    this.#scrubber = options.scrubber;
    this.#audit = options.audit;
    this.tools = options.tools ?? new ToolRegistry();
    this.llm = options.llm ? (options.llm instanceof MeteredLlm ? options.llm : new MeteredLlm(options.llm)) : undefined;
    const b = this.config.balancer;
    this.balancer = new AdaptiveLoadBalancer({ weights: b.weights, defaultLatencyMs: b.defaultLatencyMs, priorSuccessRate: b.priorSuccessRate, priorWeight: b.priorWeight });
    const memory = { maxEntries: this.config.memory.maxEntries, maxBytes: this.config.memory.maxBytes };
    this.dispatcher = new AgentDispatcher({ registry: this.registry, balancer: this.balancer, logger: options.logger ?? silentLogger, sharedMemory: memory, ...(options.eventBus ? { eventBus: options.eventBus } : {}) });
    if (options.stepBinding) {
      if (options.stepBinding.dispatcher) throw new AgentError("AGENT_EXISTS", "this AgentStepBinding already serves another AgentSystem", { hint: "Use one AgentSystem per WorkflowEngine." });
      options.stepBinding.dispatcher = this.dispatcher;
      this.#binding = options.stepBinding;
    } else {
      this.#binding = registerAgentSteps(this.engine.registry, this.dispatcher);
    }
    // `tool_execution` steps validate against this system's tools (unknown tools and bad arguments fail before the run).
    if (!this.engine.registry.has("tool_execution")) this.engine.registry.register(toolExecutionHandler(this.tools));
    const c = this.config.coordinator;
    this.coordinator = new CoordinatorAgent({
      engine: this.engine,
      dispatcher: this.dispatcher,
      subtaskAttempts: c.subtaskAttempts,
      retryBackoffMs: c.retryBackoffMs,
      parallelism: c.parallelism,
      ...(c.subtaskTimeoutMs === undefined ? {} : { subtaskTimeoutMs: c.subtaskTimeoutMs }),
      ...(options.taskTypes ? { taskTypes: options.taskTypes } : {}),
      ...(options.defaultValidation ? { defaultValidation: options.defaultValidation } : {}),
      provision: (capability) => this.#provisionExecutor(capability),
      ...this.#agentOptions(),
    });
    // From here on, an engine whose executor is an AgentExecutor on this binding runs every step through the coordinator.
    this.#binding.coordinator = this.coordinator;
    this.#removeStepCheck = this.engine.registry.addStepCheck((step) => this.#checkStep(step));
    const m = this.config.monitor;
    this.monitor = new MonitorAgent({
      registry: this.registry,
      models: this.llm ? [this.llm] : [],
      stuckAfterMs: m.stuckAfterMs,
      minSuccessRate: m.minSuccessRate,
      minSamples: m.minSamples,
      maxConsecutiveFailures: m.maxConsecutiveFailures,
      recoverAfterMs: m.recoverAfterMs,
      intervalMs: m.intervalMs,
      ...(options.eventBus ? { eventBus: options.eventBus } : {}),
      ...this.#agentOptions(),
    });
    this.registry.register(this.coordinator);
    this.registry.register(this.monitor);
    if (options.defaultAgents ?? true) {
      this.addAgent(ExecutorAgent.data(this.#agentOptions()));
      if (this.llm) this.addAgent(ExecutorAgent.llm(this.llm, this.#agentOptions()));
      this.addAgent(ExecutorAgent.tools(this.tools, this.#agentOptions()));
      const files = this.#filesExecutor(this.#agentOptions());
      if (files) this.addAgent(files);
      this.addAgent(this.#newValidator("validator"));
    }
    for (const specialist of options.specialists ?? []) this.installSpecialist(specialist);
    // Every step type the engine knows has an executor (a plugin's step type gets its own).
    if (options.defaultAgents ?? true) for (const type of this.engine.registry.types()) this.#provisionExecutor(type);
    this.monitor.start();
  }

  /**
   * The engine's Executor for an engine you build yourself: every step then runs engine →
   * coordinator → balancer → executor agent → validator (`inner` runs the coordinator's own
   * bookkeeping steps). `AgentSystem.open()` and `agentsModule` wire this for you.
   */
  static executor(binding: AgentStepBinding, inner: Executor): Executor {
    return new AgentExecutor(binding, inner);
  }

  /** Adds an executor agent for a step type nobody declares (true when it added one). */
  #provisionExecutor(type: string): boolean {
    if (this.#disposed || type.startsWith("agent.") || !this.engine.registry.has(type) || this.registry.list({ capability: type }).length > 0) return false;
    const id = executorIdFor(type);
    if (this.registry.has(id)) return false;
    this.addAgent(ExecutorAgent.forStep(this.engine.registry.get(type) as StepHandler<never>, { ...this.#agentOptions(), id }));
    return true;
  }

  /** A step's `agent` must name an agent able to do the step, or an agent type. */
  #checkStep(step: StepDefinition): StepIssue[] {
    const capability = step.type === "agent.task" ? step.parameters["capability"] : undefined;
    if (typeof capability === "string" && !capability.includes("{{") && this.registry.list({ capability }).length === 0 && !this.engine.registry.has(capability)) {
      const known = [...new Set(this.registry.list().flatMap((a) => a.capabilities))].sort();
      return [{ path: "parameters.capability", message: `no agent has the capability '${capability}' (capabilities: ${known.join(", ")})` }];
    }
    if (step.agent === undefined || (step.type.startsWith("agent.") && step.type !== "agent.task")) return [];
    // An agent type names a role (the seed's `agent: validator`): preferred, never required.
    if ((AGENT_TYPES as readonly string[]).includes(step.agent)) return [];
    if (this.registry.has(step.agent)) {
      const capability = step.type === "agent.task" ? step.parameters["capability"] : step.type;
      const agent = this.registry.get(step.agent);
      if (typeof capability === "string" && !capability.includes("{{") && !agent.can(capability)) {
        return [{ path: "agent", message: `agent '${step.agent}' cannot do '${capability}' (its capabilities: ${agent.capabilities.join(", ")})` }];
      }
      return [];
    }
    return [{ path: "agent", message: `no agent '${step.agent}' (agents: ${this.registry.list().map((a) => a.id).join(", ")}; or an agent type: ${AGENT_TYPES.join(", ")})` }];
  }

  /**
   * The common case: an agent system on its own engine (SQLite at `dbPath`, or in memory) with
   * the built-in step types, default executors and a validator. With `dbPath`, runs a crashed
   * process left unfinished are resumed once the agents and specialists are in place.
   */
  static async open(options: OpenAgentSystemOptions = {}): Promise<AgentSystem> {
    const { engine: given, dbPath, tools, llm: rawLlm, maxFinishedRuns, ...rest } = options;
    // checked before anything is made: a cap an engine on SQLite (or one given) would silently ignore is refused
    if (maxFinishedRuns !== undefined) {
      if (given !== undefined || dbPath !== undefined) {
        throw new InvalidArgumentError("maxFinishedRuns", maxFinishedRuns, `no cap with ${given ? "an engine given" : "dbPath"} (it applies to runs kept in memory; a SQLite store keeps runs for its retention)`);
      }
      if (maxFinishedRuns !== Infinity && !(Number.isInteger(maxFinishedRuns) && maxFinishedRuns >= 0)) throw new InvalidArgumentError("maxFinishedRuns", maxFinishedRuns, "an integer of at least 0, or Infinity");
    }
    const toolRegistry = tools instanceof ToolRegistry ? tools : tools ? new ToolRegistry(tools) : undefined;
    // One metered model for the agents and the engine's own llm_generation steps, so the monitor sees both.
    const llm = rawLlm ? (rawLlm instanceof MeteredLlm ? rawLlm : new MeteredLlm(rawLlm)) : undefined;
    let engine = given;
    let stepBinding: AgentStepBinding | undefined;
    if (!engine) {
      const workspaceRoot = rest.config?.workspaceRoot;
      const registry = new StepHandlerRegistry([dataProcessingHandler() as StepHandler<never>]);
      if (workspaceRoot) registry.register(fileOperationsHandler({ workspaceRoot, ...(rest.audit ? { audit: rest.audit } : {}) }));
      if (llm) registry.register(llmGenerationHandler(llm));
      stepBinding = registerAgentSteps(registry, new AgentStepBinding());
      // Every step goes through the agents (the seed's execution flow).
      const executor = new AgentExecutor(stepBinding, new InProcessExecutor(registry, rest.logger));
      const common = { registry, executor, ...(rest.logger ? { logger: rest.logger } : {}), ...(rest.eventBus ? { eventBus: rest.eventBus } : {}), ...(rest.audit ? { audit: rest.audit } : {}) };
      // Interrupted runs are resumed below, once the agents and specialist step types exist.
      engine = dbPath !== undefined ? await WorkflowEngine.open({ dbPath, resumeOnOpen: false, ...(workspaceRoot ? { workspaceRoot } : {}), ...common }) : WorkflowEngine.inMemory({ ...common, ...(maxFinishedRuns === undefined ? {} : { maxFinishedRuns }) });
    }
    const system = new AgentSystem({ ...rest, engine, ownsEngine: given === undefined, ...(stepBinding ? { stepBinding } : {}), ...(llm ? { llm } : {}), ...(toolRegistry ? { tools: toolRegistry } : {}) });
    if (!given && dbPath !== undefined) {
      const resumed = engine.resumeInterrupted();
      if (resumed.length) system.#logger.info({ runs: resumed.length }, "resumed interrupted runs");
    }
    return system;
  }

  // ---- registry operations (the server's /api/v1/agents routes) ----

  /** Registers an agent you constructed (it joins load balancing at once). */
  addAgent<A extends WorkflowAgent>(agent: A): A {
    this.#assertOpen();
    this.registry.register(agent);
    if (agent instanceof ValidatorAgent) for (const [name, schema] of this.#schemas) agent.registerSchema(name, schema);
    this.#logger.info({ agentId: agent.id, type: agent.type, capabilities: agent.capabilities.length }, "agent added");
    return agent;
  }

  /** Creates and registers an agent from a JSON spec (POST /api/v1/agents). */
  createAgent(spec: AgentSpec): AgentSnapshot {
    this.#assertOpen();
    const parsed = agentSpecSchema.safeParse(spec);
    if (!parsed.success) throw new InvalidArgumentError("agent spec", spec, parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "));
    const s = parsed.data;
    const options = { ...this.#agentOptions(), id: s.id, ...(s.name ? { name: s.name } : {}), ...(s.maxConcurrentTasks ? { maxConcurrentTasks: s.maxConcurrentTasks } : {}) };
    let agent: WorkflowAgent;
    switch (s.type) {
      case "validator":
        agent = this.#newValidator(s.id, options);
        break;
      case "specialist": {
        const specialist = this.#specialists.get(s.specialist);
        if (!specialist) throw this.#notCreatable(`no specialist '${s.specialist}' is installed (installed: ${[...this.#specialists.keys()].join(", ") || "none"})`, "Install it with installSpecialist() when the app starts.");
        agent = new SpecialistAgent(specialist, options);
        break;
      }
      case "executor":
        switch (s.capability) {
          case "data_processing":
            agent = ExecutorAgent.data(options);
            break;
          case "llm_generation":
            if (!this.llm) throw this.#notCreatable("no Llm is configured, so there can be no llm_generation executor", "Bind an Llm (e.g. @bear/model-manager's) in the app.");
            agent = ExecutorAgent.llm(this.llm, options);
            break;
          case "tool_execution":
            agent = ExecutorAgent.tools(this.tools, options);
            break;
          case "file_operations": {
            const files = this.#filesExecutor(options);
            if (!files) throw this.#notCreatable("no workspaceRoot is configured, so there can be no file_operations executor", "Set workspaceRoot in the agents config.");
            agent = files;
            break;
          }
        }
    }
    return this.addAgent(agent).inspect();
  }

  /**
   * A file executor on the engine's own `file_operations` handler when the engine has one (its
   * per-matter areas, its sealing), so a workflow step and an agent task follow one rule; else one
   * confined to the agents config's workspaceRoot; else none.
   */
  #filesExecutor(options: NonNullable<Parameters<typeof ExecutorAgent.files>[1]>): ExecutorAgent | undefined {
    if (this.engine.registry.has("file_operations")) {
      return new ExecutorAgent({ name: "File executor", ...options, id: options.id ?? "file-executor", handlers: { file_operations: this.engine.registry.get("file_operations") as StepHandler<never> } });
    }
    return this.config.workspaceRoot ? ExecutorAgent.files({ workspaceRoot: this.config.workspaceRoot, ...(this.#audit ? { audit: this.#audit } : {}) }, options) : undefined;
  }

  /** Agents, filtered by type, status or capability (GET /api/v1/agents). */
  listAgents(filter: AgentFilter = {}): AgentSnapshot[] {
    return this.registry.list(filter).map((a) => a.inspect());
  }

  /** One agent: status, current tasks, metrics, memory use (GET /api/v1/agents/:id). */
  inspectAgent(id: string): AgentSnapshot {
    return this.registry.get(id).inspect();
  }

  /**
   * Removes an agent (DELETE /api/v1/agents/:id). An agent with tasks is refused unless `force`,
   * which aborts them (their steps then fail or retry on another agent).
   */
  removeAgent(id: string, options: { readonly force?: boolean } = {}): AgentSnapshot {
    const agent = this.registry.get(id);
    if (agent === this.coordinator || agent === this.monitor) {
      throw new AgentError("AGENT_NOT_CREATABLE", `agent '${id}' is the system's ${agent.type} and cannot be removed`, { hint: "Dispose the AgentSystem instead.", details: { id } });
    }
    const tasks = agent.currentTasks.length;
    if (tasks > 0 && !options.force) {
      throw new AgentError("AGENT_BUSY", `agent '${id}' is working on ${tasks} task(s) and cannot be removed`, {
        hint: "Wait for its tasks to finish, or remove it with { force: true } to cancel them.",
        details: { id, tasks },
      });
    }
    const snapshot = agent.inspect();
    this.registry.remove(id);
    agent.dispose();
    this.#logger.info({ agentId: id, abortedTasks: tasks }, "agent removed");
    return snapshot;
  }

  /**
   * Plugs in a specialist: its step types join the engine (so its own workflows run), its output
   * schemas join every validator, and `instances` agents of it join load balancing.
   */
  installSpecialist(specialist: Specialist, options: { readonly instances?: number } = {}): SpecialistAgent[] {
    this.#assertOpen();
    defineSpecialist(specialist);
    if (this.#specialists.has(specialist.id)) throw new AgentError("SPECIALIST_INVALID", `specialist '${specialist.id}' is already installed`, { hint: "Create more instances with createAgent({ type: 'specialist', … }).", details: { id: specialist.id } });
    const instances = options.instances ?? 1;
    if (!Number.isInteger(instances) || instances < 1 || instances > 64) throw new InvalidArgumentError("specialist instances", instances, "an integer from 1 to 64");
    for (const handler of specialistStepHandlers(specialist)) {
      if (!this.engine.registry.has(handler.type)) this.engine.registry.register(handler);
      else if (this.engine.registry.get(handler.type) !== (handler as unknown)) {
        throw new AgentError("SPECIALIST_INVALID", `specialist '${specialist.id}' brings step type '${handler.type}', which another package already registered`, { hint: "Give the specialist's step types a namespace such as 'legal.'.", details: { id: specialist.id, stepType: handler.type } });
      }
    }
    for (const [name, schema] of Object.entries(specialist.outputSchemas ?? {})) {
      this.#schemas.set(name, schema);
      for (const v of this.registry.list({ type: "validator" })) if (v instanceof ValidatorAgent) v.registerSchema(name, schema);
    }
    this.#specialists.set(specialist.id, specialist);
    const agents: SpecialistAgent[] = [];
    for (let i = 0; i < instances; i++) agents.push(this.addAgent(new SpecialistAgent(specialist, { ...this.#agentOptions(), id: instances === 1 ? specialist.id : `${specialist.id}-${i + 1}` })));
    return agents;
  }

  /** Specialists installed, by id. */
  get specialists(): string[] {
    return [...this.#specialists.keys()];
  }

  // ---- patterns ----

  /** Task delegation: decompose → plan → assign → run in parallel → aggregate → validate. */
  async delegate(task: ComplexTask, options: DelegateOptions = {}): Promise<DelegationResult> {
    this.#assertOpen();
    return this.coordinator.delegate(task, options);
  }

  /**
   * Runs any workflow (object, YAML or JSON text) whose steps may be `agent.task` / `agent.validate`
   * or a specialist's own types; `output` is the last step's output. Throws DelegationFailedError
   * when the run does not complete.
   */
  async runWorkflow(workflow: WorkflowInput | string, inputs: Readonly<Record<string, unknown>>, options: StartRunOptions = {}): Promise<PipelineResult & { readonly status: "completed" }> {
    this.#assertOpen();
    const handle = this.engine.start(workflow, inputs, { parallelism: this.config.coordinator.parallelism, ...options });
    const result = await handle.result;
    const assignments = this.dispatcher.assignmentsOf(handle.runId);
    this.dispatcher.forgetRun(handle.runId);
    const definition = typeof workflow === "string" ? this.engine.load(workflow) : workflow;
    if (result.status !== "completed") throw new DelegationFailedError(definition.name, handle.runId, result.error, result.status);
    const lastId = definition.steps[definition.steps.length - 1]?.id;
    return { runId: handle.runId, status: "completed", output: lastId === undefined ? null : (result.outputs[lastId] ?? null), outputs: result.outputs, assignments };
  }

  /** The pipeline pattern: each stage on the previous one's output. */
  async runPipeline(pipeline: Pipeline, input: JsonValue, options: StartRunOptions = {}): Promise<PipelineResult> {
    const workflow = pipeline.toWorkflow();
    for (const step of workflow.steps) {
      const capability = (step.parameters as { capability?: unknown } | undefined)?.capability;
      if (typeof capability === "string" && step.agent === undefined) this.registry.capableOf(capability);
    }
    const result = await this.runWorkflow(workflow, { input }, options);
    const ids = pipeline.stageIds;
    const last = result.outputs[ids[ids.length - 1]!] ?? null;
    return { runId: result.runId, output: last, outputs: result.outputs, assignments: result.assignments };
  }

  /** Collaborative processing: parallel research, a draft, review-and-refine rounds until satisfied, a final review. */
  async collaborate(plan: CollaborationPlan, brief: JsonValue, options: StartRunOptions = {}): Promise<CollaborationResult> {
    const workflow = buildCollaborationWorkflow(plan);
    for (const capability of [...(plan.research ?? []), plan.draft, plan.review, plan.refine, plan.final_review]) {
      if (capability) this.registry.capableOf(capability);
    }
    const result = await this.runWorkflow(workflow, { brief }, options);
    return collaborationResult(plan, result.runId, result.outputs);
  }

  /** Disposes every agent (aborting their tasks) and, if the system created it, the engine. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#removeStepCheck();
    for (const agent of this.registry.list()) agent.dispose();
    if (this.#ownsEngine) await this.engine.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  #agentOptions(): { maxConcurrentTasks: number; memory: { maxEntries: number; maxBytes: number }; maxRunMemories: number; logger: Logger } {
    return {
      maxConcurrentTasks: this.config.maxConcurrentTasksPerAgent,
      memory: { maxEntries: this.config.memory.maxEntries, maxBytes: this.config.memory.maxBytes },
      maxRunMemories: this.config.memory.maxRuns,
      logger: this.#logger,
    };
  }

  #newValidator(id: string, options: { readonly name?: string; readonly maxConcurrentTasks?: number } = {}): ValidatorAgent {
    return new ValidatorAgent({
      ...this.#agentOptions(),
      ...options,
      id,
      ...(this.#piiDetector ? { piiDetector: this.#piiDetector } : {}),
      ...(this.#scrubber ? { scrubber: this.#scrubber } : {}),
    });
  }

  #notCreatable(message: string, hint: string): AgentError {
    return new AgentError("AGENT_NOT_CREATABLE", message, { hint });
  }

  #assertOpen(): void {
    if (this.#disposed) throw new DisposedError("the AgentSystem");
  }
}

/**
 * Adds the `agent.*` step types to an engine's step registry. Give an AgentStepBinding to register
 * them before the AgentSystem exists (pass the same binding as `AgentSystemOptions.stepBinding`).
 */
export function registerAgentSteps(registry: StepHandlerRegistry, target: AgentDispatcher | AgentStepBinding): AgentStepBinding {
  const binding = target instanceof AgentStepBinding ? target : new AgentStepBinding(target);
  const handlers = [agentTaskHandler(binding), agentValidateHandler(binding), agentAggregateHandler((t) => binding.get().aggregators.get(t)), agentLatestHandler()];
  const taken = handlers.filter((h) => registry.has(h.type)).map((h) => h.type);
  if (taken.length) {
    throw new AgentError("AGENT_EXISTS", `the engine already has the step type(s) ${taken.join(", ")}: another AgentSystem uses it`, {
      hint: "Use one AgentSystem per WorkflowEngine (its agent.* steps route to that system's agents).",
    });
  }
  for (const handler of handlers) registry.register(handler as StepHandler<never>);
  // `pattern: delegation | pipeline | collaboration` definitions become agent.task steps.
  registry.addExpander(expandPatternWorkflow);
  return binding;
}
