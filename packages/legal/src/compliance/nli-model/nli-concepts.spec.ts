import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { conceptFeatureStrings } from "./nli-concepts";

describe("conceptFeatureStrings", () => {
  it("names the word classes of a unit and each pair of them", () => {
    const features = conceptFeatureStrings("Upon termination, the Recipient shall return all copies.");
    expect(features).toEqual(expect.arrayContaining(["c:return", "c:termination", "c:copy", "c:return&termination", "c:termination&copy"]));
    expect(features).not.toContain("c:retain");
    expect(conceptFeatureStrings("Hello there.")).toEqual(["c:none"]);
  });

  it("gives n classes and n(n-1)/2 pairs, each once, for any text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const features = conceptFeatureStrings(text);
        const single = features.filter((f) => !f.includes("&") && f !== "c:none").length;
        expect(features.length - single).toBe(single === 0 ? 1 : (single * (single - 1)) / 2);
        expect(new Set(features).size).toBe(features.length);
      }),
    );
  });
});
