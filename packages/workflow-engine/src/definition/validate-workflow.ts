import type { z } from "zod";
import { WorkflowInputsError, WorkflowValidationError, type ValidationIssue } from "../errors";
import { conditionReferences, parseCondition } from "./condition";
import { collectReferences, formatReference, parseTemplate, type PathSegment } from "./reference";
import { workflowSchema, type InputSpec, type StepDefinition, type WorkflowDefinition } from "./workflow-definition";

/** A problem a step type's own check found, its path relative to the step (`parameters.tool`). */
export interface StepIssue {
  readonly path: string;
  readonly message: string;
}

/** Anything that can say whether a step type has a handler (a StepHandlerRegistry). */
export interface StepTypeCatalog {
  has(type: string): boolean;
  types(): readonly string[];
  /** Type-specific checks of a step as written (references unresolved), before anything runs. */
  checkStep?(step: StepDefinition): readonly StepIssue[];
}

export type ValidationResult =
  | { readonly ok: true; readonly workflow: WorkflowDefinition; readonly issues: readonly [] }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** `["steps", 3, "depends_on", 0]` → `steps[3].depends_on[0]`. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out += out === "" ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === "" ? "(root)" : out;
}

function zodIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      return { path: formatIssuePath(issue.path), message: `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}` };
    }
    return { path: formatIssuePath(issue.path), message: issue.message };
  });
}

const ROOTS = new Set(["inputs", "steps", "item", "index", "run"]);
const STEP_FIELDS = new Set(["output", "status", "error"]);

/**
 * Validates a workflow before anything runs: schema, unknown step types (when a catalog is
 * given), missing, duplicate and cyclic dependencies, fallbacks and every `{{ reference }}`.
 * Each issue names its exact path.
 */
export function validateWorkflow(raw: unknown, catalog?: StepTypeCatalog): ValidationResult {
  const parsed = workflowSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  const wf = parsed.data;
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string): void => void issues.push({ path, message });

  const indexById = new Map<string, number>();
  wf.steps.forEach((step, i) => {
    const first = indexById.get(step.id);
    if (first !== undefined) add(`steps[${i}].id`, `duplicate step id '${step.id}' (first used at steps[${first}])`);
    else indexById.set(step.id, i);
    if (catalog && !catalog.has(step.type)) add(`steps[${i}].type`, unknownType(step.type, catalog));
  });

  const known = [...indexById.keys()];
  const depsOk = new Map<string, string[]>();
  wf.steps.forEach((step, i) => {
    const seen = new Set<string>();
    const deps: string[] = [];
    step.depends_on.forEach((dep, j) => {
      const path = `steps[${i}].depends_on[${j}]`;
      if (dep === step.id) add(path, `step '${step.id}' depends on itself`);
      else if (!indexById.has(dep)) add(path, `step '${dep}' does not exist (known steps: ${known.join(", ")})`);
      else if (seen.has(dep)) add(path, `'${dep}' is listed twice`);
      else deps.push(dep);
      seen.add(dep);
    });
    if (!depsOk.has(step.id)) depsOk.set(step.id, deps);
  });

  // Cycles, iteratively (workflows may have tens of thousands of steps): Kahn's algorithm leaves
  // exactly the steps on or behind a cycle; following dependencies among those finds each cycle.
  const remainingDeps = new Map<string, number>();
  const dependentsOf = new Map<string, string[]>();
  for (const [id, deps] of depsOk) {
    remainingDeps.set(id, deps.length);
    for (const dep of deps) {
      const list = dependentsOf.get(dep);
      if (list) list.push(id);
      else dependentsOf.set(dep, [id]);
    }
  }
  const ready = [...remainingDeps].filter(([, n]) => n === 0).map(([id]) => id);
  while (ready.length > 0) {
    const id = ready.pop()!;
    remainingDeps.delete(id);
    for (const dependent of dependentsOf.get(id) ?? []) {
      const n = remainingDeps.get(dependent)! - 1;
      remainingDeps.set(dependent, n);
      if (n === 0) ready.push(dependent);
    }
  }
  const acyclic = remainingDeps.size === 0;
  const onReportedCycle = new Set<string>();
  for (const startId of remainingDeps.keys()) {
    if (onReportedCycle.has(startId)) continue;
    const position = new Map<string, number>();
    const walk: string[] = [];
    let current = startId;
    while (!position.has(current) && !onReportedCycle.has(current)) {
      position.set(current, walk.length);
      walk.push(current);
      current = depsOk.get(current)!.find((dep) => remainingDeps.has(dep))!;
    }
    if (onReportedCycle.has(current)) {
      for (const id of walk) onReportedCycle.add(id);
      continue;
    }
    const cycle = walk.slice(position.get(current));
    for (const id of walk) onReportedCycle.add(id);
    const last = cycle[cycle.length - 1]!;
    const i = indexById.get(last)!;
    add(`steps[${i}].depends_on[${wf.steps[i]!.depends_on.indexOf(current)}]`, `dependency cycle ${[...cycle, current].join(" -> ")}`);
  }

  const ancestorsCache = new Map<string, Set<string>>();
  const ancestors = (id: string): Set<string> => {
    const cached = ancestorsCache.get(id);
    if (cached) return cached;
    const out = new Set<string>();
    const stack = [...(depsOk.get(id) ?? [])];
    while (stack.length > 0) {
      const dep = stack.pop()!;
      if (out.has(dep)) continue;
      out.add(dep);
      for (const next of depsOk.get(dep) ?? []) if (!out.has(next)) stack.push(next);
    }
    ancestorsCache.set(id, out);
    return out;
  };

  // Fallbacks.
  const fallbackOf = new Map<string, string>();
  wf.steps.forEach((step, i) => {
    if (typeof step.on_error !== "object") return;
    const target = step.on_error.fallback;
    const path = `steps[${i}].on_error.fallback`;
    const ti = indexById.get(target);
    if (target === step.id) add(path, `step '${step.id}' cannot be its own fallback`);
    else if (ti === undefined) add(path, `fallback step '${target}' does not exist (known steps: ${known.join(", ")})`);
    else if (fallbackOf.has(target)) add(path, `step '${target}' is already the fallback of '${fallbackOf.get(target)}'`);
    else {
      fallbackOf.set(target, step.id);
      const fb = wf.steps[ti]!;
      if (typeof fb.on_error === "object") add(path, `fallback step '${target}' declares a fallback of its own; chains are not supported`);
      if (acyclic) {
        const allowed = ancestors(step.id);
        fb.depends_on.forEach((dep, j) => {
          if (!allowed.has(dep) && indexById.has(dep)) {
            add(`steps[${ti}].depends_on[${j}]`, `fallback step '${target}' may only depend on steps that '${step.id}' depends on, not '${dep}'`);
          }
        });
      }
    }
  });
  wf.steps.forEach((step, i) => {
    step.depends_on.forEach((dep, j) => {
      const primary = fallbackOf.get(dep);
      if (primary !== undefined) {
        add(`steps[${i}].depends_on[${j}]`, `'${dep}' is the fallback of '${primary}' and runs only if it fails; depend on '${primary}' instead`);
      }
    });
  });

  // References.
  const declaredInputs = new Set(Object.keys(wf.inputs));
  const checkRef = (step: StepDefinition, path: string, segments: readonly PathSegment[], allowItem: boolean): void => {
    const text = formatReference(segments);
    const root = segments[0];
    if (typeof root !== "string" || !ROOTS.has(root)) {
      add(path, `reference '${text}' must start with inputs, steps, item, index or run`);
      return;
    }
    if (root === "inputs") {
      const name = segments[1];
      if (typeof name !== "string") add(path, `reference '${text}' must name an input, e.g. inputs.contract`);
      else if (!declaredInputs.has(name)) add(path, `reference '${text}' names input '${name}', which is not declared (declared: ${[...declaredInputs].join(", ") || "none"})`);
    } else if (root === "steps") {
      const target = segments[1];
      const field = segments[2];
      if (typeof target !== "string") add(path, `reference '${text}' must name a step, e.g. steps.extract.output`);
      else if (!indexById.has(target)) add(path, `reference '${text}' names step '${target}', which does not exist (known steps: ${known.join(", ")})`);
      else if (target === step.id) add(path, `reference '${text}' reads the step's own output`);
      else if (acyclic && !ancestors(step.id).has(target)) add(path, `reference '${text}' reads step '${target}', which is not among the dependencies of '${step.id}'; add it to depends_on`);
      else if (typeof field !== "string" || !STEP_FIELDS.has(field)) add(path, `reference '${text}' must continue with .output, .status or .error`);
    } else if ((root === "item" || root === "index") && !allowItem) {
      add(path, step.for_each === undefined ? `reference '${text}' is only available in a step with for_each` : `reference '${text}' cannot be used inside for_each itself`);
    }
  };

  wf.steps.forEach((step, i) => {
    const base = `steps[${i}]`;
    const fanOut = step.for_each !== undefined;
    for (const found of collectReferences(step.parameters, `${base}.parameters`)) {
      if ("error" in found) add(found.path, found.error.message);
      else checkRef(step, found.path, found.ref.segments, fanOut);
    }
    for (const found of collectReferences(step.validate ?? {}, `${base}.validate`)) {
      if ("error" in found) add(found.path, found.error.message);
      else checkRef(step, found.path, found.ref.segments, fanOut);
    }
    if (catalog?.checkStep && catalog.has(step.type)) for (const issue of stepChecks(step, i, catalog)) issues.push(issue);
    if (typeof step.for_each === "string") {
      try {
        const parts = parseTemplate(step.for_each);
        const only = parts[0];
        if (parts.length !== 1 || only?.kind !== "ref") add(`${base}.for_each`, `expected exactly one reference such as {{ steps.list.output.items }}`);
        else checkRef(step, `${base}.for_each`, only.ref.segments, false);
      } catch (error) {
        add(`${base}.for_each`, (error as Error).message);
      }
    } else if (Array.isArray(step.for_each)) {
      for (const found of collectReferences(step.for_each, `${base}.for_each`)) {
        if ("error" in found) add(found.path, found.error.message);
        else checkRef(step, found.path, found.ref.segments, false);
      }
    }
    if (step.when !== undefined) {
      try {
        for (const segments of conditionReferences(parseCondition(step.when))) checkRef(step, `${base}.when`, segments, fanOut);
      } catch (error) {
        add(`${base}.when`, (error as Error).message);
      }
    }
  });

  if (issues.length === 0) return { ok: true, workflow: wf, issues: [] };
  // In the order of the document: by step index (stable within a step).
  const stepIndex = (p: string): number => Number(/^steps\[(\d+)\]/.exec(p)?.[1] ?? -1);
  return { ok: false, issues: issues.map((issue, i) => ({ issue, i })).sort((a, b) => stepIndex(a.issue.path) - stepIndex(b.issue.path) || a.i - b.i).map((x) => x.issue) };
}

/**
 * What the catalog says of a workflow that validated before against the same step types (see
 * ValidatedDefinitions): unknown step types and the types' own checks, which may read state the
 * catalog does not version (e.g. whether a step's pinned agent still exists).
 */
export function catalogIssues(wf: WorkflowDefinition, catalog: StepTypeCatalog): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  wf.steps.forEach((step, i) => {
    if (!catalog.has(step.type)) issues.push({ path: `steps[${i}].type`, message: unknownType(step.type, catalog) });
    else if (catalog.checkStep) issues.push(...stepChecks(step, i, catalog));
  });
  return issues;
}

function unknownType(type: string, catalog: StepTypeCatalog): string {
  return `unknown step type '${type}' (registered: ${[...catalog.types()].sort().join(", ") || "none"})`;
}

function stepChecks(step: StepDefinition, i: number, catalog: StepTypeCatalog): ValidationIssue[] {
  return (catalog.checkStep?.(step) ?? []).map((issue) => ({ path: `steps[${i}].${issue.path}`, message: issue.message }));
}

/** validateWorkflow that throws a WorkflowValidationError listing every issue. */
export function assertValidWorkflow(raw: unknown, catalog?: StepTypeCatalog): WorkflowDefinition {
  const result = validateWorkflow(raw, catalog);
  if (result.ok) return result.workflow;
  const name = typeof raw === "object" && raw !== null && typeof (raw as { name?: unknown }).name === "string" ? (raw as { name: string }).name : "(unnamed)";
  throw new WorkflowValidationError(name, result.issues);
}

function typeMatches(type: InputSpec["type"], value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}

/** Checks run inputs against the declared inputs and applies defaults. Unknown inputs are refused. */
export function resolveInputs(wf: WorkflowDefinition, given: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const issues: ValidationIssue[] = [];
  const out: Record<string, unknown> = {};
  const provided = given ?? {};
  if (typeof provided !== "object" || provided === null || Array.isArray(provided)) {
    throw new WorkflowInputsError(wf.name, [{ path: "inputs", message: "expected an object of named inputs" }]);
  }
  for (const key of Object.keys(provided)) {
    if (!Object.hasOwn(wf.inputs, key)) issues.push({ path: `inputs.${key}`, message: `unknown input (declared: ${Object.keys(wf.inputs).join(", ") || "none"})` });
  }
  for (const [name, spec] of Object.entries(wf.inputs)) {
    const value = Object.hasOwn(provided, name) ? provided[name] : spec.default;
    if (value === undefined) {
      if (spec.required !== false) issues.push({ path: `inputs.${name}`, message: "required input is missing" });
      continue;
    }
    if (!typeMatches(spec.type, value)) issues.push({ path: `inputs.${name}`, message: `expected ${spec.type}, got ${Array.isArray(value) ? "array" : value === null ? "null" : typeof value}` });
    out[name] = value;
  }
  if (issues.length > 0) throw new WorkflowInputsError(wf.name, issues);
  return out;
}
