import type { JsonValue, WorkflowInput } from "@bear/workflow-engine";
import { InvalidArgumentError } from "@bear/core";
import type { ValidationSpec } from "../validation/validation-spec";

/** A stage done by an agent. */
export interface PipelineStage {
  /** Step id: a letter or '_' then letters, digits, '_' or '-'. */
  readonly id: string;
  readonly capability: string;
  /**
   * The task input. Default: the previous stage's output (the pipeline's `input` for the first).
   * May use `{{ inputs.input }}` and `{{ steps.<earlier stage>.output… }}`.
   */
  readonly input?: JsonValue;
  /** Checks the stage's result before accepting it; a rejected result is retried. */
  readonly validate?: ValidationSpec;
  /** Attempts including the first (default 1; another agent is preferred after a failure). */
  readonly attempts?: number;
  /** Pin an agent id instead of balancing. */
  readonly agent?: string;
}

/** A validation gate between stages: passes the previous output on, or fails (then `fallback` runs, if given). */
export interface PipelineGate {
  readonly id: string;
  readonly validate: ValidationSpec;
  /** Capability whose registered schema applies to the subject. */
  readonly capability?: string;
  /** A stage that produces a safe replacement when the gate fails (its output continues the pipeline). */
  readonly fallback?: Omit<PipelineStage, "validate" | "attempts">;
}

type Entry = { readonly kind: "stage"; readonly stage: PipelineStage } | { readonly kind: "gate"; readonly gate: PipelineGate };

/**
 * A linear chain of agent stages — e.g. extract → scrub → analyse → validate → format — built as
 * one workflow, so every stage is durable, retried per its policy and visible in the engine's
 * events. Run it with `AgentSystem.runPipeline(pipeline, input)`.
 */
export class Pipeline {
  readonly #entries: Entry[] = [];

  constructor(
    readonly name: string,
    readonly description?: string,
  ) {}

  stage(stage: PipelineStage): this {
    this.#check(stage.id);
    this.#entries.push({ kind: "stage", stage });
    return this;
  }

  gate(gate: PipelineGate): this {
    this.#check(gate.id);
    if (gate.fallback) this.#check(gate.fallback.id);
    this.#entries.push({ kind: "gate", gate });
    return this;
  }

  /** Step ids in order (the last one's output is the pipeline's output). */
  get stageIds(): string[] {
    return this.#entries.map((e) => (e.kind === "stage" ? e.stage.id : e.gate.id));
  }

  toWorkflow(): WorkflowInput {
    if (this.#entries.length === 0) throw new InvalidArgumentError(`pipeline '${this.name}'`, [], "at least one stage");
    const steps: Array<Record<string, unknown>> = [];
    let previous: { id: string; ref: string } | undefined;
    for (const entry of this.#entries) {
      const dependsOn = previous ? [previous.id] : [];
      const prevRef = previous?.ref ?? "{{ inputs.input }}";
      if (entry.kind === "stage") {
        const s = entry.stage;
        steps.push({
          id: s.id,
          type: "agent.task",
          depends_on: dependsOn,
          ...(s.agent ? { agent: s.agent } : {}),
          ...(s.attempts && s.attempts > 1 ? { retry: { attempts: s.attempts, backoff: { initial: 10, factor: 2, max: 5000, jitter: 0.2 } } } : {}),
          parameters: { capability: s.capability, input: s.input === undefined ? prevRef : s.input, ...(s.validate ? { validate: s.validate } : {}) },
        });
        previous = { id: s.id, ref: `{{ steps.${s.id}.output }}` };
      } else {
        const g = entry.gate;
        steps.push({
          id: g.id,
          type: "agent.validate",
          depends_on: dependsOn,
          ...(g.fallback ? { on_error: { fallback: g.fallback.id } } : {}),
          parameters: { subject: prevRef, spec: g.validate, ...(g.capability ? { capability: g.capability } : {}) },
        });
        if (g.fallback) {
          const f = g.fallback;
          // Runs only in the gate's place; its output must look like the gate's: { subject }.
          steps.push({
            id: f.id,
            type: "agent.task",
            depends_on: dependsOn,
            ...(f.agent ? { agent: f.agent } : {}),
            parameters: { capability: f.capability, input: f.input === undefined ? prevRef : f.input },
          });
        }
        previous = { id: g.id, ref: `{{ steps.${g.id}.output.subject }}` };
      }
    }
    return {
      name: this.name,
      ...(this.description ? { description: this.description } : {}),
      inputs: { input: { type: "any", required: true } },
      steps,
    } as unknown as WorkflowInput;
  }

  #check(id: string): void {
    if (!/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/.test(id)) throw new InvalidArgumentError("pipeline stage id", id, "a letter or '_' then letters, digits, '_' or '-'");
    const taken = this.#entries.flatMap((e) => (e.kind === "stage" ? [e.stage.id] : [e.gate.id, ...(e.gate.fallback ? [e.gate.fallback.id] : [])]));
    if (taken.includes(id)) throw new InvalidArgumentError("pipeline stage id", id, `an id not used yet (used: ${taken.join(", ")})`);
  }
}
