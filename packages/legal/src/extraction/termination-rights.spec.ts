import { isTerminationWithoutCause } from "./termination-rights";

describe("isTerminationWithoutCause", () => {
  it.each([
    "Either party may terminate this agreement after 4 years following the start date.",
    "Either Party may terminate this Agreement upon ninety (90) days' prior written notice to the other Party.",
    "The Reseller shall have the right to terminate this Agreement at any time by giving sixty days notice.",
    "Customer may terminate this Agreement for convenience.",
    "The Owner reserves the right to terminate this Agreement for any reason on written notice.",
    "Each party is entitled to terminate this Agreement with or without cause.",
    "Licensee may, at its option, terminate after the first two (2) years of the Term on thirty days notice.",
  ])("a right without cause: %j", (s) => {
    expect(isTerminationWithoutCause(s)).toBe(true);
  });

  it.each([
    "Either party may terminate this Agreement if the other party commits a material breach.",
    "Supplier may terminate this Agreement upon notice in the event the Buyer becomes insolvent.",
    "Either party may terminate this Agreement by notice of non-renewal ninety days before the end of the Initial Term.",
    "This Agreement shall continue for four (4) years following the start date.",
    "Upon termination of this Agreement for any reason, the Buyer shall return all materials.",
    "The Agent may terminate this Agreement upon thirty days notice should the Principal fail to pay.",
    "Either party may give notice that it does not wish to renew the Agreement.",
  ])("not a right without cause: %j", (s) => {
    expect(isTerminationWithoutCause(s)).toBe(false);
  });
});

describe("isTerminationWithoutCause: rights that are not the agreement's, or not one party's", () => {
  it.each([
    "The Vendor reserves the right to terminate the Hosting at any time on notice.",
    "The parties may terminate this Agreement at any time by mutual written consent.",
    "Neither Party shall be entitled to terminate this Agreement on account of a delay.",
    "Either party may terminate this Agreement on written notice as follows:",
    "The Buyer may terminate this Agreement in its sole discretion if the samples are rejected.",
    "Either party may terminate Support Services at the end of a Support Term on thirty days notice.",
  ])("%j", (s) => {
    expect(isTerminationWithoutCause(s)).toBe(false);
  });
});
