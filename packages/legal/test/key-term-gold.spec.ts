// The measure of the key-term CV (train/key-term-gold.ts) on CUAD-shaped answers: which entries count as
// names to find, which extracted names find them, and when an expiry is right.
import { describe, expect, it } from "@jest/globals";
import type { CuadCategory } from "../src/index";
import type { CuadContract } from "../train/cuad-data";
import { emptyTally, goldAliases, goldDate, goldPartyEntries, partyMatches, score } from "../train/key-term-gold";

const contract = (answers: Record<string, string>, highlighted: string[] = []): CuadContract => ({
  file: "x.txt",
  text: "",
  answers: new Map(Object.entries(answers) as [CuadCategory, string][]),
  gold: new Map(highlighted.map((c) => [c as CuadCategory, [[{ start: 0, end: 1 }]]])),
});

describe("goldPartyEntries", () => {
  it("keeps the names and drops entries that only say how the listed parties are referred to", () => {
    const answer = 'SutroVax, Inc. ("SutroVax"); Sutro Biopharma, Inc. ("Sutro"); SutroVax and Sutro (individually, as a “Party” and collectively, as the “Parties")';
    expect(goldPartyEntries(answer)).toEqual(["sutrovax", "sutro biopharma"]);
    expect(goldPartyEntries("Transporter and Shipper shall collectively be referred to herein as the Parties")).toEqual([]);
  });

  it("drops an entry joining names listed on their own, keeps one joining names found nowhere else", () => {
    const listed = 'Armstrong Flooring, Inc. ("Seller"); AFI Licensing LLC ("Licensing"); AFI Licensing LLC together with Armstrong Flooring, Inc. ("Arizona")';
    expect(goldPartyEntries(listed)).toEqual(["armstrong flooring", "afi licensing"]);
    const joined = 'American United Life Insurance Company and OneAmerica Securities, Inc. (collectively referred to as "Servicing Agent")';
    expect(goldPartyEntries(joined)).toEqual(["american united life insurance and oneamerica securities"]);
  });

  it("cuts what follows a name about its successors or affiliates", () => {
    expect(goldPartyEntries("General Electric Capital Corporation together with its successors and assigns, if any (“Lessor”)")).toEqual(["general electric capital"]);
    expect(goldPartyEntries('Sekisui Diagnostics, LLC and its Affiliates ("Sekisui")')).toEqual(["sekisui diagnostics"]);
  });
});

describe("partyMatches", () => {
  it("finds a party under either of its names, and not under a part of one", () => {
    expect(goldAliases("ewsd 1 d b a shi farms")).toEqual(["ewsd 1 d b a shi farms", "ewsd 1", "shi farms"]);
    expect(partyMatches("EWSD 1, LLC", "ewsd 1 d b a shi farms")).toBe(true);
    expect(partyMatches("Gulf", "gulf houghton lubricants")).toBe(false);
    expect(partyMatches("Berkeley Lights, Inc.", "berkely lights")).toBe(true);
  });
});

describe("score: the expiry", () => {
  const perpetual = contract({ "Expiration Date": "perpetual" }, ["Expiration Date"]);
  const dated = contract({ "Expiration Date": "6/30/2020" }, ["Expiration Date"]);
  const run = (c: CuadContract, expiration: string, renewsAutomatically: boolean) => {
    const t = emptyTally();
    score(t, c, { parties: [], dates: { expiration }, renewsAutomatically });
    return t;
  };

  it("counts the end of the initial term of an automatically renewing contract for a 'perpetual' answer (the evergreen rule)", () => {
    expect(run(perpetual, "2030-04-14", true).dates.expiration.ok).toBe(1);
    expect(run(perpetual, "2030-04-14", true).evergreen).toBe(1);
    expect(run(perpetual, "2030-04-14", false).dates.expiration.ok).toBe(0);
    expect(run(perpetual, "perpetual", false).dates.expiration.ok).toBe(1);
  });

  it("never counts 'perpetual' or another day for a gold date", () => {
    expect(run(dated, "perpetual", true).dates.expiration.ok).toBe(0);
    expect(run(dated, "2020-06-29", true).dates.expiration.ok).toBe(0);
    expect(run(dated, "2020-06-30", false).dates.expiration.ok).toBe(1);
  });

  it("reads an answer written day first when its first number cannot be a month, and no template", () => {
    expect(goldDate("6/21/99")).toBe("1999-06-21");
    expect(goldDate("31/01/2025")).toBe("2025-01-31");
    expect(goldDate("2/30/2020")).toBeUndefined();
    expect(goldDate("13/13/2020")).toBeUndefined();
    expect(goldDate("1/2/2025")).toBe("2025-01-02");
    expect(goldDate("[]/[]/2004")).toBeUndefined();
  });
});
