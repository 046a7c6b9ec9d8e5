import fc from "fast-check";
import { PiiScanner } from "./pii-scanner";
import { withoutClosingRun, withoutOuterPunctuation } from "./legal-text";

const scanner = new PiiScanner();
const found = (text: string, s: PiiScanner = scanner): [string, string][] => s.scan(text).map((f) => [f.type, text.slice(f.start, f.end)]);
const values = (text: string): string[] => found(text).map(([, v]) => v);

/** Legal captions and the words they are made of (none is personal data). */
const CAPTION_WORDS = ["Severability", "Injunctive", "Relief", "Attorneys'", "Fees", "Governing", "Law", "Notices", "Indemnification", "Confidentiality", "Entire", "Agreement", "Waiver", "Assignment", "Counterparts", "Term", "Termination", "Force", "Majeure", "Arbitration", "Insurance", "Warranties", "Language", "Exclusivity", "Audit", "Rights"];

describe("legal text: what a contract's structure says is not personal data", () => {
  it("leaves numbered captions and headings alone (the issue's examples)", () => {
    const text =
      "12. Severability. If any provision is invalid, the rest stays.\n13. Attorneys' Fees. The prevailing party recovers its Attorneys' Fees.\n" +
      "14. Injunctive Relief. Each party may seek Injunctive Relief.\n15. Language. This Agreement is in the English language.\nARTICLE IV INDEMNIFICATION\n";
    expect(found(text)).toEqual([]);
  });

  it("never reports a name inside a generated numbered caption of legal words", () => {
    fc.assert(
      fc.property(fc.nat(40), fc.array(fc.constantFrom(...CAPTION_WORDS), { minLength: 1, maxLength: 4 }), fc.boolean(), (n, words, caps) => {
        const caption = caps ? words.join(" ").toUpperCase() : words.join(" ");
        const text = `${n + 1}. ${caption}. The parties agree as set out below.\n`;
        expect(found(text)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it("leaves generic quoted defined terms and their mentions alone, but keeps a party's short name", () => {
    const text =
      'This Agreement is made on March 1 (the "Effective Date") between Good Sam Enterprises, LLC ("Good Sam") and the ' +
      'Supplier ("Supplier"). After the Effective Date, Good Sam may order Products (the "Products").';
    const v = values(text);
    expect(v).toEqual(expect.arrayContaining(["Good Sam Enterprises, LLC", "Good Sam"]));
    expect(v.filter((x) => x === "Good Sam")).toHaveLength(2);
    for (const term of ["Effective Date", "Supplier", "Products"]) expect(v).not.toContain(term);
  });

  it("reads numbering written without a space or with a letter as a caption's, and a quoted term after 'referred to as the'", () => {
    expect(found("5.Mobile Clinic Command Center\na) Medications\n")).toEqual([]);
    expect(found("14.B.  SUFFICIENT WORKING CAPITAL.\n\nFranchisee shall maintain capital.\n")).toEqual([]);
    expect(found('a meeting space (currently referred to as the "Executive Briefing Center") located next door')).toEqual([]);
    expect(found('expenses (such expenses, collectively, "Out-of-Pocket Costs"), are reimbursed')).toEqual([]);
  });

  it("reads a numbered caption in capitals that lists its topics, or that closes with a period, as a caption", () => {
    expect(found("\n8. INDEMNIFICATION, LIMITATION OF LIABILITY AND INSURANCE\n\n8.1 Indemnification by the Supplier.\n")).toEqual([]);
    expect(found("\n3.    DEVELOPMENT, OPERATION AND ADMINISTRATION OF INSURANCE CENTER; EXCLUSIVITY\n\n3.1 Pursuant to\n")).toEqual([]);
    expect(found("\n7.   WARRANTIES. LIMITED LIABILITY\n\n  7.1   Each party acknowledges\n")).toEqual([]);
    // a signature line in capitals with a legal form stays a name
    expect(values("\n1. QUORVEL HOLDINGS, INC.\n")).toEqual(["QUORVEL HOLDINGS, INC."]);
  });

  it("reads no party's short name in a term of dictionary words joined by a slash", () => {
    const text = 'between Zorvel Foods, Ltd. and Harrow Corp. within sixty (60) days from the Effective Date (the "Assignment/License").';
    expect(values(text)).not.toContain("Assignment/License");
  });

  it("types a word before a collective role as the organisation it names, and reads no party in a document's short name", () => {
    const text =
      'by and among Quarvo AB, a Swedish corporation ("Quarvo AB") and Quarvo US, Inc., a Delaware corporation ("Quarvo US" and together ' +
      'with Quarvo AB, the "Quarvo Parties"), under the Joint Venture Agreement dated March 7, 2016 (the "JV Agreement"). The Quarvo Parties agree.';
    const f = found(text);
    expect(f.filter(([, v]) => v === "Quarvo").map(([t]) => t)).toEqual(["ORGANIZATION", "ORGANIZATION"]);
    expect(f.map(([, v]) => v)).not.toContain("JV Agreement");
  });

  it("keeps a party's short name defined after its address, on the same line or on a line of its own", () => {
    const own = 'BETWEEN:\n\nMARLOW TIDE NATURALS, INC., a company having its office at 7860 Venture Street, Burnaby, BC V5A 1V3\n\n("Marlow" or the "Company")\n\nAND:\n';
    expect(values(own)).toContain("Marlow");
    const same =
      'VELVET RIDGE ENERGY TECHNOLOGIES INC, being a company organized under the laws of the United States of America, having its ' +
      'registered office at 751 North Drive, Suite 9, Melbourne, FL 32934, United States ("Velvet Ridge"),\n\neach a "Party".';
    expect(values(same)).toContain("Velvet Ridge");
  });

  it("reads a party's second short name even when a place starts it, but not a project named after a place", () => {
    const text = 'in Beijing:     Phoenix Lantern Television Company Limited ("Party A" or "Phoenix Lantern TV"), a foreign enterprise. Phoenix Lantern TV shall pay.';
    expect(found(text).filter(([t]) => t === "ORGANIZATION").map(([, v]) => v)).toEqual(["Phoenix Lantern Television Company Limited", "Phoenix Lantern TV", "Phoenix Lantern TV"]);
    const project = 'Investment by Kelvane Inc. in the Lima, Ohio project (the "Lima Project"): the Lima Project shall';
    expect(found(project).filter(([t]) => t === "ORGANIZATION").map(([, v]) => v)).toEqual(["Kelvane Inc."]);
  });

  it("finds a name spaced out in a justified preamble at its plainly spaced mentions", () => {
    const text = "between  Quillon  Maze  Systems,  Inc.  and the Buyer.\n\nQuillon Maze Systems, Inc. shall deliver.";
    expect(values(text)).toEqual(["Quillon  Maze  Systems,  Inc.", "Quillon Maze Systems, Inc."]);
  });

  it("splits two companies joined by 'and' after any legal form", () => {
    expect(values("between Halmbrook Tools GmbH and Dorrit Electronics Inc. agree")).toEqual(["Halmbrook Tools GmbH", "Dorrit Electronics Inc."]);
    expect(values("Velmora Foods S.A. and Quist Labs Ltd. agree")).toEqual(["Velmora Foods S.A.", "Quist Labs Ltd."]);
  });

  it("reads a US town line with its state and ZIP as an address, without its street", () => {
    expect(found("Attention: the President   4 Windsor Ridge   Quarry Falls, Texas 75034")).toContainEqual(["ADDRESS", "4 Windsor Ridge   Quarry Falls, Texas 75034"]);
    // the floor before it is part of the address line (address-lines.ts, session 14)
    expect(found("office at the 3rd Floor, Las Vegas, NV 89114")).toContainEqual(["ADDRESS", "3rd Floor, Las Vegas, NV 89114"]);
    expect(found("under Section 5, Article 12345 of the Code")).toEqual([]);
  });

  it("ends an address before '(hereinafter \"…\")'", () => {
    const text = 'by and between QUELL INTERNATIONAL, LLC, located at 3753 Howard Hughes Pkwy #200 Las Vegas NV 89169 (hereinafter "CLIENT"), and';
    expect(found(text)).toContainEqual(["ADDRESS", "3753 Howard Hughes Pkwy #200 Las Vegas NV 89169"]);
  });

  it("drops a caption on a numbered line even when the same words were found as a name elsewhere", () => {
    const text = "Zorvex Manufacturing Outsourcing Services shall ship.\n\n1.   MANUFACTURING OUTSOURCING SERVICES\n\n1.1. SCOPE OF WORK. During the term\n";
    expect(values(text)).not.toContain("MANUFACTURING OUTSOURCING SERVICES");
  });

  it("does not let a name swallow the form label after it, nor read labels as names", () => {
    const text = "By: /s/ Paul E. Schedler\nName: Paul E. Schedler Title: Vice President\nE-mail: paul@example.com\nWebsite: www.example.com\n";
    const f = found(text);
    expect(f).toEqual(expect.arrayContaining([["PERSON", "Paul E. Schedler"]]));
    expect(f.map(([, v]) => v).some((v) => /Title|E-mail|Website/.test(v))).toBe(false);
  });

  it("keeps jurisdictions of governing-law and venue clauses unless asked to redact places", () => {
    const text =
      "This Agreement shall be governed by the laws of the State of California and the United States of America. " +
      "Venue lies in the courts located in Santa Clara County. Acme Widgets, Inc., a Delaware corporation, signs.";
    const v = values(text);
    for (const place of ["California", "United States", "America", "Santa Clara County", "Delaware"]) expect(v.some((x) => x.includes(place))).toBe(false);
    expect(v).toContain("Acme Widgets, Inc.");
    const places = found(text, new PiiScanner({ keepJurisdictions: false })).map(([, x]) => x);
    expect(places.some((x) => x.includes("California"))).toBe(true);
  });

  it("keeps the place a company was incorporated or registered in, not a building or a mark's countries", () => {
    const text =
      "Quellmark Trading Limited, a private limited company (registered number 11311066) registered in England and Wales of " +
      "Tessaly House, 10 Brannock Place, London. Norvane Ltd., a company incorporated in the Kingdom of Norway, and a " +
      "kabushiki kaisha incorporated in Japan.";
    const v = values(text);
    for (const place of ["England", "Wales", "Norway", "Japan"]) expect(v.some((x) => x.includes(place))).toBe(false);
    expect(v.some((x) => x.includes("London"))).toBe(true);
    expect(found("any of the Marks registered in Poland, Canada").map(([, x]) => x)).toEqual(expect.arrayContaining(["Poland", "Canada"]));
    const places = found(text, new PiiScanner({ keepJurisdictions: false })).map(([, x]) => x);
    expect(places.some((x) => x.includes("Norway"))).toBe(true);
  });

  it("does not report statutes and courts as organisations", () => {
    const v = values("subject to the Securities Act and the Bankruptcy Code, before the Court of Chancery.");
    expect(v).toEqual([]);
  });

  it("reads a place or a name at the start of a code's or an act's title as part of the citation, not as a place or a person", () => {
    const text =
      "The Ruritania Civil Code governs. Under the Texas Business Organizations Code, the California Civil Code and the " +
      "Colombian Commercial Code. Mary Johnson of Springfield, Illinois signs for Acme Codes LLC.";
    for (const t of ["Ruritania", "Texas", "California", "Colombian"]) expect(values(text).some((v) => v.includes(t))).toBe(false);
    expect(values(text)).toEqual(expect.arrayContaining(["Mary Johnson", "Acme Codes LLC"]));
    // and with places redacted: a citation is still no place
    expect(found(text, new PiiScanner({ keepJurisdictions: false })).some(([, v]) => /Ruritania|Texas|Colombian/.test(v))).toBe(false);
  });

  it("still finds people, addresses and a party in a heading-like signature line", () => {
    const text = "IN WITNESS WHEREOF the parties have signed.\n\nKATHY WHITWORTH\nMary Baker\nAddress: 302 La Mancha Court, Santa Fe, New Mexico 87501\n";
    const v = values(text);
    expect(v).toEqual(expect.arrayContaining(["KATHY WHITWORTH", "Mary Baker"]));
    expect(v.some((x) => x.startsWith("302 La Mancha Court"))).toBe(true);
  });

  it("reads a quoted short name defined after a party as that party ('HDS'), not a place's acronym ('PRC')", () => {
    const text =
      'between Healthcare Distribution Specialists LLC ("HDS"), a Delaware corporation, and others. HDS shall pay. ' +
      "Lenovo-AsiaInfo Technologies, Inc. is organized under the laws of the People's Republic of China (\"PRC\").";
    const v = values(text);
    expect(v.filter((x) => x === "HDS")).toHaveLength(2);
    expect(v).not.toContain("PRC");
  });

  it("reads a state or nationality between 'a/an' and the kind of entity as where it was formed, never as a person", () => {
    const text =
      "Alpha Tools GmbH, a German corporation, Beta Works Ltd, a British company, and Gamma Inc., a Delaware corporation, agree.";
    expect(found(text).filter(([t]) => t !== "ORGANIZATION")).toEqual([]);
    const places = found(text, new PiiScanner({ keepJurisdictions: false }));
    expect(places.filter(([t]) => t === "PERSON")).toEqual([]);
    for (const w of ["British", "Delaware"]) expect(places).toContainEqual(["LOCATION", w]);
  });

  it("leaves a numbered caption alone even when it ends like a company's name, and a name read across its numbering", () => {
    const text = "3       DEFINITION OF CAPITAL COSTS\nB.  SUFFICIENT WORKING CAPITAL\nExhibit C Sales and Marketing Plans\n";
    expect(found(text)).toEqual([]);
  });

  it("leaves the collective role word after a party's name out of it ('the Acme Parties' is Acme)", () => {
    const text = 'Acme Widgets, Inc., a Delaware corporation ("Acme"), and Zenbu LLC. The Acme Parties and the Acme Indemnitees shall be paid.';
    const v = values(text);
    expect(v.filter((x) => x === "Acme")).toHaveLength(3);
    expect(v.some((x) => /Parties|Indemnitees/.test(x))).toBe(false);
  });

  it("finds a party's short name of everyday words when it is the party's own, and every short name in the brackets", () => {
    const text =
      'Oak Valley Micro-Power, Inc., with its office at 751 North Drive, Suite 9, Melbourne, FL 32934 ("Oak Valley"). ' +
      'BLOOM POWER CORPORATION, a Delaware corporation ("BP" or, as operator, "Operator"). ' +
      'Sunrise Television Company Limited ("Party A" or "Sunrise TV"). The office at 1730 S. Amphlett Blvd., San Mateo, California 94402 ("u-Trade"). ' +
      'THIS SERVICE AGREEMENT FOR TRANSFER AGENT SERVICES (this "Agreement") is made.';
    const v = values(text);
    for (const alias of ["Oak Valley", "BP", "Sunrise TV", "u-Trade"]) expect(v).toContain(alias);
    for (const term of ["Operator", "Party A", "Agreement"]) expect(v).not.toContain(term);
  });

  it("leaves a run-in caption alone when the clauses stand on one line", () => {
    const text = "shall be final.   17. Notices. Any notice shall be in writing.   18. Severability. The provisions are severable.   19. Entire Agreement. This Agreement";
    expect(found(text)).toEqual([]);
    // a word of the caption that is no dictionary word, after its first word, with a colon
    expect(found("the lesser amount.   10. Force Majeure: Seller shall have no liability.   11. Relationship: none.")).toEqual([]);
  });

  it("reads a label that heads a list or a table, and an abbreviation opening a job title, as no person", () => {
    const text =
      "Product Specification  Quorvelites:   Name\n\nPrice/kg\n\nTelmaric fibres:             Name\n\n" +
      "By: /s/ Harriet K. Dunmore\n     Harriet K. Dunmore, Ex. Vice President         Odell Brashear, Sr. Manager\n";
    const v = values(text);
    expect(v).toEqual(expect.arrayContaining(["Harriet K. Dunmore", "Odell Brashear"]));
    for (const w of ["Quorvelites", "Telmaric", "Ex", "Sr"]) expect(v).not.toContain(w);
  });

  it("keeps the period of a legal form in capitals and the town of an address written without its postcode", () => {
    const text =
      'by and between DORVAL LINES, INC., a Delaware corporation with offices at 41 Quarry Lane, Normal, Illinois ("Dorval") and ' +
      "Pellworth Audio L.P., a Texas limited partnership.";
    const f = found(text);
    expect(f).toEqual(expect.arrayContaining([["ORGANIZATION", "DORVAL LINES, INC."], ["ADDRESS", "41 Quarry Lane, Normal, Illinois"], ["ORGANIZATION", "Pellworth Audio L.P."]]));
  });
});

describe("legal text's trims read a word or line once (rev14 R14-3: the regexes they replace were quadratic on runs)", () => {
  const piece = fc.constantFrom(" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\ufeff", ".", ":", ";", "-", "'", "’", ",", "(", ")", "a", "Ab", "É", "9", "²", "Ⅻ", "\ud83d\ude00", "\ud835\udc9c", "\ud83d", "\ude00", "_");
  const strings = fc.oneof(fc.array(piece, { maxLength: 40 }).map((p) => p.join("")), fc.string({ maxLength: 60 }), fc.string({ maxLength: 40, unit: "binary" }));
  it("withoutOuterPunctuation cuts what /^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$/gu cut", () => {
    fc.assert(fc.property(strings, (w) => expect(withoutOuterPunctuation(w)).toBe(w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))), { numRuns: 5_000 });
  });
  it("withoutClosingRun cuts what /[\\s.:]+$/ cut", () => {
    fc.assert(fc.property(strings, (line) => expect(withoutClosingRun(line)).toBe(line.replace(/[\s.:]+$/, ""))), { numRuns: 5_000 });
  });
});
