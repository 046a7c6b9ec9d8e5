import type { PiiSpan, Scrubber } from "@bear/core";
import type { JsonValue } from "@bear/workflow-engine";
import type { z } from "zod";
import { formatPath, walkJson, type ValidationIssue, type ValidationRule, type ValidationSubject } from "./validation-spec";

/** Finds personal data in a text (offsets into that text). @bear/security's scanner is one. */
export type PiiDetector = (text: string, signal: AbortSignal) => Promise<readonly PiiSpan[]> | readonly PiiSpan[];

/** A PiiDetector on core's Scrubber contract: whatever the scrubber would replace is unredacted PII. */
export function scrubberDetector(scrubber: Scrubber, options: { readonly policy?: string } = {}): PiiDetector {
  return async (text, signal) => {
    const scrubbed = await scrubber.scrub(text, { signal, ...(options.policy ? { policy: options.policy } : {}) });
    return scrubbed.replacements.map((r) => {
      const original = scrubbed.toOriginalSpan(r.start, r.end);
      return { type: r.type, start: original.start, end: original.end };
    });
  };
}

/** The output matches the zod schema registered for the capability (or named by `spec.schema`). */
export function schemaRule(schemas: ReadonlyMap<string, z.ZodType>): ValidationRule {
  const pick = (s: ValidationSubject): z.ZodType | undefined => (s.spec.schema ? schemas.get(s.spec.schema) : s.capability ? schemas.get(s.capability) : undefined);
  return {
    name: "schema",
    applies: (s) => s.spec.schema !== undefined || pick(s) !== undefined,
    check(s) {
      const schema = pick(s);
      if (!schema) return [{ rule: "schema", path: "output", message: `no schema named '${s.spec.schema}' is registered with the validator` }];
      const parsed = schema.safeParse(s.output);
      return parsed.success ? [] : parsed.error.issues.map((i) => ({ rule: "schema", path: formatPath(i.path as Array<string | number>), message: i.message }));
    },
  };
}

interface Citation {
  readonly quote: string;
  readonly source?: string;
  readonly start?: number;
  readonly end?: number;
}

function asCitation(value: JsonValue): Citation | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const v = value as Record<string, JsonValue>;
  if (typeof v["quote"] !== "string") return undefined;
  return {
    quote: v["quote"],
    ...(typeof v["source"] === "string" ? { source: v["source"] } : {}),
    ...(typeof v["start"] === "number" ? { start: v["start"] } : {}),
    ...(typeof v["end"] === "number" ? { end: v["end"] } : {}),
  };
}

const normalize = (text: string): string => text.replace(/\s+/g, " ").trim();

/**
 * Every citation points at real source text. A citation is an element of any `citations` list in
 * the output, `{ quote, source?, start?, end? }`, or any other object with a `quote` string and
 * numeric `start` and `end` (a span, as @bear/legal's findings carry). With offsets, the source's
 * text at [start, end) must equal the quote; without, the quote must occur in the source
 * (whitespace normalised). Messages give lengths and ids, never the quoted text.
 */
export function citationRule(): ValidationRule {
  return {
    name: "citations",
    applies: (s) => s.spec.require_citations === true || s.spec.sources !== undefined,
    check(s) {
      const issues: ValidationIssue[] = [];
      const sources: Record<string, string> = typeof s.spec.sources === "string" ? { document: s.spec.sources } : { ...(s.spec.sources ?? {}) };
      const sourceIds = Object.keys(sources);
      const checked = new Set<JsonValue>();
      let found = 0;
      const checkOne = (element: JsonValue, path: string): void => {
        checked.add(element);
        found++;
        const citation = asCitation(element);
        if (!citation) return void issues.push({ rule: "citations", path, message: "a citation needs a 'quote' string" });
        if (normalize(citation.quote).length === 0) return void issues.push({ rule: "citations", path, message: "the quote is empty" });
        const sourceId = citation.source ?? (sourceIds.length === 1 ? sourceIds[0] : undefined);
        if (sourceId === undefined) {
          return void issues.push({ rule: "citations", path, message: sourceIds.length === 0 ? "no source text was given to check citations against (spec.sources)" : `the citation names no source and there are ${sourceIds.length} (${sourceIds.join(", ")})` });
        }
        const text = sources[sourceId];
        if (text === undefined) return void issues.push({ rule: "citations", path, message: `it cites source '${sourceId}', which is not among the sources (${sourceIds.join(", ") || "none"})` });
        if (citation.start !== undefined || citation.end !== undefined) {
          const { start, end } = citation;
          if (start === undefined || end === undefined || !Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start >= end) {
            return void issues.push({ rule: "citations", path, message: `offsets [${start}, ${end}) are not a span of source '${sourceId}' (${text.length} characters)` });
          }
          if (text.slice(start, end) !== citation.quote) {
            return void issues.push({ rule: "citations", path, message: `the ${citation.quote.length}-character quote differs from source '${sourceId}' at [${start}, ${end})` });
          }
          return;
        }
        if (!normalize(text).includes(normalize(citation.quote))) {
          issues.push({ rule: "citations", path, message: `the ${citation.quote.length}-character quote does not occur in source '${sourceId}'` });
        }
      };
      for (const node of walkJson(s.output)) {
        if (node.key === "citations") {
          const listPath = formatPath(node.path);
          if (!Array.isArray(node.value)) issues.push({ rule: "citations", path: listPath, message: "expected a list of citations" });
          else node.value.forEach((element, i) => checkOne(element, `${listPath}[${i}]`));
        } else if (isSpan(node.value) && !checked.has(node.value)) {
          checkOne(node.value, formatPath(node.path));
        }
      }
      if (s.spec.require_citations && found === 0) issues.push({ rule: "citations", path: "output", message: "the result cites nothing, and citations are required" });
      return issues;
    },
  };
}

function isSpan(value: JsonValue): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const v = value as Record<string, JsonValue>;
  return typeof v["quote"] === "string" && typeof v["start"] === "number" && typeof v["end"] === "number";
}

/** With `pii: scrubbed`, no string in the output contains personal data the detector finds. */
export function piiRule(detector: PiiDetector | undefined): ValidationRule {
  return {
    name: "pii",
    applies: (s) => s.spec.pii === "scrubbed",
    async check(s, { signal }) {
      if (!detector) {
        return [{ rule: "pii", path: "output", message: "the policy says scrubbed, but the validator has no PII detector to check with (fails closed)" }];
      }
      const issues: ValidationIssue[] = [];
      for (const node of walkJson(s.output)) {
        if (typeof node.value !== "string" || node.value.length === 0) continue;
        signal.throwIfAborted();
        const spans = await detector(node.value, signal);
        if (spans.length === 0) continue;
        const types = [...new Set(spans.map((x) => x.type))].sort();
        issues.push({ rule: "pii", path: formatPath(node.path), message: `contains ${spans.length} unredacted PII span(s) of type ${types.join(", ")} (at ${spans.slice(0, 3).map((x) => `${x.start}-${x.end}`).join(", ")})` });
      }
      return issues;
    },
  };
}

/** With `min_confidence`, every `confidence` number is at least that, and there is one. */
export function confidenceRule(): ValidationRule {
  return {
    name: "confidence",
    applies: (s) => s.spec.min_confidence !== undefined,
    check(s) {
      const min = s.spec.min_confidence!;
      const issues: ValidationIssue[] = [];
      let seen = 0;
      for (const node of walkJson(s.output)) {
        if (node.key !== "confidence") continue;
        seen++;
        if (typeof node.value !== "number" || !Number.isFinite(node.value)) issues.push({ rule: "confidence", path: formatPath(node.path), message: "confidence is not a number" });
        else if (node.value < min) issues.push({ rule: "confidence", path: formatPath(node.path), message: `confidence ${node.value} is below the threshold ${min}` });
      }
      if (seen === 0) issues.push({ rule: "confidence", path: "output", message: `the result reports no confidence, and at least ${min} is required` });
      return issues;
    },
  };
}
