import type { StepHandler } from "@bear/workflow-engine";
import type { z } from "zod";
import { AgentError } from "../errors";
import { StepHandlerAgent, type StepHandlerAgentOptions } from "../executors/step-handler-agent";

/**
 * The plug-in seam for domain agents (the legal specialists, a plugin's). A specialist is its
 * capabilities, each performed by a workflow-engine step handler, plus any step types it adds to
 * the engine so its own YAML workflows (e.g. `contract_review` with `legal.*` steps) run as well.
 * Nothing here knows about legal work: the apps install the specialists they have.
 */
export interface Specialist {
  /** Default agent id; 1-64 letters, digits, '.', '_' or '-'. */
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  /** Capability → the handler performing it. The task input is the handler's parameters. */
  readonly capabilities: Readonly<Record<string, StepHandler<never>>>;
  /** Schemas the validator applies to each capability's output. */
  readonly outputSchemas?: Readonly<Record<string, z.ZodType>>;
  /** More step types for the engine (the capability handlers are registered too). */
  readonly stepHandlers?: ReadonlyArray<StepHandler<never>>;
}

/** Checks a specialist definition and returns it (for plug-in authors: fails early with the reason). */
export function defineSpecialist<S extends Specialist>(specialist: S): S {
  const problems: string[] = [];
  if (!/^[a-z0-9][a-z0-9_.-]{0,63}$/i.test(specialist.id)) problems.push(`id '${specialist.id}' is not 1-64 letters, digits, '.', '_' or '-'`);
  if (!specialist.name) problems.push("name is empty");
  const capabilities = Object.keys(specialist.capabilities ?? {});
  if (capabilities.length === 0) problems.push("it declares no capabilities");
  for (const [capability, handler] of Object.entries(specialist.capabilities ?? {})) {
    if (!/^[a-z][a-z0-9_.:-]{0,127}$/.test(capability)) problems.push(`capability '${capability}' is not a lower-case name`);
    if (typeof handler?.execute !== "function") problems.push(`capability '${capability}' has no step handler`);
  }
  for (const name of Object.keys(specialist.outputSchemas ?? {})) {
    if (!capabilities.includes(name)) problems.push(`outputSchemas names '${name}', which is not one of its capabilities`);
  }
  if (problems.length) {
    throw new AgentError("SPECIALIST_INVALID", `specialist '${specialist.id}' is invalid: ${problems.join("; ")}`, {
      hint: "A specialist needs an id, a name and at least one capability mapped to a workflow-engine StepHandler.",
      details: { id: specialist.id },
    });
  }
  return specialist;
}

/** Every step handler a specialist brings to the engine (capability handlers and extras), deduplicated by type. */
export function specialistStepHandlers(specialist: Specialist): Array<StepHandler<never>> {
  const byType = new Map<string, StepHandler<never>>();
  for (const handler of [...Object.values(specialist.capabilities), ...(specialist.stepHandlers ?? [])]) if (!byType.has(handler.type)) byType.set(handler.type, handler);
  return [...byType.values()];
}

/** A specialist as an agent the load balancer can pick. */
export class SpecialistAgent extends StepHandlerAgent {
  readonly specialist: Specialist;

  constructor(specialist: Specialist, options: Omit<StepHandlerAgentOptions, "handlers" | "id"> & { readonly id?: string } = {}) {
    defineSpecialist(specialist);
    // Its step types are capabilities too, so a workflow step of type 'legal.extract_terms' is
    // assigned to this specialist as readily as an agent.task asking for 'term_extraction'.
    const handlers: Record<string, StepHandler<never>> = { ...specialist.capabilities };
    for (const handler of specialistStepHandlers(specialist)) handlers[handler.type] ??= handler;
    super("specialist", { name: specialist.name, ...options, id: options.id ?? specialist.id, handlers });
    this.specialist = specialist;
  }
}
