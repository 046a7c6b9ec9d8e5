import { describe, expect, it } from "@jest/globals";
import { detectMetadata } from "./document-metadata";

describe("detectMetadata", () => {
  it("finds the title, the dates and the parties of a contract opening", () => {
    const meta = detectMetadata(
      "SUPPLY AGREEMENT\n\nThis Supply Agreement is entered into on March 3, 2025 by and between Acme Corp. (\"Acme\"), and Beta Widgets LLC (\"Supplier\"). It ends 2027-12-31.",
    );
    expect(meta.title).toBe("SUPPLY AGREEMENT");
    expect(meta.dates).toEqual(["2025-03-03", "2027-12-31"]);
    expect(meta.parties).toEqual(["Acme Corp", "Beta Widgets LLC"]);
  });

  it("prefers a title the file format declares and ignores impossible dates", () => {
    const meta = detectMetadata("On 45 March 2020 nothing happened.", "Board minutes");
    expect(meta.title).toBe("Board minutes");
    expect(meta.dates).toEqual([]);
    expect(meta.parties).toEqual([]);
  });
});
