import path from "node:path";
import { BearError } from "@bear/core";
import { DocumentNotFoundError, type DocumentRecord, type RagEngine } from "@bear/rag";
import type { Action } from "@bear/security";
import type { ApiContext } from "./api-services";
import { content, created, noContent, ok, operation, type ApiCaller, type ApiOperation } from "./api-operation";
import { errorResponses, idParams, MATTER_PATTERN } from "./api-schemas";
import { HttpError, invalidField } from "./http-error";
import { PageImageGate } from "./page-image-gate";

/** The API shape of a document: no server paths, only the file name. */
export function documentView(d: DocumentRecord) {
  return {
    id: d.id,
    matter: d.matter,
    title: d.title,
    fileName: path.basename(d.source),
    type: d.type,
    pageCount: d.pageCount,
    bytes: d.bytes,
    chars: d.chars,
    chunkCount: d.chunkCount,
    contentHash: d.contentHash,
    dates: [...d.dates],
    parties: [...d.parties],
    ingestedAt: d.ingestedAt,
    scrubbed: d.scrubbed,
    ...(d.ocr ? { ocr: { engine: d.ocr.engine, pages: d.ocr.pages.map((p) => ({ page: p.page, confidence: p.confidence })) } } : {}),
  };
}

/** What file systems store in one name (ext4, APFS, NTFS: 255 bytes or UTF-16 units). */
const MAX_NAME_BYTES = 255;

/**
 * A client's file name, used as-is or refused (never silently rewritten): no path separators,
 * no '..', no leading dot, no control characters, no line breaks (raw, or as the %0D / %0A that
 * browsers and fetch put in a multipart file name for them), at most 200 characters and 255 bytes.
 */
export function safeFileName(name: string | undefined): string {
  const field = "file.filename";
  if (!name) throw invalidField(field, "is missing", "Send the file as multipart/form-data with a file name.");
  if (name.length > 200) throw invalidField(field, "is longer than 200 characters");
  const bytes = Buffer.byteLength(name, "utf8");
  if (bytes > MAX_NAME_BYTES) throw invalidField(field, `is ${bytes} bytes in UTF-8, over the limit of ${MAX_NAME_BYTES} bytes`, "Shorten the name: letters outside ASCII take 2 to 4 bytes each.");
  if (/[\r\n]|%0[ad]/i.test(name)) throw invalidField(field, "must not contain a line break (CR or LF)", "Rename the file without line breaks.");
  // eslint-disable-next-line no-control-regex
  if (/[/\\\u0000-\u001f\u007f]/.test(name)) throw invalidField(field, "must be a plain file name (no '/', '\\' or control characters)", "Path traversal is refused.");
  if (name.startsWith(".")) throw invalidField(field, "must not start with '.'", "Path traversal and hidden files are refused.");
  return name;
}

/** A document the caller may read; 404 alike for an unknown id and another matter's document (audited), 403 for a missing role. */
export async function readableDocument(rag: RagEngine, caller: ApiCaller, id: string, action: Extract<Action, "document.read" | "document.delete" | "pii.scrub"> = "document.read"): Promise<DocumentRecord> {
  await rag.refresh(); // a `bear ingest` beside the server may have added or replaced it
  const doc = rag.documents().find((d) => d.id === id);
  if (!doc) throw new DocumentNotFoundError(id);
  await caller.authorizeInMatter(action, { matter: doc.matter, document: id }, () => new DocumentNotFoundError(id));
  return doc;
}

/** `replace=true` needs `document.delete` on the matter: 403 saying so (the refusal is audited by the decision point). */
async function authorizeReplace(caller: ApiCaller, matter: string): Promise<void> {
  try {
    await caller.authorize("document.delete", { matter });
  } catch (error) {
    if (!BearError.isInstance(error) || error.code !== "ACCESS_DENIED") throw error;
    throw new HttpError(403, "ACCESS_DENIED", `replacing a document deletes its earlier version: it needs document.delete on matter '${matter}', which '${caller.principal.id}' does not hold`, {
      hint: "Upload the file under another name, or ask someone who may delete documents in the matter to replace it.",
    });
  }
}

const listQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    matter: { type: "string", pattern: MATTER_PATTERN },
    limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
    offset: { type: "integer", minimum: 0, default: 0 },
  },
} as const;

const uploadedSchema = {
  type: "object",
  properties: {
    status: { type: "string", enum: ["added", "updated", "unchanged"] },
    chunks: { type: "integer" },
    document: { $ref: "Document#" },
    formatNote: {
      type: "object",
      description: "present when the content is not what the file name's extension says: it was read by its content (sniffed)",
      properties: { extension: { type: "string" }, format: { type: "string" }, message: { type: "string" } },
    },
  },
} as const;

/** Documents: upload (streamed, then ingested), list, metadata, text, page images, delete. */
export function documentOperations({ services }: ApiContext, pageImages = new PageImageGate()): ApiOperation[] {
  const { rag, workspace } = services;
  const tags = ["documents"];
  return [
    operation<unknown, { matter: string; replace: boolean }>({
      method: "POST",
      url: "/api/v1/documents",
      tags,
      rateCost: 5,
      summary: "Upload one document (multipart/form-data, field 'file') into a matter; it is streamed to disk, then ingested",
      schema: {
        consumes: ["multipart/form-data"],
        querystring: {
          type: "object",
          required: ["matter"],
          additionalProperties: false,
          properties: {
            matter: { type: "string", pattern: MATTER_PATTERN },
            replace: { type: "boolean", default: false, description: "replace a document of the same name with other content (needs document.delete on the matter); without it: 409 DOCUMENT_EXISTS" },
          },
        },
        response: { 201: uploadedSchema, ...errorResponses(403, 406, 409, 413, 415, 422, 503) },
      },
      async handle({ query, caller, multipart }) {
        const { matter, replace } = query;
        const principal = await caller.authorize("document.ingest", { matter });
        // a replace deletes the earlier version: the role that may delete the document, checked before the body is read
        if (replace) await authorizeReplace(caller, matter);
        if (!multipart?.isMultipart) throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "uploads must be multipart/form-data with one part named 'file'");
        const part = await multipart.file();
        if (!part) throw invalidField("body.file", "is required (one multipart part named 'file')");
        if (part.fieldname !== "file") {
          part.file.resume();
          throw invalidField(`body.${part.fieldname.slice(0, 40)}`, "is not an accepted field (send the document as 'file')");
        }
        let fileName: string;
        try {
          fileName = safeFileName(part.filename);
        } catch (error) {
          part.file.resume();
          throw error;
        }
        const outcome = await workspace.upload({ matter, fileName, body: part.file, actor: principal.id, truncated: () => part.file.truncated === true, replace });
        return created({ status: outcome.status, chunks: outcome.chunks, document: documentView(outcome.document), ...(outcome.formatNote ? { formatNote: outcome.formatNote } : {}) });
      },
    }),
    operation<unknown, { matter?: string; limit: number; offset: number }>({
      method: "GET",
      url: "/api/v1/documents",
      tags,
      summary: "List the documents the caller may see, optionally of one matter",
      schema: {
        querystring: listQuery,
        response: { 200: { type: "object", properties: { total: { type: "integer" }, documents: { type: "array", items: { $ref: "Document#" } } } }, ...errorResponses() },
      },
      async handle({ query, caller }) {
        const { matter, limit, offset } = query;
        await caller.authorize("document.read", matter === undefined ? {} : { matter });
        const visible = caller.visibleMatters();
        await rag.refresh();
        const docs = rag
          .documents(matter === undefined ? {} : { matter })
          .filter((d) => !visible || visible.includes(d.matter))
          .sort((a, b) => (a.ingestedAt < b.ingestedAt ? 1 : a.ingestedAt > b.ingestedAt ? -1 : 0));
        return ok({ total: docs.length, documents: docs.slice(offset, offset + limit).map(documentView) });
      },
    }),
    operation<{ id: string }>({
      method: "GET",
      url: "/api/v1/documents/:id",
      tags,
      summary: "One document's metadata",
      schema: { params: idParams, response: { 200: { $ref: "Document#" }, ...errorResponses(404) } },
      handle: async ({ params, caller }) => ok(documentView(await readableDocument(rag, caller, params.id))),
    }),
    operation<{ id: string }>({
      method: "GET",
      url: "/api/v1/documents/:id/text",
      tags,
      summary: "The document's extracted text, which search hits and citations point into (start/end offsets)",
      schema: { params: idParams, response: { 200: { type: "object", properties: { id: { type: "string" }, text: { type: "string" } } }, ...errorResponses(404) } },
      async handle({ params, caller }) {
        const doc = await readableDocument(rag, caller, params.id);
        return ok({ id: doc.id, text: await rag.documentText(doc.id) });
      },
    }),
    operation<{ id: string; page: number }>({
      method: "GET",
      url: "/api/v1/documents/:id/pages/:page/image",
      tags,
      rateCost: 2,
      summary: "One page of a PDF or image document drawn as a PNG, to check its OCR text against the page (one at a time, 30 a minute per caller: 429 PAGE_IMAGE_BUSY with Retry-After past them)",
      schema: {
        params: { type: "object", required: ["id", "page"], additionalProperties: false, properties: { ...idParams.properties, page: { type: "integer", minimum: 1, maximum: 100000 } } },
        response: { 200: { type: "string", format: "binary", description: "image/png" }, ...errorResponses(404, 409, 422) },
      },
      async handle({ params, caller }) {
        const doc = await readableDocument(rag, caller, params.id);
        // each drawing holds a PDF reader for up to its CPU budget: a few at a time per caller and document, 429 past them
        const leave = pageImages.enter(caller.principal.id, doc.id);
        let image: Awaited<ReturnType<typeof workspace.pageImage>>;
        try {
          image = await workspace.pageImage(doc, params.page);
        } finally {
          leave();
        }
        // The page is the client's document: never cached by shared caches, never sniffed as anything else.
        const headers = { "content-type": "image/png", "cache-control": "private, no-store", "x-content-type-options": "nosniff", "x-page-count": String(image.pageCount) };
        return content(headers, Buffer.from(image.png.buffer, image.png.byteOffset, image.png.byteLength));
      },
    }),
    operation<{ id: string }>({
      method: "DELETE",
      url: "/api/v1/documents/:id",
      tags,
      summary: "Remove a document, its chunks and its uploaded file",
      schema: { params: idParams, response: { 204: { type: "null", description: "deleted" }, ...errorResponses(404, 503) } },
      async handle({ params, caller }) {
        const doc = await readableDocument(rag, caller, params.id, "document.delete");
        await workspace.deleteDocument(doc, caller.principal.id);
        return noContent();
      },
    }),
  ];
}
