import type { z } from "zod";
import type { DocumentIssue } from "./errors";

/** A zod error as the list of issues a playbook or checklist error carries, each with its path ("rules[2].when"). */
export function zodIssues(error: z.ZodError): DocumentIssue[] {
  return error.issues.map((i) => ({
    path: i.path.map((p, n) => (typeof p === "number" ? `[${p}]` : `${n === 0 ? "" : "."}${String(p)}`)).join(""),
    message: i.message,
  }));
}
