import { DocumentNotFoundError } from "@bear/rag";
import { POLICIES_WITHOUT_VAULT } from "@bear/security";
import type { ApiContext } from "./api-services";
import { content, ok, operation, type ApiOperation } from "./api-operation";
import { errorResponses, ID_PATTERN, MATTER_PATTERN } from "./api-schemas";
import { readableDocument } from "./document-operations";
import { invalidField } from "./http-error";

/** Policies that need no vault key (the reversible `tokenize` policy is not offered over HTTP, nor to the agents' tools). */
const POLICIES = POLICIES_WITHOUT_VAULT;

interface RedactBody {
  readonly text?: string;
  readonly documentId?: string;
  readonly policy?: (typeof POLICIES)[number];
  readonly format?: "json" | "text";
  /** Share placeholders with the matter's earlier redactions, as `bear redact --matter`. */
  readonly matter?: string;
}

interface ReviewBody {
  readonly documentId?: string;
  readonly text?: string;
  readonly playbook?: string;
  readonly format?: "json" | "markdown" | "html";
}

const redactBodySchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    text: { type: "string", maxLength: 500_000 },
    documentId: { type: "string", pattern: ID_PATTERN },
    policy: { type: "string", enum: [...POLICIES], default: "default" },
    format: { type: "string", enum: ["json", "text"], default: "json" },
    matter: {
      type: "string",
      pattern: MATTER_PATTERN,
      description: "Number placeholders across the matter (as `bear redact --matter`): the same person keeps <PERSON_1> in every document redacted with it; a stored document is redacted in its own matter only",
    },
  },
} as const;

const redactedSchema = {
  description: "The redacted text and where each replacement stands (or, with format 'text', the redacted copy as text/plain)",
  type: "object",
  properties: {
    text: { type: "string" },
    policy: { type: "string" },
    documentId: { type: "string" },
    matter: { type: "string" },
    entities: { type: "integer" },
    replacements: { type: "array", items: { type: "object", properties: { type: { type: "string" }, start: { type: "integer" }, end: { type: "integer" } } } },
  },
} as const;

/** Redaction (@bear/security through the workspace) and contract review (@bear/legal). */
export function redactReviewOperations({ services }: ApiContext): ApiOperation[] {
  const { rag, workspace } = services;
  return [
    operation<unknown, unknown, RedactBody>({
      method: "POST",
      url: "/api/v1/redact",
      tags: ["redaction"],
      rateCost: 2,
      summary: "Remove personal data from a text or a stored document; `format: \"text\"` returns the redacted copy as a download",
      schema: { body: redactBodySchema, response: { 200: redactedSchema, ...errorResponses(404) } },
      async handle({ body, caller, signal }) {
        const { text, documentId, policy = "default", format = "json", matter } = body;
        if ((text === undefined) === (documentId === undefined)) throw invalidField(text === undefined ? "body.text" : "body.documentId", text === undefined ? "is required (or documentId)" : "must not be sent together with text");
        let source: string;
        let fileName = "redacted.txt";
        let sourceFormat = "text";
        let principal;
        if (documentId !== undefined) {
          const doc = await readableDocument(rag, caller, documentId, "pii.scrub");
          principal = await caller.authorize("document.read", { matter: doc.matter, document: doc.id });
          // A redacted copy handed out as a file is a copy of the client's document leaving the workspace:
          // `document.export` on its matter (admins, attorneys). The JSON form is a read of a derived view (the
          // UI's preview, audited as the `scrub` it is): whoever may read the document reads its whole original
          // text anyway, so gating a view with less in it would protect nothing; what the permission and the
          // `export` record mark is a deliverable made to leave, the same rule as for review reports below.
          if (format === "text") principal = await caller.authorizeInMatter("document.export", { matter: doc.matter, document: doc.id }, () => new DocumentNotFoundError(doc.id));
          // a document's people are numbered in its own matter's table, never in another matter's
          if (matter !== undefined && matter !== doc.matter) throw invalidField("body.matter", "must be the document's own matter");
          source = await rag.documentText(doc.id);
          sourceFormat = doc.type;
          fileName = `${doc.title.replace(/[^A-Za-z0-9._ -]+/g, "_").slice(0, 80) || "document"}.redacted.txt`;
        } else {
          // the matter's table is behind its ethical wall: a caller outside the matter gets the answer of an unknown one
          principal = matter === undefined ? await caller.authorize("pii.scrub") : await caller.authorizeInMatter("pii.scrub", { matter }, () => invalidField("body.matter", "is not a matter you can use"));
          source = text as string;
        }
        // The workspace's scrubber and its plugins' recognizers, as `bear redact` uses them, on the worker
        // pool; a client that goes away stops it.
        const { result } = await workspace.redact(source, { actor: principal.id, policy, signal, ...(documentId ? { documentId } : {}), ...(matter !== undefined ? { matterId: matter } : {}) });
        if (format === "text") {
          // audited as `bear redact` audits the copy it writes: an export of the source (a stored document's id,
          // or the workspace-keyed content id of a pasted text, as the CLI names a file), kind "redacted-copy"
          const resource = documentId ?? workspace.contentId(source);
          await services.audit.exported(principal.id, resource, { kind: "redacted-copy", format: sourceFormat, policy: result.policy, entities: result.findings.length });
          return content({ "content-type": "text/plain; charset=utf-8", "content-disposition": `attachment; filename="${fileName}"` }, result.text);
        }
        return ok({
          text: result.text,
          policy: result.policy,
          ...(documentId ? { documentId } : {}),
          ...(matter !== undefined ? { matter } : {}),
          entities: result.findings.length,
          replacements: result.replacements.map((r) => ({ type: r.type, start: r.start, end: r.end })),
        });
      },
    }),
    operation<unknown, unknown, ReviewBody>({
      method: "POST",
      url: "/api/v1/review",
      tags: ["review"],
      rateCost: 5,
      summary: "Review a contract (a stored document or a text): key terms, clauses, risks and checklist results, each citing exact offsets into the text; a stored document's report rendered as Markdown or HTML is an export (`document.export` on its matter, audited as `export`)",
      schema: {
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            documentId: { type: "string", pattern: ID_PATTERN },
            text: { type: "string", minLength: 1, maxLength: 500_000 },
            playbook: { type: "string", minLength: 1, maxLength: 100_000, description: "A review playbook as YAML (default: the built-in one)" },
            format: { type: "string", enum: ["json", "markdown", "html"], default: "json" },
          },
        },
        response: {
          200: {
            description: "The report (application/json), or rendered as text/markdown or text/html (document text escaped)",
            type: "object",
            additionalProperties: true,
            properties: { schemaVersion: {}, method: { type: "string" }, summary: { type: "object", additionalProperties: true }, risks: { type: "array", items: { type: "object", additionalProperties: true } } },
          },
          ...errorResponses(404),
        },
      },
      async handle({ body, caller, signal }) {
        const { documentId, text, playbook, format = "json" } = body;
        if ((text === undefined) === (documentId === undefined)) throw invalidField(text === undefined ? "body.documentId" : "body.text", text === undefined ? "is required (or text)" : "must not be sent together with documentId");
        let source: string;
        let name: string | undefined;
        let principal;
        let sourceFormat = "text"; // what `bear review` records for a plain-text contract
        // A rendered report (Markdown, HTML) is a deliverable made to leave the workspace: an export, as the
        // redacted copy downloaded as a file and `bear review`'s rendered report are; JSON is the data view.
        const rendered = format !== "json";
        if (documentId !== undefined) {
          const doc = await readableDocument(rag, caller, documentId);
          principal = rendered ? await caller.authorizeInMatter("document.export", { matter: doc.matter, document: doc.id }, () => new DocumentNotFoundError(doc.id)) : caller.principal;
          source = await rag.documentText(doc.id);
          name = doc.title;
          sourceFormat = doc.type;
        } else {
          principal = await caller.authorize("document.read");
          source = text as string;
        }
        const resource = documentId ?? workspace.contentId(source);
        const report = await workspace.review(source, {
          actor: principal.id,
          resource,
          ...(documentId === undefined ? {} : { documentId }),
          useModel: services.llm !== undefined,
          ...(playbook ? { playbook } : {}),
          ...(name ? { documentName: name, title: name } : {}),
          signal,
          details: { format: sourceFormat },
        });
        if (!rendered) return ok(report);
        await services.audit.exported(principal.id, resource, { kind: "review-report", format: sourceFormat, report: format });
        return content({ "content-type": format === "html" ? "text/html; charset=utf-8" : "text/markdown; charset=utf-8" }, workspace.renderReview(report, format));
      },
    }),
  ];
}
