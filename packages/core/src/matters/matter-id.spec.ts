import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { BearError } from "../errors/bear-error";
import { assertMatterId, InvalidMatterIdError, isMatterId, MATTER_ID_PATTERN, MatterIdCaseConflictError, matterIdCaseConflict, suggestMatterId } from "./matter-id";

const ALPHANUMERIC = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"];
const ID_CHARS = [...ALPHANUMERIC, ".", "_", "-"];
const validId = fc
  .tuple(fc.constantFrom(...ALPHANUMERIC), fc.array(fc.constantFrom(...ID_CHARS), { maxLength: 63 }))
  .map(([first, rest]) => first + rest.join(""));
/** Any string, weighted towards the characters older releases accepted (Unicode letters, space, ':' '/'). */
const anyName = fc.oneof(fc.string({ maxLength: 140 }), fc.string({ unit: "grapheme", maxLength: 80 }), fc.array(fc.constantFrom(...ID_CHARS, " ", ":", "/", "é", "ß", "Ö", "\u0301", "\u00a0", "..", "\n"), { maxLength: 90 }).map((a) => a.join("")));

/** The rule spelt out character by character, independently of the regular expression. */
function followsRule(value: string): boolean {
  if (value.length < 1 || value.length > 64) return false;
  if (!ALPHANUMERIC.includes(value[0]!)) return false;
  return [...value].every((c) => ID_CHARS.includes(c));
}

describe("matter ids", () => {
  it("accepts exactly 1-64 ASCII letters, digits, '.', '_', '-' starting with a letter or digit", () => {
    fc.assert(fc.property(validId, (id) => isMatterId(id) && assertMatterId(id) === id));
    fc.assert(fc.property(anyName, (name) => isMatterId(name) === followsRule(name)));
    expect(isMatterId("a".repeat(64))).toBe(true);
    expect(isMatterId("a".repeat(65))).toBe(false);
    for (const refused of ["", ".", "..", "-acme", "Acme v Roe", "acme/2026", "client:42", "Société-Générale", "acme\n", " acme"]) expect(isMatterId(refused)).toBe(false);
    for (const notAString of [undefined, null, 42, ["acme"], { id: "acme" }]) expect(isMatterId(notAString)).toBe(false);
  });

  it("the pattern string (for JSON schemas) is the same rule", () => {
    const schemaRe = new RegExp(MATTER_ID_PATTERN);
    fc.assert(fc.property(anyName, (name) => schemaRe.test(name) === isMatterId(name)));
  });

  it("refuses with a typed error naming the value, the rule and a valid suggestion", () => {
    let error: unknown;
    try {
      assertMatterId("Acme v Roe", "--matter");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidMatterIdError);
    expect(BearError.isInstance(error)).toBe(true);
    const e = error as InvalidMatterIdError;
    expect(e.code).toBe("MATTER_ID_INVALID");
    expect(e.message).toBe(`--matter "Acme v Roe" is not a matter id (1-64 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit)`);
    expect(e.hint).toBe("Use an id such as 'Acme-v-Roe'.");
    expect(() => assertMatterId(7)).toThrow(InvalidMatterIdError);
    expect(new InvalidMatterIdError("x".repeat(500)).message.length).toBeLessThan(200); // never echoes a whole body
  });

  it("refuses, with existing matters given, an id equal to one of them but for letter case, and only that", () => {
    const flipCase = (s: string): string => [...s].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join("");
    fc.assert(
      fc.property(validId, fc.array(validId, { maxLength: 5 }), (id, others) => {
        const variant = flipCase(id);
        const existing = [...others.filter((o) => o.toLowerCase() !== id.toLowerCase()), variant];
        if (variant === id) return assertMatterId(id, "matter", existing) === id; // no letters: nothing to confuse
        expect(matterIdCaseConflict(id, existing)).toBe(variant);
        expect(() => assertMatterId(id, "--matter", existing)).toThrow(MatterIdCaseConflictError);
        return assertMatterId(variant, "--matter", existing) === variant; // the existing matter itself is fine
      }),
    );
    const error = (() => {
      try {
        assertMatterId("acme", "--matter", ["beta", "Acme"]);
      } catch (e) {
        return e as MatterIdCaseConflictError;
      }
      return undefined;
    })();
    expect(error).toMatchObject({ code: "MATTER_ID_INVALID", existing: "Acme", message: `--matter "acme" differs only in letter case from the existing matter "Acme"; their folders would be one on macOS and Windows` });
    expect(assertMatterId("acme", "--matter", ["acme", "beta"])).toBe("acme");
  });

  it("keeps both of a workspace's existing case twins usable, and refuses a third spelling", () => {
    const existing = ["acme", "Acme", "beta"];
    expect(assertMatterId("acme", "--matter", existing)).toBe("acme");
    expect(assertMatterId("Acme", "--matter", existing)).toBe("Acme");
    expect(() => assertMatterId("ACME", "--matter", existing)).toThrow(MatterIdCaseConflictError);
  });

  it("suggests a valid id for any name, and leaves a valid id as it is", () => {
    fc.assert(fc.property(anyName, (name) => isMatterId(suggestMatterId(name))));
    fc.assert(fc.property(validId, (id) => suggestMatterId(id) === id));
    expect(suggestMatterId("Société-Générale")).toBe("Societe-Generale");
    expect(suggestMatterId("acme/2026")).toBe("acme-2026");
    expect(suggestMatterId("client:42")).toBe("client-42");
    expect(suggestMatterId("東京")).toBe("matter");
  });
});
