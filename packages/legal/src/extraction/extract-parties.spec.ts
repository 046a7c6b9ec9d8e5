import { describe, expect, it } from "@jest/globals";
import { ContractDocument } from "../text/contract-document";
import { extractParties } from "./extract-parties";

const names = (text: string) => extractParties(new ContractDocument(text)).map((p) => p.name);

// Preambles as EDGAR contracts write them (CUAD dev half).
describe("extractParties", () => {
  it("reads a title spaced out letter by letter and parties joined by '- and -'", () => {
    const text = 'EXHIBIT 10.4\n\nTHIS AGREEMENT made in duplicate this 20 day of November, 1995.\n\nB E T W E E N:\n\nPUROLATOR COURIER LTD.\n("Purolator")\n\n- and -\n\nPARCELWAY COURIER SYSTEMS CANADA LTD. a subsidiary of Dynamex Inc.\n("Dynamex")\n\nWHEREAS Purolator inter alia, is licensed to provide courier services';
    expect(names(text)).toEqual(["PUROLATOR COURIER LTD.", "PARCELWAY COURIER SYSTEMS CANADA LTD. a subsidiary of Dynamex Inc."]);
  });

  it("starts a party at a trade name written in lower case", () => {
    const text = 'This Agreement is made this 21st day of January 2003 by and between Lucent Technologies Inc., a Delaware corporation having a principal place of business at 600 Mountain Avenue, Murray Hill, New Jersey 07974 ("Lucent") and mPhase Technologies Inc., a New Jersey corporation located at 587 Connecticut Avenue, Norwalk, Connecticut ("mPhase").\n\nWHEREAS, mPhase wishes to use the Lucent name.';
    expect(names(text)).toEqual(["Lucent Technologies Inc.", "mPhase Technologies Inc."]);
  });

  it("reads a list of three parties", () => {
    const text = 'RESTATED AGREEMENT, effective as of May 1, 2012, by and between Advantus Capital Management, Inc. (the "Investment Adviser"), Securian Financial Services, Inc. (the "Underwriter") and Securian Funds Trust (the "Trust"), a Delaware statutory trust.\n\nWHEREAS, the parties wish to restate the Prior Agreements.';
    expect(names(text)).toEqual(["Advantus Capital Management, Inc.", "Securian Financial Services, Inc.", "Securian Funds Trust"]);
  });

  it("reads 'among A, Inc., B, LLC. and C, Ltd.' and stops at the table of contents", () => {
    const text = "STRATEGIC ALLIANCE AGREEMENT dated as of August 26, 2015 among Sucampo Pharmaceuticals, Inc., Sucampo Pharma, LLC. and R-Tech Ueno, Ltd. TABLE OF CONTENTS ARTICLE I DEFINITIONS";
    expect(names(text)).toEqual(["Sucampo Pharmaceuticals, Inc.", "Sucampo Pharma, LLC.", "R-Tech Ueno, Ltd."]);
  });

  it("prefers 'by and between' in the text to a 'BETWEEN … AND …' title", () => {
    const text = 'UNCONDITIONAL CAPITAL MAINTENANCE AGREEMENT BETWEEN AMERICAN INTERNATIONAL GROUP, INC. AND AMERICAN GENERAL LIFE INSURANCE COMPANY OF DELAWARE This Unconditional Capital Maintenance Agreement (this "Agreement"), is made, entered into and effective as of March 30, 2011, by and between American International Group, Inc., a corporation organized under the laws of the State of Delaware ("AIG"), and American General Life Insurance Company of Delaware, a corporation organized under the laws of the Delaware (the "Company"). WITNESSETH:';
    expect(names(text)).toEqual(["American International Group, Inc.", "American General Life Insurance Company of Delaware"]);
  });

  it("does not split a party at ', and its successors'", () => {
    const text = 'This Agreement is made by and between Acme Widgets LLC ("Client"), and its successors and assigns, and Jordan Lee ("Consultant").\n\n1. Services.';
    expect(names(text)).toEqual(["Acme Widgets LLC", "Jordan Lee"]);
  });
});
