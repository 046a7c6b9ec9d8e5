import { parseWorkflowText, WorkflowValidationError, type ValidationIssue, type WorkflowEngine } from "@bear/workflow-engine";
import { COORDINATION_CAPABILITY } from "@bear/agents";
import { INTERNAL_STEP_INSTEAD as INSTEAD, INTERNAL_STEP_TYPES } from "../cluster/cluster-steps";


const internal = (type: string): string => `'${type}' is one of BEAR's own step types (${INTERNAL_STEP_TYPES.join(", ")}: a cluster's API instance sends them to its workers for its audited acts) and cannot be named in a submitted workflow; use ${INSTEAD[type]}`;

/**
 * The problems of a definition (already expanded: `pattern:` workflows become agent.task steps)
 * sent by a user that BEAR's own runs do not have: a step of an internal step type, or an
 * agent.task whose capability is one — or a reference, which could resolve to one at run time.
 */
export function internalStepIssues(definition: unknown): ValidationIssue[] {
  const steps = typeof definition === "object" && definition !== null ? (definition as { steps?: unknown }).steps : undefined;
  if (!Array.isArray(steps)) return []; // the engine's validation names what is missing
  const issues: ValidationIssue[] = [];
  steps.forEach((step: unknown, i) => {
    if (typeof step !== "object" || step === null) return;
    const { type, parameters } = step as { type?: unknown; parameters?: unknown };
    if (typeof type === "string" && INTERNAL_STEP_TYPES.includes(type)) issues.push({ path: `steps[${i}].type`, message: `step type ${internal(type)}` });
    if (type !== "agent.task" || typeof parameters !== "object" || parameters === null) return;
    const capability = (parameters as { capability?: unknown }).capability;
    if (typeof capability !== "string") return;
    if (capability === COORDINATION_CAPABILITY) issues.push(...requirementIssues((parameters as { input?: unknown }).input, i));
    if (INTERNAL_STEP_TYPES.includes(capability)) issues.push({ path: `steps[${i}].parameters.capability`, message: `capability ${internal(capability)}` });
    else if (capability.includes("{{")) issues.push({ path: `steps[${i}].parameters.capability`, message: `a submitted workflow names its agent.task capabilities as written, not as a reference ('${capability.slice(0, 80)}'), so they are checked before the run starts` });
  });
  return issues;
}

/**
 * A coordinator task's requirements as written: each becomes a subtask the coordinator dispatches
 * in a run of its own, so none may be internal (a reference is refused where the step is
 * dispatched: the cluster-steps handlers run only for an act).
 */
function requirementIssues(input: unknown, i: number): ValidationIssue[] {
  const requirements = typeof input === "object" && input !== null ? (input as { requirements?: unknown }).requirements : undefined;
  if (!Array.isArray(requirements)) return [];
  return requirements.flatMap((r: unknown, j) =>
    typeof r === "string" && INTERNAL_STEP_TYPES.includes(r) ? [{ path: `steps[${i}].parameters.input.requirements[${j}]`, message: `a coordinated requirement ${internal(r)}` }] : [],
  );
}

/**
 * A workflow a user sends (REST API, `bear workflow run`), returned as sent for `engine.start`
 * (which keeps its validated definitions by text): refused with WORKFLOW_INVALID (each path named,
 * nothing run) when its expansion names one of BEAR's own step types. BEAR's own runs (started
 * through the engine) and the resumption of any run are not affected.
 */
export function submittedWorkflow(engine: WorkflowEngine, definition: unknown, options: { readonly source?: string } = {}): unknown {
  const expanded = engine.registry.expand(typeof definition === "string" ? parseWorkflowText(definition, options) : definition);
  const issues = internalStepIssues(expanded);
  if (issues.length > 0) {
    const name = typeof expanded === "object" && expanded !== null ? (expanded as { name?: unknown }).name : undefined;
    throw new WorkflowValidationError(typeof name === "string" ? name.slice(0, 200) : "(unnamed)", issues);
  }
  return definition;
}
