import type { Scrubber } from "@bear/core";
import type { JsonValue } from "@bear/workflow-engine";
import { z } from "zod";
import { TaskInputError } from "../errors";
import { WorkflowAgent, type AgentTask, type AgentTaskContext, type WorkflowAgentOptions } from "../agent/workflow-agent";
import { citationRule, confidenceRule, piiRule, schemaRule, scrubberDetector, type PiiDetector } from "./validation-rules";
import { validationSpecSchema, type ValidationReport, type ValidationRule, type ValidationSubject } from "./validation-spec";

/** The capability every validator declares. */
export const VALIDATION_CAPABILITY = "validation";

export interface ValidatorAgentOptions extends Omit<WorkflowAgentOptions, "type" | "capabilities" | "id"> {
  readonly id?: string;
  /** Output schemas by capability (or by name for `spec.schema`). */
  readonly schemas?: Readonly<Record<string, z.ZodType>>;
  /** Finds PII for `pii: scrubbed`; without it (and without `scrubber`) such checks fail closed. */
  readonly piiDetector?: PiiDetector;
  /** Used as the PII detector when `piiDetector` is not given. */
  readonly scrubber?: Scrubber;
  /** Rules checked after the built-in ones. */
  readonly rules?: readonly ValidationRule[];
}

const subjectSchema = z.strictObject({
  capability: z.string().min(1).optional(),
  output: z.custom<JsonValue>(() => true),
  spec: validationSpecSchema.default({}),
});

/**
 * Checks results: schema, citations against the real source text, no unredacted PII where policy
 * says scrubbed, confidence thresholds, plus any custom rules. As an agent its task input is
 * `{ capability?, output, spec }` and its output the report; a failed report is what makes the
 * dispatcher reject a result (so the engine retries the step or runs its fallback).
 */
export class ValidatorAgent extends WorkflowAgent {
  readonly #schemas: Map<string, z.ZodType>;
  readonly #rules: ValidationRule[];

  constructor(options: ValidatorAgentOptions = {}) {
    super({ name: "Validator", ...options, id: options.id ?? "validator", type: "validator", capabilities: [VALIDATION_CAPABILITY] });
    this.#schemas = new Map(Object.entries(options.schemas ?? {}));
    const detector = options.piiDetector ?? (options.scrubber ? scrubberDetector(options.scrubber) : undefined);
    this.#rules = [schemaRule(this.#schemas), citationRule(), piiRule(detector), confidenceRule(), ...(options.rules ?? [])];
  }

  /** Adds (or replaces) the schema for a capability's output or a named schema. */
  registerSchema(name: string, schema: z.ZodType): this {
    this.#schemas.set(name, schema);
    return this;
  }

  unregisterSchema(name: string): boolean {
    return this.#schemas.delete(name);
  }

  /** True when some rule applies to the subject (else validating it would check nothing). */
  applies(subject: ValidationSubject): boolean {
    return this.#rules.some((r) => r.applies(subject));
  }

  /** Runs every applicable rule; `valid` when none reports an issue. */
  async validate(subject: ValidationSubject, signal: AbortSignal = new AbortController().signal): Promise<ValidationReport> {
    const applicable = this.#rules.filter((r) => r.applies(subject));
    const issues = [];
    for (const rule of applicable) {
      signal.throwIfAborted();
      issues.push(...(await rule.check(subject, { signal })));
    }
    return { valid: issues.length === 0, issues, checked: applicable.map((r) => r.name) };
  }

  protected override async perform(task: AgentTask, ctx: AgentTaskContext): Promise<JsonValue> {
    const parsed = subjectSchema.safeParse(task.input);
    if (!parsed.success) throw new TaskInputError(this.id, task.capability, parsed.error.issues.map((i) => `${["input", ...i.path].join(".")}: ${i.message}`).join("; "));
    const report = await this.validate(parsed.data as ValidationSubject, ctx.signal);
    return report as unknown as JsonValue;
  }
}
