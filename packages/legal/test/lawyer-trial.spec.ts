// What the lawyer trial found on real contracts (cuad_train texts of PDFs in ../shared/data/pdfs/text, public
// development data): flattened signature columns, an appendix contact list, "perpetual" read from a severability sentence.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { extractKeyTerms } from "../src/index";
import { sharedData } from "./fixtures";

const dir = path.join(sharedData, "cuad_train", "full_contract_txt");
const contract = (prefix: string) => fs.readFileSync(path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith(prefix))!), "utf8");
const signatories = (prefix: string) => {
  const text = contract(prefix);
  const found = extractKeyTerms(text).signatories;
  for (const s of found) expect(text.slice(s.span.start, s.span.end)).toBe(s.span.quote);
  return found.map((s) => [s.name, s.title, s.party]);
};

describe("signatories on real contracts", () => {
  it("pairs two flattened columns in order (GIGGLES N' HUGS / KIDDO: 'By: /s/ … By: /s/ … Its: … Its: …')", () => {
    expect(signatories("GIGGLESN_HUGS")).toEqual([
      ["Joey Parsi", "Chief Executive Officer", "Giggles N' Hugs, Inc."],
      ["Michelle Steinberg", "Vice-President", "Kiddo, Inc."],
    ]);
  });

  it("gives each column its own title and party (NETZEE / THE BANKERS BANK)", () => {
    expect(signatories("NETZEEINC")).toEqual([
      ["Richard S. Eiswirth", "SEVP & CFO", expect.stringMatching(/^NETZEE/i)],
      ["Kevin Tweddle", "SVP & CFO", expect.stringMatching(/Bankers Bank/i)],
    ]);
  });

  it("takes the conformed signatures and not the appendix's contact names (Data Call content licence)", () => {
    const found = signatories("DataCallTechnologies");
    expect(found.map((s) => s[0])).toEqual(["Heim Brecht", "Stefan Meyes-Sickenagel", "James Ammons"]);
    expect(found.slice(0, 2).map((s) => s[2])).toEqual(["PLAN_B MEDIA AG", "PLAN_B MEDIA AG"]);
  });
});

describe("the expiry of a contract with no fixed term (GIGGLES N' HUGS strategic alliance)", () => {
  it("never cites the severability sentence ('shall otherwise remain in full force and effect') as a term", () => {
    const kt = extractKeyTerms(contract("GIGGLESN_HUGS"));
    expect(kt.keyDates.expiration?.span.quote ?? "").not.toMatch(/unenforceable|held to be illegal/);
    expect(extractKeyTerms(contract("GIGGLESN_HUGS"), { model: false }).keyDates.expiration?.span.quote ?? "").not.toMatch(/unenforceable/);
  });
});
