import { PiiScanner } from "./pii-scanner";
import { letterheadOrganizations } from "./letterhead";
import type { PiiFinding } from "./pii-types";

const scanner = new PiiScanner();
const orgs = (text: string): string[] => scanner.scan(text).filter((f) => f.type === "ORGANIZATION").map((f) => text.slice(f.start, f.end));

describe("letterheadOrganizations", () => {
  it("reads the line between a person's name (and job title) and the address as the organisation", () => {
    expect(orgs("Julcsa Kárpáthy\nMhealthcoach\n50668 Kiannonkatu 98 Apt. 105, ISHAM, United Kingdom\nMobile: 03.93.92.16.85")).toEqual(["Mhealthcoach"]);
    expect(orgs("Olga Krylova\nCable line installer\nHere\n1610 ul. Zakrzowska 92 Apt. 399, Cyprus 72423")).toEqual(["Here"]);
    expect(orgs("Allan Björk\nScale Unlimited\nUnit 5022 Box 1225\nDPO AE 44085")).toEqual(["Scale Unlimited"]);
  });
  it("looks past a repeated name and quote marks, and works in lower case", () => {
    expect(orgs("> \n> Alma Jensen\n> Imedicare\n> Alma Jensen\n> 91215 Harjukuja 54\n> Suite 318\n> SEINÄJOKI\n> Finland 38524")).toEqual(["Imedicare"]);
    expect(orgs("naomi ryan\nsewer pipe cleaner\nhubbard, fox and gillespie\n3747 3911 fourth avenue suite 112 calgary alberta")).toEqual([
      "hubbard, fox and gillespie",
    ]);
  });
  it("does not read a job title, a label or a line without a person above it as an organisation", () => {
    expect(orgs("John Whitfield\nSenior Vice President\n123 Main Street\nSpringfield, IL 62701")).toEqual([]);
    expect(orgs("Ship to:\nThe back office\n123 Main Street\nSpringfield, IL 62701")).toEqual([]);
    expect(orgs("Margaret Thornton\n123 Main Street\nSpringfield, IL 62701")).toEqual([]);
  });
  it("needs a person's name on the line above (a finding, or words that are no English words at the top)", () => {
    const text = "Main office\nLeasing consultant\nFritz-Armstrong\n12 Main Street";
    const address: PiiFinding = { type: "ADDRESS", start: 47, end: 61, score: 0.75, recognizer: "t" };
    expect(letterheadOrganizations(text, [address])).toEqual([]);
    const person: PiiFinding = { type: "PERSON", start: 0, end: 11, score: 0.65, recognizer: "t" };
    expect(letterheadOrganizations(text, [person, address]).map((f) => text.slice(f.start, f.end))).toEqual(["Fritz-Armstrong"]);
  });
});
