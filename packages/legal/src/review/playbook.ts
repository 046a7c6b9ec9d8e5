import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { cuadCategory, type CuadCategory } from "../classification/cuad-categories";
import { builtInRequirement } from "../compliance/built-in-checklists";
import { REQUIREMENT_STATUSES, type RequirementStatus } from "../compliance/check-compliance";
import { PlaybookError, type DocumentIssue } from "../errors";
import { zodIssues } from "../zod-issues";
import { compilePlaybookPattern } from "./playbook-pattern";

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

const regexString = z.string().min(1).superRefine((s, ctx) => {
  try {
    compilePlaybookPattern(s);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `not a valid regular expression: ${(error as Error).message}` });
  }
});
const category = z.string().transform((s, ctx) => {
  const c = cuadCategory(s);
  if (!c) ctx.addIssue({ code: "custom", message: `unknown CUAD category '${s}' (e.g. "Cap on Liability", "Anti-Assignment")` });
  return c as CuadCategory;
});
const requirementId = z.string().superRefine((s, ctx) => {
  if (!builtInRequirement(s)) ctx.addIssue({ code: "custom", message: `unknown requirement '${s}': name one of a built-in checklist (e.g. "nda-5", "art28-3-a")` });
});
const durationText = z.string().regex(/^\s*\d+\s*(?:days?|weeks?|months?|years?)\s*$/i, 'expected a period such as "30 days" or "3 months"');

/** One condition; a rule fires when its condition holds. */
export type RuleCondition =
  | { readonly clause_present: CuadCategory; readonly matching?: string; readonly not_matching?: string }
  | { readonly clause_absent: CuadCategory }
  | { readonly text_matches: string; readonly unless_text_matches?: string }
  | { readonly text_absent: string }
  | { readonly governing_law_not_in: readonly string[] | "approved" }
  | { readonly key_term_missing: "governing_law" | "parties" | "effective_date" | "expiration_date" | "jurisdiction" }
  | { readonly auto_renewal_without_notice: true }
  | { readonly renewal_notice_shorter_than: string }
  | { readonly checklist: { readonly requirement: string; readonly status: readonly RequirementStatus[] } }
  | { readonly all: readonly RuleCondition[] }
  | { readonly any: readonly RuleCondition[] };

const condition: z.ZodType<RuleCondition> = z.lazy(() =>
  z.union([
    z.strictObject({ clause_present: category, matching: regexString.optional(), not_matching: regexString.optional() }),
    z.strictObject({ clause_absent: category }),
    z.strictObject({ text_matches: regexString, unless_text_matches: regexString.optional() }),
    z.strictObject({ text_absent: regexString }),
    z.strictObject({ governing_law_not_in: z.union([z.array(z.string().min(1)).min(1), z.literal("approved")]) }),
    z.strictObject({ key_term_missing: z.enum(["governing_law", "parties", "effective_date", "expiration_date", "jurisdiction"]) }),
    z.strictObject({ auto_renewal_without_notice: z.literal(true) }),
    z.strictObject({ renewal_notice_shorter_than: durationText }),
    z.strictObject({ checklist: z.strictObject({ requirement: requirementId, status: z.array(z.enum(REQUIREMENT_STATUSES)).min(1) }) }),
    z.strictObject({ all: z.array(condition).min(1) }),
    z.strictObject({ any: z.array(condition).min(1) }),
  ]),
) as z.ZodType<RuleCondition>;

export const playbookRuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, "expected a lower-case id such as 'uncapped-liability'"),
  title: z.string().min(1),
  severity: z.enum(SEVERITIES),
  description: z.string().optional(),
  when: condition,
  fix: z.string().min(1),
  /** For absence rules: cite the clauses of this category instead (e.g. the term clause when termination for convenience is missing). */
  cite: category.optional(),
});
export type PlaybookRule = z.infer<typeof playbookRuleSchema>;

export const playbookSchema = z.strictObject({
  name: z.string().min(1),
  version: z.union([z.string(), z.number()]).optional(),
  description: z.string().optional(),
  /** Governing laws acceptable without escalation, used by `governing_law_not_in: approved`. */
  approved_governing_law: z.array(z.string().min(1)).default([]),
  rules: z.array(playbookRuleSchema).min(1, "a playbook needs at least one rule"),
});
export type Playbook = z.infer<typeof playbookSchema>;

/**
 * Parses and validates a playbook (YAML or JSON text, or an already parsed object). Every problem
 * is reported with its path; duplicate rule ids are refused.
 */
export function loadPlaybook(source: string | unknown, name = "(inline)"): Playbook {
  let data: unknown = source;
  if (typeof source === "string") {
    try {
      data = parseYaml(source);
    } catch (error) {
      throw new PlaybookError(name, [{ path: "", message: `not valid YAML: ${(error as Error).message.split("\n")[0]}` }], error);
    }
  }
  const parsed = playbookSchema.safeParse(data);
  if (!parsed.success) throw new PlaybookError(name, zodIssues(parsed.error));
  const seen = new Set<string>();
  const issues: DocumentIssue[] = [];
  parsed.data.rules.forEach((r, i) => {
    if (seen.has(r.id)) issues.push({ path: `rules[${i}].id`, message: `duplicate rule id '${r.id}'` });
    seen.add(r.id);
    if (JSON.stringify(r.when).includes('"approved"') && parsed.data.approved_governing_law.length === 0) {
      issues.push({ path: `rules[${i}].when`, message: "uses 'approved' but approved_governing_law is empty" });
    }
  });
  if (issues.length > 0) throw new PlaybookError(name, issues);
  return parsed.data;
}
