import { PiiScanner } from "../pii-scanner";
import { OrganizationRecognizer } from "./organization-recognizer";
import { afterJobTitle } from "./name-recognizer";

const scanner = new PiiScanner();
const found = (text: string): [string, string][] => scanner.scan(text).map((f) => [f.type, text.slice(f.start, f.end)]);
const orgs = (text: string): string[] => found(text).filter(([t]) => t === "ORGANIZATION").map(([, v]) => v);
const people = (text: string): string[] => found(text).filter(([t]) => t === "PERSON").map(([, v]) => v);

describe("OrganizationRecognizer: names with a corporate or institutional suffix", () => {
  it("finds a company, a number that starts its name and a place name used as its head", () => {
    expect(orgs("I work for 48 Factoring Inc")).toEqual(["48 Factoring Inc"]);
    expect(orgs("Its subsidiary Shanghai Solutions holds the equity interest.")).toEqual(["Shanghai Solutions"]);
    expect(orgs("GOLD HILL VENTURE LENDING 03, L.P. lends")).toEqual(["GOLD HILL VENTURE LENDING 03, L.P."]);
  });
  it("reads a trade name after 'dba' / 'doing business as' as the business, and its short name too", () => {
    expect(orgs('between Acme Group, Ltd., an Ohio limited partnership dba Tom Brackley Cycling ("Cycling"), and Beta')).toEqual(
      expect.arrayContaining(["Acme Group, Ltd.", "Tom Brackley Cycling", "Cycling"]),
    );
    expect(orgs("ACME GROUP, LTD., DBA TOM  BRACKLEY CYCLING     BETA, INC.\n")).toContain("TOM  BRACKLEY CYCLING");
  });

  it("keeps a suffix word inside a name, a name opened by a lower-case letter, and splits two names joined after a legal form", () => {
    // "Bank", "Partners" inside a name no longer cut it the way a role word or a job title does
    expect(orgs("Quillon Bank USA, N.A. agrees")).toEqual(["Quillon Bank USA, N.A."]);
    expect(orgs("between Tarrow Partners ZEN Fund, L.P. and us")).toEqual(["Tarrow Partners ZEN Fund, L.P."]);
    expect(orgs("between BRISK LOW CAP PARTNERS GP, LLC and us")).toEqual(["BRISK LOW CAP PARTNERS GP, LLC"]);
    expect(orgs("the shares of zMerit Corporation and of qTrove Technologies, Inc.")).toEqual(["zMerit Corporation", "qTrove Technologies, Inc."]);
    expect(orgs("between Avelor Holdings Pty Ltd and Brenwick B.V. today")).toEqual(["Avelor Holdings Pty Ltd", "Brenwick B.V."]);
    expect(orgs("with a copy to: Kestral Dunmore Plc, London")).toEqual(["Kestral Dunmore Plc"]);
  });

  it("reads Nordic and Central European legal forms, a fund's series numeral, and Alberta before a postcode as no form", () => {
    expect(orgs("between Kolvane Polska Sp. z o.o., a Polish company, and Verlund AB, a Swedish company")).toEqual(["Kolvane Polska Sp. z o.o.", "Verlund AB"]);
    expect(orgs("between Harvik Oy and Solbrand A/S and Tellmar ApS today")).toEqual(["Harvik Oy", "Solbrand A/S", "Tellmar ApS"]);
    expect(orgs("Trevant Holdings S.à r.l., a Luxembourg company")).toEqual(["Trevant Holdings S.à r.l."]);
    expect(orgs("by and between Misty April Fund II LP and us")).toEqual(["Misty April Fund II LP"]);
    expect(orgs("Suite 200, 400 Third Avenue SW, Calgary, AB T2P 1J9")).toEqual([]);
  });

  it("reads the organisation a signature block signs for, on the line or the next, but not a role", () => {
    const text =
      "Page 35\n\n     For and on behalf of      QX TEL\n\n     -----------\n\n     For and on behalf of      Velgomar S.A.\n" +
      "FOR AND ON BEHALF OF DORVAL LINES LIMITED\nSigned for and on behalf of\nHarrow Quay Holdings plc    by its director\nFor and on behalf of the Company\n";
    expect(orgs(text)).toEqual(["QX TEL", "Velgomar S.A.", "DORVAL LINES LIMITED", "Harrow Quay Holdings plc"]);
  });

  it("reads the capitalised words before a role defined in brackets as a party, not a person's name", () => {
    expect(orgs('by and between Tovik, Inc. ("Tovik"), and The Marlow Gazette ("Customer"). This')).toContain("Marlow Gazette");
    expect(orgs('between Kestrel Media Holdings (hereinafter referred to as the "Distributor") and us')).toContain("Kestrel Media Holdings");
    expect(orgs("and The Quiet Harbor, a Nevada Corporation (the COMPANY), with")).toEqual(["Quiet Harbor"]);
    expect(orgs('between Acme Inc. and John Smith ("Consultant").')).toEqual(["Acme Inc."]);
    expect(orgs('the price paid by the Purchaser ("Purchaser") and Seller ("Seller")')).toEqual([]);
    expect(orgs('the Purchase Price ("Price") is due')).toEqual([]);
  });

  it("reads legal forms in capitals and numbers inside a name, and leaves a job title before a name in capitals out", () => {
    expect(orgs("Dated: May 7, 2019 VESTRA TRADING SA By: /s/ A. Person")).toEqual(["VESTRA TRADING SA"]);
    expect(orgs("\n       CIRRUS 1 FINANCIAL CORPORATION\n")).toEqual(["CIRRUS 1 FINANCIAL CORPORATION"]);
    expect(orgs("Section 5 Company shall pay")).toEqual([]);
    expect(orgs("Title: Authorized Signatory QUENTARO LUX S.À R.L /s/ A. Person").join()).not.toMatch(/Signatory/);
  });

  it("starts a model's name after the job title that opens it, but keeps words that also name companies", () => {
    const rest = (t: string): string => t.slice(afterJobTitle(t, 0, t.length));
    expect(rest("Authorized Signatory QUENTARO HOLDINGS")).toBe("QUENTARO HOLDINGS");
    expect(rest("Senior Vice President Dorvan Widgets")).toBe("Dorvan Widgets");
    expect(rest("Lead Edge Capital")).toBe("Lead Edge Capital");
    expect(rest("Tarrow Partners Fund")).toBe("Tarrow Partners Fund");
    expect(rest("Director")).toBe("Director");
  });

  it("reads a trade name after words spaced apart, a municipal party, and a body named for a purpose", () => {
    expect(orgs("PA 17112 trading and doing business  as  Quindle  Bakes  (hereinafter  the  Franchisee)")).toContain("Quindle  Bakes");
    expect(orgs('by and between the TOWN OF MARWICK, VIRGINIA, a Virginia municipal corporation ("Grantor"), and')).toContain("TOWN OF MARWICK, VIRGINIA");
    expect(orgs("between Centre for Lumen Probe Development and Commercialization, a research institution")).toEqual([
      "Centre for Lumen Probe Development and Commercialization",
    ]);
    expect(orgs("the Office for Notices shall keep the Institute for Advanced Study informed")).toEqual([]);
  });

  it("reads a name after an attachment caption without the caption, and after a page footer's date", () => {
    expect(orgs("ATTACHMENT D Marrow Quill Instruments Inc. shall supply the parts")).toEqual(["Marrow Quill Instruments Inc."]);
    expect(orgs("EXHIBIT 4 The Pellow Brothers Corporation")).toEqual(["Pellow Brothers Corporation"]);
    // "3/21/2018" and blank lines above the name: no "18" starts it (the window before a name never opens inside a word)
    expect(orgs("Source: FOO CORP, 10-Q, 3/21/2018\n\n\n\n\n\nPELLMAN GRID PARTNERS, LLC")).toContain("PELLMAN GRID PARTNERS, LLC");
  });

  it("reads no company in a document's title nor in a company's own governing body", () => {
    expect(orgs("Exhibit 10.4 SUPPLY AGREEMENT SERVICES AGREEMENT, dated as of May 1 (the \"Agreement\")")).toEqual([]);
    expect(orgs('under the Web Site Services Agreement (the "Services Agreement")')).toEqual([]);
    expect(orgs('as the Board of Directors of the Fund (the "Board of Directors" or the "Board") decides')).toEqual([]);
    expect(orgs('by the Dorvan Trade Arbitration Commission (the "Commission"). The Commission shall')).toEqual(["Dorvan Trade Arbitration Commission"]);
  });

  it("leaves out job titles, role words and a person's name written before the company", () => {
    expect(orgs("Title: Chairman Borrower Airland International Limited")).toEqual(["Airland International Limited"]);
    expect(orgs("Name: Shi Rongbin Title: Director Bizexpress Limited")).toEqual(["Bizexpress Limited"]);
    expect(found("Jeremy Hartmann of Gradiant Research LLC spoke.")).toEqual([
      ["PERSON", "Jeremy Hartmann"],
      ["ORGANIZATION", "Gradiant Research LLC"],
    ]);
    // a role word inside a name stays when no distinctive name follows it
    expect(orgs("Mellon Investor Services LLC acts as agent.")).toEqual(["Mellon Investor Services LLC"]);
  });
  it("does not read a legal form, a heading number or a building as a company", () => {
    expect(orgs("XYZ Holdings, Inc., a Delaware Corporation, agrees.")).toEqual(["XYZ Holdings, Inc."]);
    expect(orgs("See Exhibit B Company for details.")).toEqual([]);
    expect(orgs("Address: Zhongguancun Software Park, Beijing")).toEqual([]);
    expect(orgs("SCHEDULE A PARTNER PRICING\n\nBusiness Partner Pricing\n\nVoIP Services fee")).not.toContain("Pricing");
  });
  it("extends an institution over its 'of …' tail and names head-first institutions", () => {
    expect(orgs("under Regulations T and U of the Federal Reserve Board of Governors.")).toEqual(["Federal Reserve Board of Governors"]);
    expect(orgs("as published by the People's Bank of China on the date")).toEqual(["People's Bank of China"]);
    expect(orgs("Regulation U of the Board of Governors of the Federal Reserve System applies")).toEqual(["Board of Governors of the Federal Reserve System"]);
    expect(orgs("the U.S. Department of Labor and the Office of Foreign Assets Control")).toEqual(["U.S. Department of Labor", "Office of Foreign Assets Control"]);
    // two bodies, not one
    expect(orgs("pronouncements of the Accounting Principles Board of the American Institute of Certified Public Accountants and")).toEqual([
      "Accounting Principles Board",
      "American Institute of Certified Public Accountants",
    ]);
  });
  it("does not take a company's own bodies, generic boards or a clause in capitals for an institution", () => {
    expect(orgs("approved by the Board of Directors of the Company and the Board of Arbitration")).toEqual([]);
    expect(orgs("to be included in the Board of Directors' slate of nominees")).toEqual([]);
    expect(orgs("INTEREST ADDED BY A COURT OF LAW OR AN ARBITRATION PANEL TO A JUDGMENT")).toEqual([]);
    expect(orgs("the fees of the U.S. Department of State. Unless Distributor agrees")).toEqual(["U.S. Department of State"]);
  });
});

describe("OrganizationRecognizer: firms, employers and affiliations", () => {
  it("finds a firm named after people, whole, after an employer cue", () => {
    expect(orgs("Alvir spent a year at Jones, Mitchell and Williams as an assistant.")).toEqual(["Jones, Mitchell and Williams"]);
    expect(orgs("Counsel: Riemer & Braunstein LLP")).toEqual(["Riemer & Braunstein LLP"]);
  });
  it("does not read pairs of words, a list of two names or a list of people as a firm", () => {
    expect(orgs("Section 5.1 Repayment of Loan and Payment of Purchase Price")).toEqual([]);
    expect(orgs("This Agreement shall be written in both Chinese and English.")).toEqual([]);
    expect(orgs("Their children are Hannah, Anthony, Derek and Andrew.")).toEqual([]);
    // after "founders:" the surnames are people
    const text = "Verdafero is the brainchild of our 3 founders: Eklund, Doyle and Hodge.";
    expect(orgs(text)).not.toContain("Eklund, Doyle and Hodge");
    expect(people(text)).toEqual(expect.arrayContaining(["Doyle", "Hodge"]));
    expect(orgs("including Importio, and Pave")).not.toContain("Importio, and Pave");
  });
  it("types the name after 'works for' and 'a year at' as the employer, not a person or a place", () => {
    expect(orgs("I work for Wolters Kluwer")).toEqual(["Wolters Kluwer"]);
    expect(orgs("Jens spent a year at Teradata as the assistant to Jens Kreutzmann")).toContain("Teradata");
    expect(found("I work for John Smith")).toEqual([["PERSON", "John Smith"]]);
  });
  it("reads a person's affiliation ('of', 'from', a possessive) as an organisation", () => {
    expect(found("Margaret S. Stouffer of Guidestar is the CEO of the year.")).toEqual([
      ["PERSON", "Margaret S. Stouffer"],
      ["ORGANIZATION", "Guidestar"],
    ]);
    expect(orgs("Tom I. Holzman from Predilytics is the keynote speaker")).toEqual(["Predilytics"]);
    expect(found("Panjiva's Riku Andou was there")).toEqual([
      ["ORGANIZATION", "Panjiva"],
      ["PERSON", "Riku Andou"],
    ]);
  });
  it("does not read a department, a standing or a known place after a person as an organisation", () => {
    expect(orgs("Jane Doe of Counsel appeared. Anna Berg from Marketing called.")).toEqual([]);
    expect(orgs("John Smith of Boston signed it.")).toEqual([]);
  });
  it("reads two joined surnames standing alone as a company, but not a person's double surname or a compound word", () => {
    expect(orgs("Zargan Vedzizhev from Garcia-Roberson is the keynote speaker")).toEqual(["Garcia-Roberson"]);
    expect(orgs("Celebrating its 10th year in Laax, Weeks-Rivas is a charity")).toContain("Weeks-Rivas");
    expect(found("Ms. Catherine Zeta-Jones testified.")).toEqual([["PERSON", "Catherine Zeta-Jones"]]);
    expect(orgs("after the Lock-Up period, on a pro-rata basis, with the Non-Disclosure terms")).toEqual([]);
  });
  it("finds a company in lower-case text by its legal form, without the words before it", () => {
    expect(orgs("selma is from stillwater supercomputing inc.")).toEqual(["stillwater supercomputing inc."]);
    expect(orgs("attached hereto and is incorporated by reference")).toEqual([]);
  });
  it("keeps a nationality out of an organisation compromise tags ('the Russian government')", () => {
    expect(found("the Russian government formally began the process")).toEqual([]);
  });
});

describe("OrganizationRecognizer: defined parties in contracts", () => {
  const preamble =
    'This AGREEMENT is made between GOLD HILL VENTURE LENDING 03, L.P. ("Gold Hill"), Hamilton Lane Advisors, a Pennsylvania ' +
    'limited liability company (the "Adviser"), Silicon Valley Bank ("SVB") and VRINGO, INC., a Delaware corporation ' +
    '("Borrower"), effective as of today (the "Effective Date"). Gold Hill and SVB may lend. Vringo shall repay.';
  it("finds a party named before its legal form, its short name and later mentions of both", () => {
    const names = orgs(preamble);
    expect(names).toEqual(expect.arrayContaining(["Hamilton Lane Advisors", "Silicon Valley Bank", "VRINGO, INC.", "Vringo"]));
    expect(names.filter((n) => n === "Gold Hill")).toHaveLength(2);
    expect(names.filter((n) => n === "SVB")).toHaveLength(2);
  });
  it("does not take roles, defined terms, addresses or another party's acronym for a name", () => {
    const names = orgs(preamble);
    for (const generic of ["Adviser", "Borrower", "Effective Date"]) expect(names).not.toContain(generic);
    expect(orgs('the Borrower, a Delaware corporation, and the Company, a bank')).toEqual([]);
    // a short name defined right after a party is that party's, whatever its letters
    expect(orgs('World Energy Solutions, ("AVDU"), 3900A 31st Street North, St. Petersburg, Florida, a Florida corporation')).toEqual([
      "World Energy Solutions",
      "AVDU",
    ]);
    const prc = "Lenovo-AsiaInfo Technologies, Inc. is organized under the laws of the People's Republic of China (\"PRC\").";
    expect(orgs(prc)).not.toContain("PRC");
  });
  it("reports only organisations, deterministically", () => {
    const r = new OrganizationRecognizer();
    const a = r.recognize(preamble);
    expect(a.every((f) => f.type === "ORGANIZATION" && f.score >= 0.5)).toBe(true);
    expect(r.recognize(preamble)).toEqual(a);
  });
});
