import { ConditionSyntaxError, ReferenceSyntaxError } from "../errors";
import { RawJson } from "../execution/raw-json";
import { PathParser, resolvePath, type PathSegment } from "./reference";

/**
 * A `when` condition, parsed once. Grammar (no code evaluation):
 *   or    := and ('||' and)*
 *   and   := unary ('&&' unary)*
 *   unary := '!' unary | cmp
 *   cmp   := atom (('==' | '!=' | '<=' | '>=' | '<' | '>') atom)?
 *   atom  := '(' or ')' | number | 'string' | "string" | true | false | null | path
 * A whole condition may be wrapped in `{{ }}`.
 */
export type Condition =
  | { readonly kind: "literal"; readonly value: string | number | boolean | null }
  | { readonly kind: "ref"; readonly segments: readonly PathSegment[] }
  | { readonly kind: "not"; readonly operand: Condition }
  | { readonly kind: "and" | "or"; readonly left: Condition; readonly right: Condition }
  | { readonly kind: "cmp"; readonly op: ComparisonOp; readonly left: Condition; readonly right: Condition };

export type ComparisonOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

class ConditionParser {
  readonly #p: PathParser;
  constructor(readonly text: string) {
    this.#p = new PathParser(text);
  }

  fail(reason: string): never {
    throw new ConditionSyntaxError(this.text, this.#p.pos, reason);
  }

  parse(): Condition {
    const result = this.or();
    this.#p.skipSpaces();
    if (this.#p.pos < this.text.length) this.fail(`unexpected '${this.text.slice(this.#p.pos, this.#p.pos + 10)}'`);
    return result;
  }

  eat(token: string): boolean {
    this.#p.skipSpaces();
    if (this.text.startsWith(token, this.#p.pos)) {
      this.#p.pos += token.length;
      return true;
    }
    return false;
  }

  or(): Condition {
    let left = this.and();
    while (this.eat("||")) left = { kind: "or", left, right: this.and() };
    return left;
  }

  and(): Condition {
    let left = this.unary();
    while (this.eat("&&")) left = { kind: "and", left, right: this.unary() };
    return left;
  }

  unary(): Condition {
    this.#p.skipSpaces();
    if (this.text[this.#p.pos] === "!" && this.text[this.#p.pos + 1] !== "=") {
      this.#p.pos++;
      return { kind: "not", operand: this.unary() };
    }
    return this.cmp();
  }

  cmp(): Condition {
    const left = this.atom();
    for (const op of ["==", "!=", "<=", ">=", "<", ">"] as const) {
      if (this.eat(op)) return { kind: "cmp", op, left, right: this.atom() };
    }
    return left;
  }

  atom(): Condition {
    this.#p.skipSpaces();
    const ch = this.#p.peek();
    if (ch === undefined) this.fail("expected a value, found the end");
    if (ch === "(") {
      this.#p.pos++;
      const inner = this.or();
      if (!this.eat(")")) this.fail("expected ')'");
      return inner;
    }
    try {
      if (ch === "'" || ch === '"') return { kind: "literal", value: this.#p.quoted() };
      const num = /^-?\d+(\.\d+)?/.exec(this.text.slice(this.#p.pos));
      if (num) {
        this.#p.pos += num[0].length;
        return { kind: "literal", value: Number(num[0]) };
      }
      const segments = this.#p.path();
      if (segments.length === 1) {
        if (segments[0] === "true") return { kind: "literal", value: true };
        if (segments[0] === "false") return { kind: "literal", value: false };
        if (segments[0] === "null") return { kind: "literal", value: null };
      }
      return { kind: "ref", segments };
    } catch (error) {
      if (error instanceof ReferenceSyntaxError) this.fail(error.message.replace(/^.*?: /, ""));
      throw error;
    }
  }
}

/** Parses a `when` condition; a boolean is a constant condition. */
export function parseCondition(source: string | boolean): Condition {
  if (typeof source === "boolean") return { kind: "literal", value: source };
  let text = source.trim();
  const wrapped = /^\{\{([\s\S]*)\}\}$/.exec(text);
  if (wrapped && !wrapped[1]!.includes("{{") && !wrapped[1]!.includes("}}")) text = wrapped[1]!;
  if (text.trim() === "") throw new ConditionSyntaxError(source, 0, "the condition is empty");
  return new ConditionParser(text).parse();
}

/** Every reference path a condition reads. */
export function conditionReferences(condition: Condition): Array<readonly PathSegment[]> {
  switch (condition.kind) {
    case "literal":
      return [];
    case "ref":
      return [condition.segments];
    case "not":
      return conditionReferences(condition.operand);
    default:
      return [...conditionReferences(condition.left), ...conditionReferences(condition.right)];
  }
}

function value(condition: Condition, scope: unknown): unknown {
  switch (condition.kind) {
    case "literal":
      return condition.value;
    case "ref": {
      // a whole step output kept as text (RawJson) is compared as its value
      const found = resolvePath(scope, condition.segments);
      return RawJson.isInstance(found) ? found.value : (found ?? null);
    }
    case "not":
      return !truthy(value(condition.operand, scope));
    case "and":
      return truthy(value(condition.left, scope)) && truthy(value(condition.right, scope));
    case "or":
      return truthy(value(condition.left, scope)) || truthy(value(condition.right, scope));
    case "cmp": {
      const l = value(condition.left, scope);
      const r = value(condition.right, scope);
      switch (condition.op) {
        case "==":
          return deepEqual(l, r);
        case "!=":
          return !deepEqual(l, r);
        default:
          return compare(condition.op, l, r);
      }
    }
  }
}

function compare(op: "<" | "<=" | ">" | ">=", l: unknown, r: unknown): boolean {
  const comparable = (typeof l === "number" && typeof r === "number") || (typeof l === "string" && typeof r === "string");
  if (!comparable) return false;
  const a = l as number | string;
  const b = r as number | string;
  return op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b;
}

/** JSON truthiness: empty arrays and objects are false too. */
export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v !== null && typeof v === "object") return Object.keys(v).length > 0;
  return Boolean(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Evaluates a parsed condition against plain data. */
export function evaluateCondition(condition: Condition, scope: unknown): boolean {
  return truthy(value(condition, scope));
}
