import { describe, expect, it } from "@jest/globals";
import { ContractDocument } from "../text/contract-document";
import { extractGoverningLaw } from "./extract-governing-law";

const laws = (text: string) => extractGoverningLaw(new ContractDocument(text)).map((g) => g.law);

describe("extractGoverningLaw", () => {
  it.each([
    ["This Agreement will be interpreted, construed and enforced in accordance with the Laws of the State of Washington, without reference to its choice of Laws rules.", ["Washington"]],
    ["This Agreement is governed by English law and the parties submit to the exclusive jurisdiction of the English courts.", ["England and Wales"]],
    ["This Agreement shall be governed by and construed in accordance with the laws of the State of New York.", ["New York"]],
  ])("reads %j", (text, expected) => {
    expect(laws(text)).toEqual(expected);
  });

  it.each([
    "14. Governing Laws. This Agreement shall be binding upon the parties.",
    "Each party shall comply with all applicable Laws. This Amendment is effective today.",
    "The Supplier shall comply with English law on packaging.",
  ])("finds no governing law in %j", (text) => {
    expect(laws(text)).toEqual([]);
  });
});
