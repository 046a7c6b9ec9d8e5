import { StepHandlerDuplicateError, StepHandlerMissingError } from "../errors";
import type { StepIssue, StepTypeCatalog } from "../definition/validate-workflow";
import type { StepDefinition } from "../definition/workflow-definition";
import type { JsonValue } from "../execution/json-value";
import type { StepHandler } from "./step-handler";

const TYPE_NAME = /^[a-z][a-z0-9_.:-]{0,127}$/;

/** A check of whole steps before a run starts (e.g. that a step's pinned `agent` exists). */
export type StepCheck = (step: StepDefinition) => readonly StepIssue[];

/**
 * Rewrites a workflow as written into plain steps before it is validated, or returns it unchanged
 * (e.g. @bear/agents turns a `pattern: pipeline` definition into agent.task steps). The run stores
 * the rewritten definition, so a resumed run never needs the expander again.
 */
export type DefinitionExpander = (definition: unknown) => unknown;

/** The step types the engine can run, each with its handler. */
export class StepHandlerRegistry implements StepTypeCatalog {
  readonly #handlers = new Map<string, StepHandler<unknown>>();
  readonly #checks = new Set<StepCheck>();
  readonly #expanders = new Set<DefinitionExpander>();
  #version = 0;

  constructor(handlers: ReadonlyArray<StepHandler<never>> = []) {
    for (const handler of handlers) this.register(handler as StepHandler<unknown>);
  }

  /** Adds a handler. Types are lower-case names such as 'clause_review' or 'myplugin.extract'. */
  register<P, O extends JsonValue>(handler: StepHandler<P, O>): this {
    if (!TYPE_NAME.test(handler.type)) {
      throw new TypeError(`step type '${handler.type}' is not a valid name (lower-case letters, digits, '_', '.', ':' or '-')`);
    }
    if (this.#handlers.has(handler.type)) throw new StepHandlerDuplicateError(handler.type);
    this.#handlers.set(handler.type, handler as unknown as StepHandler<unknown>);
    this.#version++;
    return this;
  }

  /** Removes a handler (a plugin being unloaded); true if one was registered. */
  unregister(type: string): boolean {
    this.#version++;
    return this.#handlers.delete(type);
  }

  /** Changes with every handler, check or expander added or removed (what validated before may not now). */
  get version(): number {
    return this.#version;
  }

  has(type: string): boolean {
    return this.#handlers.has(type);
  }

  get(type: string): StepHandler<unknown> {
    const handler = this.#handlers.get(type);
    if (!handler) throw new StepHandlerMissingError(type, this.types());
    return handler;
  }

  types(): string[] {
    return [...this.#handlers.keys()];
  }

  /** Adds a check every step passes before a run starts; returns a function that removes it. */
  addStepCheck(check: StepCheck): () => void {
    this.#checks.add(check);
    this.#version++;
    return () => void (this.#checks.delete(check) && this.#version++);
  }

  /** Adds a definition expander; returns a function that removes it. */
  addExpander(expander: DefinitionExpander): () => void {
    this.#expanders.add(expander);
    this.#version++;
    return () => void (this.#expanders.delete(expander) && this.#version++);
  }

  /** The definition after every expander (in the order they were added). */
  expand(definition: unknown): unknown {
    let out = definition;
    for (const expander of this.#expanders) out = expander(out);
    return out;
  }

  /** The handler's own `check` of its parameters, then every added step check. */
  checkStep(step: StepDefinition): StepIssue[] {
    const issues: StepIssue[] = [...(this.#handlers.get(step.type)?.check?.(step.parameters) ?? [])];
    for (const check of this.#checks) issues.push(...check(step));
    return issues;
  }
}
