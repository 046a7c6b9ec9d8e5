import { ReferenceSyntaxError } from "../errors";
import { RawJson } from "../execution/raw-json";

/** One step along a reference path: a property name or an array index. */
export type PathSegment = string | number;

/** A parsed `{{ … }}` reference: `inputs.contract`, `steps.extract.output.clauses[0]`. */
export interface Reference {
  readonly segments: readonly PathSegment[];
  /** The text between the braces, trimmed. */
  readonly source: string;
}

export type TemplatePart = { readonly kind: "text"; readonly value: string } | { readonly kind: "ref"; readonly ref: Reference };

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_-]/;
/** Keys that could reach an object's prototype: never resolved. */
const FORBIDDEN_KEYS = new Set(["__proto__", "prototype", "constructor"]);

/** A cursor-based parser for reference paths, shared by templates and conditions. */
export class PathParser {
  pos: number;
  constructor(
    readonly text: string,
    start = 0,
  ) {
    this.pos = start;
  }

  fail(reason: string): never {
    throw new ReferenceSyntaxError(this.text, this.pos, reason);
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] ?? "")) this.pos++;
  }

  ident(): string {
    const start = this.pos;
    if (!IDENT_START.test(this.peek() ?? "")) this.fail(`expected a name, found ${describeChar(this.peek())}`);
    while (this.pos < this.text.length && IDENT_PART.test(this.text[this.pos] ?? "")) this.pos++;
    return this.text.slice(start, this.pos);
  }

  quoted(): string {
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') this.fail(`expected a quoted string, found ${describeChar(quote)}`);
    this.pos++;
    let out = "";
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) this.fail("unterminated string");
      this.pos++;
      if (ch === quote) return out;
      if (ch === "\\") {
        const next = this.peek();
        if (next === undefined) this.fail("unterminated escape");
        out += next;
        this.pos++;
      } else {
        out += ch;
      }
    }
  }

  /** Parses `root(.name | [0] | ['key'])*` starting at the cursor. */
  path(): PathSegment[] {
    const segments: PathSegment[] = [this.ident()];
    for (;;) {
      const ch = this.peek();
      if (ch === ".") {
        this.pos++;
        segments.push(this.ident());
      } else if (ch === "[") {
        this.pos++;
        this.skipSpaces();
        const inner = this.peek();
        if (inner === "'" || inner === '"') {
          segments.push(this.quoted());
        } else {
          const m = /^\d{1,9}/.exec(this.text.slice(this.pos));
          if (!m) this.fail(`expected an index or a quoted key inside [ ], found ${describeChar(inner)}`);
          segments.push(Number(m[0]));
          this.pos += m[0].length;
        }
        this.skipSpaces();
        if (this.peek() !== "]") this.fail(`expected ']', found ${describeChar(this.peek())}`);
        this.pos++;
      } else {
        return segments;
      }
    }
  }
}

function describeChar(ch: string | undefined): string {
  return ch === undefined ? "the end" : `'${ch}'`;
}

/** Parses a whole reference path such as `steps.extract.output.clauses[0]`. */
export function parseReference(text: string): Reference {
  const parser = new PathParser(text);
  parser.skipSpaces();
  const segments = parser.path();
  parser.skipSpaces();
  if (parser.pos !== text.length) parser.fail(`unexpected ${describeChar(parser.peek())} after the reference`);
  return { segments, source: text.trim() };
}

/** The canonical text of a path (inverse of parseReference). */
export function formatReference(segments: readonly PathSegment[]): string {
  let out = "";
  segments.forEach((segment, i) => {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += i === 0 ? segment : `.${segment}`;
    else out += `['${segment.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`;
  });
  return out;
}

/** Splits a string into literal text and `{{ reference }}` parts. Throws on an unclosed or empty `{{`. */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let cursor = 0;
  for (;;) {
    const open = text.indexOf("{{", cursor);
    if (open < 0) break;
    const close = text.indexOf("}}", open + 2);
    if (close < 0) throw new ReferenceSyntaxError(text, open, "'{{' is never closed with '}}'");
    if (open > cursor) parts.push({ kind: "text", value: text.slice(cursor, open) });
    const inner = text.slice(open + 2, close);
    if (inner.trim() === "") throw new ReferenceSyntaxError(text, open, "empty reference '{{ }}'");
    try {
      parts.push({ kind: "ref", ref: parseReference(inner) });
    } catch (error) {
      if (error instanceof ReferenceSyntaxError) {
        throw new ReferenceSyntaxError(text, open + 2 + Number(error.details?.["position"] ?? 0), error.message.replace(/^.*?: /, ""));
      }
      throw error;
    }
    cursor = close + 2;
  }
  if (cursor < text.length) parts.push({ kind: "text", value: text.slice(cursor) });
  return parts;
}

/** True when `text` contains a `{{`. */
export function hasTemplate(text: string): boolean {
  return text.includes("{{");
}

/** Every reference inside a JSON-like value, with the path of the string that holds it. */
export function collectReferences(value: unknown, basePath: string): Array<{ path: string; ref: Reference } | { path: string; error: Error }> {
  const found: Array<{ path: string; ref: Reference } | { path: string; error: Error }> = [];
  const walk = (v: unknown, p: string): void => {
    if (typeof v === "string") {
      if (!hasTemplate(v)) return;
      try {
        for (const part of parseTemplate(v)) if (part.kind === "ref") found.push({ path: p, ref: part.ref });
      } catch (error) {
        found.push({ path: p, error: error as Error });
      }
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${p}[${i}]`));
    } else if (v !== null && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) walk(item, /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${p}.${k}` : `${p}[${JSON.stringify(k)}]`);
    }
  };
  walk(value, basePath);
  return found;
}

/**
 * Follows `segments` through plain data: own properties and array indices only, never a
 * prototype, never a getter call on a class (no code runs; the one exception is the engine's own
 * RawJson, parsed when a path leads into it). A missing value is `undefined`; a path that ends at a
 * RawJson gives the RawJson itself (a whole output passed on as it is).
 */
export function resolvePath(scope: unknown, segments: readonly PathSegment[]): unknown {
  let current: unknown = scope;
  for (const segment of segments) {
    if (current === null || typeof current !== "object") return undefined;
    // a step output kept as text (RawJson): parsed once, here, when a field of it is read
    if (RawJson.isInstance(current)) current = current.value;
    if (current === null || typeof current !== "object") return undefined;
    if (Array.isArray(current)) {
      if (typeof segment === "number") current = current[segment];
      else if (segment === "length") current = current.length;
      else return undefined;
      continue;
    }
    const key = String(segment);
    if (FORBIDDEN_KEYS.has(key) || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    const descriptor = Object.getOwnPropertyDescriptor(current, key);
    if (!descriptor || !("value" in descriptor)) return undefined;
    current = descriptor.value;
  }
  return current;
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  // a step output kept as text is spliced in as it is (JSON.stringify's own text: the same as re-stringifying its value)
  if (RawJson.isInstance(value)) return value.text;
  return JSON.stringify(value);
}

/**
 * Resolves every template inside `value`. A string that is exactly one `{{ ref }}` becomes the
 * referenced value itself (an array stays an array); a string mixing text and references becomes
 * text. Missing values resolve to `null`.
 */
export function resolveTemplates(value: unknown, scope: unknown): unknown {
  if (typeof value === "string") {
    if (!hasTemplate(value)) return value;
    const parts = parseTemplate(value);
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only?.kind === "ref") return resolvePath(scope, only.ref.segments) ?? null;
    return parts.map((part) => (part.kind === "text" ? part.value : stringify(resolvePath(scope, part.ref.segments)))).join("");
  }
  if (Array.isArray(value)) return value.map((item) => resolveTemplates(item, scope));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(value)) {
      // defineProperty, so an own "__proto__" key from JSON.parse stays data and never sets a prototype
      Object.defineProperty(out, k, { value: resolveTemplates(item, scope), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
