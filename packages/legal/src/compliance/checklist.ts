import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { ChecklistError, type DocumentIssue } from "../errors";
import { zodIssues } from "../zod-issues";

const regexString = z.string().min(1).superRefine((s, ctx) => {
  try {
    new RegExp(s, "i");
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `not a valid regular expression: ${(error as Error).message}` });
  }
});
/** A cue: one regex, or a list of regexes that must all match the same sentence. */
const cue = z.union([regexString, z.array(regexString).min(1)]);
export type ChecklistCue = z.infer<typeof cue>;

export const requirementSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.()-]{0,63}$/, "expected an id such as 'art28-3-a'"),
  title: z.string().min(1),
  /** Where the requirement comes from ("GDPR Art. 28(3)(a)"). */
  reference: z.string().optional(),
  /** A sentence matching any cue meets the requirement. */
  evidence: z.array(cue).min(1),
  /** A sentence matching any of these says the opposite: the requirement is contradicted (checked first). */
  contradicted_by: z.array(cue).default([]),
  /** Only these match: the requirement is unclear (a lawyer should look). */
  weak_evidence: z.array(cue).default([]),
  /** Evidence that is also matched by one of these does not count. */
  unless: z.array(cue).default([]),
  /** Which wins when a contract has both kinds of sentence (default: contradiction). */
  precedence: z.enum(["contradiction", "evidence"]).default("contradiction"),
  /** What to add when the requirement is missing or unclear. */
  fix: z.string().optional(),
});
export type ChecklistRequirement = z.infer<typeof requirementSchema>;

export const checklistSchema = z.strictObject({
  name: z.string().min(1),
  version: z.union([z.string(), z.number()]).optional(),
  description: z.string().optional(),
  requirements: z.array(requirementSchema).min(1, "a checklist needs at least one requirement"),
});
export type Checklist = z.infer<typeof checklistSchema>;

/** Parses and validates a compliance checklist (YAML or JSON text, or a parsed object). */
export function loadChecklist(source: string | unknown, name = "(inline)"): Checklist {
  let data: unknown = source;
  if (typeof source === "string") {
    try {
      data = parseYaml(source);
    } catch (error) {
      throw new ChecklistError(name, [{ path: "", message: `not valid YAML: ${(error as Error).message.split("\n")[0]}` }], error);
    }
  }
  const parsed = checklistSchema.safeParse(data);
  if (!parsed.success) throw new ChecklistError(name, zodIssues(parsed.error));
  const seen = new Set<string>();
  const issues: DocumentIssue[] = [];
  parsed.data.requirements.forEach((r, i) => {
    if (seen.has(r.id)) issues.push({ path: `requirements[${i}].id`, message: `duplicate requirement id '${r.id}'` });
    seen.add(r.id);
  });
  if (issues.length > 0) throw new ChecklistError(name, issues);
  return parsed.data;
}
