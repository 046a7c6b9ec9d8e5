import path from "node:path";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { DocumentNotFoundError, type DocumentRecord } from "@bear/workspace";
import { HttpError, invalidField } from "../http/http-errors";
import { authorizeInMatter, visibleMatters, type RouteContext } from "../http/route-context";
import { errorResponses, idParams, MATTER_PATTERN, securityRequirement } from "../http/schemas";

/** The API shape of a document: no server paths, only the file name. */
export function documentDto(d: DocumentRecord) {
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
export async function readableDocument(ctx: RouteContext, request: FastifyRequest, id: string, action: "document.read" | "document.delete" | "pii.scrub" = "document.read"): Promise<DocumentRecord> {
  await ctx.services.rag.refresh(); // a `bear ingest` beside the server may have added or replaced it
  const doc = ctx.services.rag.documents().find((d) => d.id === id);
  if (!doc) throw new DocumentNotFoundError(id);
  await authorizeInMatter(ctx, request, action, { matter: doc.matter, document: id }, () => new DocumentNotFoundError(id));
  return doc;
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

export function registerDocumentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { services } = ctx;

  app.post<{ Querystring: { matter: string } }>(
    "/api/v1/documents",
    {
      config: { rateCost: 5 },
      schema: {
        tags: ["documents"],
        summary: "Upload one document (multipart/form-data, field 'file') into a matter; it is streamed to disk, then ingested",
        security: securityRequirement,
        consumes: ["multipart/form-data"],
        querystring: {
          type: "object",
          required: ["matter"],
          additionalProperties: false,
          properties: { matter: { type: "string", pattern: MATTER_PATTERN } },
        },
        response: {
          201: {
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
          },
          ...errorResponses(406, 413, 415, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const { matter } = request.query;
      const principal = await ctx.authorize(request, "document.ingest", { matter });
      if (!request.isMultipart()) throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "uploads must be multipart/form-data with one part named 'file'");
      const part = await request.file();
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
      const outcome = await services.workspace.upload({ matter, fileName, body: part.file, actor: principal.id, truncated: () => part.file.truncated });
      return reply.status(201).send({ status: outcome.status, chunks: outcome.chunks, document: documentDto(outcome.document), ...(outcome.formatNote ? { formatNote: outcome.formatNote } : {}) });
    },
  );

  app.get<{ Querystring: { matter?: string; limit: number; offset: number } }>(
    "/api/v1/documents",
    {
      schema: {
        tags: ["documents"],
        summary: "List the documents the caller may see, optionally of one matter",
        security: securityRequirement,
        querystring: listQuery,
        response: {
          200: { type: "object", properties: { total: { type: "integer" }, documents: { type: "array", items: { $ref: "Document#" } } } },
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      const { matter, limit, offset } = request.query;
      const principal = await ctx.authorize(request, "document.read", matter === undefined ? {} : { matter });
      const visible = visibleMatters(principal);
      await services.rag.refresh();
      const docs = services.rag
        .documents(matter === undefined ? {} : { matter })
        .filter((d) => !visible || visible.includes(d.matter))
        .sort((a, b) => (a.ingestedAt < b.ingestedAt ? 1 : a.ingestedAt > b.ingestedAt ? -1 : 0));
      return { total: docs.length, documents: docs.slice(offset, offset + limit).map(documentDto) };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/documents/:id",
    {
      schema: {
        tags: ["documents"],
        summary: "One document's metadata",
        security: securityRequirement,
        params: idParams,
        response: { 200: { $ref: "Document#" }, ...errorResponses(404) },
      },
    },
    async (request) => documentDto(await readableDocument(ctx, request, request.params.id)),
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/documents/:id/text",
    {
      schema: {
        tags: ["documents"],
        summary: "The document's extracted text, which search hits and citations point into (start/end offsets)",
        security: securityRequirement,
        params: idParams,
        response: { 200: { type: "object", properties: { id: { type: "string" }, text: { type: "string" } } }, ...errorResponses(404) },
      },
    },
    async (request) => {
      const doc = await readableDocument(ctx, request, request.params.id);
      return { id: doc.id, text: await services.rag.documentText(doc.id) };
    },
  );

  app.get<{ Params: { id: string; page: number } }>(
    "/api/v1/documents/:id/pages/:page/image",
    {
      config: { rateCost: 2 },
      schema: {
        tags: ["documents"],
        summary: "One page of a PDF or image document drawn as a PNG, to check its OCR text against the page",
        security: securityRequirement,
        params: {
          type: "object",
          required: ["id", "page"],
          additionalProperties: false,
          properties: { ...idParams.properties, page: { type: "integer", minimum: 1, maximum: 100000 } },
        },
        response: { 200: { type: "string", format: "binary", description: "image/png" }, ...errorResponses(404, 409, 422) },
      },
    },
    async (request, reply) => {
      const doc = await readableDocument(ctx, request, request.params.id);
      const image = await services.workspace.pageImage(doc, request.params.page);
      // The page is the client's document: never cached by shared caches, never sniffed as anything else.
      return reply
        .header("content-type", "image/png")
        .header("cache-control", "private, no-store")
        .header("x-content-type-options", "nosniff")
        .header("x-page-count", String(image.pageCount))
        .send(Buffer.from(image.png.buffer, image.png.byteOffset, image.png.byteLength));
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/api/v1/documents/:id",
    {
      schema: {
        tags: ["documents"],
        summary: "Remove a document, its chunks and its uploaded file",
        security: securityRequirement,
        params: idParams,
        response: { 204: { type: "null", description: "deleted" }, ...errorResponses(404, 503) },
      },
    },
    async (request, reply) => {
      const doc = await readableDocument(ctx, request, request.params.id, "document.delete");
      await services.workspace.deleteDocument(doc);
      return reply.status(204).send();
    },
  );
}
