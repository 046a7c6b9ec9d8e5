import { HttpError } from "./http-error";

interface AjvIssue {
  readonly instancePath?: string;
  readonly keyword?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

/** `body.filter.matters[0]` from context "body" and instancePath "/filter/matters/0". */
function fieldOf(context: string, issue: AjvIssue): string {
  const segments = (issue.instancePath ?? "")
    .split("/")
    .filter((s) => s.length > 0)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const extra = issue.params?.["missingProperty"] ?? issue.params?.["additionalProperty"];
  if (typeof extra === "string") segments.push(extra);
  return segments.reduce((field, s) => (/^\d+$/.test(s) ? `${field}[${s}]` : `${field}.${s}`), context);
}

/** Turns Fastify's schema validation error into a 400 naming the first failing field. */
export function validationError(context: string, issues: readonly AjvIssue[]): HttpError {
  const issue = issues[0] ?? {};
  const field = fieldOf(context, issue);
  let message: string;
  switch (issue.keyword) {
    case "required":
      message = "is required";
      break;
    case "additionalProperties":
      message = "is not an accepted field";
      break;
    default:
      message = issue.message ?? "is invalid";
  }
  return new HttpError(400, "VALIDATION_FAILED", `${field} ${message}`, {
    details: { field, keyword: issue.keyword ?? "unknown" },
    hint: "See /api/v1/openapi.json for the accepted request shape.",
  });
}
