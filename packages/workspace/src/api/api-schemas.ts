import { MATTER_ID_PATTERN } from "@bear/core";

/** JSON schemas shared by the API operations (a server registers `sharedSchemas`; operations reference them as `Name#`). */

export const ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$";
/** Matter ids: the one rule (@bear/core: no path characters, so a matter can name a folder safely), as a JSON-schema pattern. */
export const MATTER_PATTERN = MATTER_ID_PATTERN;

export const bearErrorSchema = {
  $id: "BearError",
  type: "object",
  description: "Every error response: a stable code, a message naming the thing and the value, and a hint.",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        name: { type: "string" },
        code: { type: "string" },
        message: { type: "string" },
        hint: { type: "string" },
        details: { type: "object", additionalProperties: true },
      },
    },
  },
} as const;

const errorRef = { $ref: "BearError#" } as const;

/** The error responses every authenticated route can give. */
export function errorResponses(...extra: number[]): Record<number, typeof errorRef> {
  const out: Record<number, typeof errorRef> = { 400: errorRef, 401: errorRef, 403: errorRef, 429: errorRef, 500: errorRef };
  for (const status of extra) out[status] = errorRef;
  return out;
}

export const securityRequirement: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { apiKeyHeader: [] }];

export const idParams = {
  type: "object",
  required: ["id"],
  additionalProperties: false,
  properties: { id: { type: "string", pattern: ID_PATTERN } },
} as const;

export const documentSchema = {
  $id: "Document",
  type: "object",
  required: ["id", "matter", "title", "fileName", "type"],
  properties: {
    id: { type: "string" },
    matter: { type: "string" },
    title: { type: "string" },
    fileName: { type: "string" },
    type: { type: "string" },
    pageCount: { type: "integer" },
    bytes: { type: "integer" },
    chars: { type: "integer" },
    chunkCount: { type: "integer" },
    contentHash: { type: "string" },
    dates: { type: "array", items: { type: "string" } },
    parties: { type: "array", items: { type: "string" } },
    ingestedAt: { type: "string" },
    scrubbed: { type: "boolean" },
    ocr: {
      type: "object",
      description: "Pages read by OCR, with Tesseract's mean confidence (0-100); absent when no page was OCRed",
      properties: {
        engine: { type: "string" },
        pages: { type: "array", items: { type: "object", properties: { page: { type: "integer" }, confidence: { type: "number" } } } },
      },
    },
  },
} as const;

/** Set on a hit or citation whose page was read by OCR ("OCR, 93%"). */
const ocrProvenanceSchema = { type: "object", properties: { confidence: { type: "number" } } } as const;

export const searchHitSchema = {
  $id: "SearchHit",
  type: "object",
  properties: {
    chunkId: { type: "string" },
    documentId: { type: "string" },
    title: { type: "string" },
    fileName: { type: "string" },
    matter: { type: "string" },
    documentType: { type: "string" },
    page: { type: "integer" },
    start: { type: "integer" },
    end: { type: "integer" },
    sectionPath: { type: "array", items: { type: "string" } },
    text: { type: "string" },
    score: { type: "number" },
    snippet: { type: "string" },
    highlights: { type: "array", items: { type: "object", properties: { start: { type: "integer" }, end: { type: "integer" } } } },
    ocr: ocrProvenanceSchema,
  },
} as const;

export const citationSchema = {
  $id: "Citation",
  type: "object",
  properties: {
    marker: { type: "integer" },
    chunkId: { type: "string" },
    documentId: { type: "string" },
    title: { type: "string" },
    fileName: { type: "string" },
    matter: { type: "string" },
    page: { type: "integer" },
    start: { type: "integer" },
    end: { type: "integer" },
    quote: { type: "string" },
    ocr: ocrProvenanceSchema,
  },
} as const;

export const sharedSchemas = [bearErrorSchema, documentSchema, searchHitSchema, citationSchema];
