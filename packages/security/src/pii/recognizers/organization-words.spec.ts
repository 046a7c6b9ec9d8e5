import { startsWithStrongSuffix } from "./organization-words";

describe("startsWithStrongSuffix", () => {
  it("reads the common legal forms in any case", () => {
    for (const s of ["Inc", "inc.", "INC", ", LLC", "GmbH", "gmbh", "Sp. z o.o"]) expect(startsWithStrongSuffix(s)).toBe(true);
  });

  it("reads forms that are everyday words in another case only as written or in capitals", () => {
    for (const s of ["AB", "Oy", "OY", "Oyj", "ASA", "A/S", "ApS", ", AB"]) expect(startsWithStrongSuffix(s)).toBe(true);
    for (const s of ["Asa", "ab", "oy", "asa", "Ab", "a/s"]) expect(startsWithStrongSuffix(s)).toBe(false);
  });
});
