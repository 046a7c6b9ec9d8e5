import fc from "fast-check";
import { terminalSafe, terminalSafeJson } from "./terminal-safe";

/** What a terminal may act on: C0, DEL, C1, line/paragraph separators, bidi embeddings, overrides, isolates, marks. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const controls = [...Array(0x20).keys(), ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i), 0x61c, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069].map((c) => String.fromCharCode(c));

describe("terminalSafe", () => {
  it("leaves no C0, C1 or bidi control in any string, and writes each one visibly", () => {
    const hostile = fc.array(fc.oneof(fc.constantFrom(...controls), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" })), { maxLength: 20 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(hostile, (text) => {
        const safe = terminalSafe(text);
        expect(CONTROL.test(safe)).toBe(false);
        // nothing printable is lost or changed: removing the escapes of the controls gives back the rest of the text
        expect(safe.replace(/\\x[0-9a-f]{2}|\\u[0-9a-f]{4}/g, "")).toBe(text.replace(new RegExp(CONTROL.source, "g"), "").replace(/\\x[0-9a-f]{2}|\\u[0-9a-f]{4}/g, ""));
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps tabs and line feeds when asked (text of several lines), and escapes every other control", () => {
    expect(terminalSafe("Answer:\n\tthe tenant \x1b]0;owned\x07pays.\r\u202e", { keepLines: true })).toBe("Answer:\n\tthe tenant \\x1b]0;owned\\x07pays.\\x0d\\u202e");
    const hostile = fc.array(fc.oneof(fc.constantFrom(...controls), fc.string({ unit: "grapheme" })), { maxLength: 20 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(hostile, (text) => {
        const safe = terminalSafe(text, { keepLines: true });
        expect(CONTROL.test(safe.replace(/[\t\n]/g, ""))).toBe(false);
        expect(safe.replace(/[^\t\n]/g, "")).toBe(text.replace(/[^\t\n]/g, ""));
      }),
      { numRuns: 500 },
    );
  });

  it("escapes the sequences of a hostile attachment name visibly, and keeps ordinary names as they are", () => {
    expect(terminalSafe("\x1b[2K\x1b[1A0 failed.pdf")).toBe("\\x1b[2K\\x1b[1A0 failed.pdf");
    expect(terminalSafe("\x1b]0;owned\x07")).toBe("\\x1b]0;owned\\x07");
    expect(terminalSafe("invoice\u202Efdp.exe")).toBe("invoice\\u202efdp.exe");
    expect(terminalSafe("a\u009b31mb\r\nc")).toBe("a\\x9b31mb\\x0d\\x0ac");
    for (const name of ["Vertrag für Müller GmbH.docx", "合同-最终版.pdf", "C:\\Users\\ann\\memo.txt", "naïve café — notes (2).md", "👩‍⚖️ brief.txt"]) expect(terminalSafe(name)).toBe(name);
  });
});

describe("terminalSafeJson", () => {
  // a JSON document's own layout: its line feeds (indent) and spaces; any other control would reach the terminal raw
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  const hostile = fc.array(fc.oneof(fc.constantFrom(...controls), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" })), { maxLength: 8 }).map((parts) => parts.join(""));
  const value = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small" }, hostile, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), tie("array"), tie("object")),
    array: fc.array(tie("value"), { maxLength: 4 }),
    object: fc.dictionary(hostile, tie("value"), { maxKeys: 4 }),
  })).value;

  it("prints no control or bidi character raw, and JSON.parse gives back the value JSON.stringify gives", () => {
    fc.assert(
      fc.property(value, fc.constantFrom(undefined, 2), (v, indent) => {
        const json = terminalSafeJson(v, indent);
        expect(RAW.test(json)).toBe(false);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 1000 },
    );
  });

  it("escapes what JSON.stringify leaves raw: C1 controls, U+2028/9 and bidi controls", () => {
    const name = "memo\u202Efdp.\u009b31mtxt.pdf\u2028\u2066\u007f";
    expect(JSON.stringify({ name })).toMatch(/\u202e/);
    expect(terminalSafeJson({ name })).toBe('{"name":"memo\\u202efdp.\\u009b31mtxt.pdf\\u2028\\u2066\\u007f"}');
    expect(terminalSafeJson(["Vertrag für Müller GmbH.docx", "👩‍⚖️"], 2)).toBe(JSON.stringify(["Vertrag für Müller GmbH.docx", "👩‍⚖️"], null, 2));
  });
});
