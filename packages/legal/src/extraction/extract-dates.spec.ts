import { describe, expect, it } from "@jest/globals";
import { extractKeyTerms } from "./extract-key-terms";

const keyDates = (text: string) => extractKeyTerms(text).keyDates;

// Opening lines as EDGAR contracts write them (CUAD dev half).
describe("agreement and effective dates", () => {
  it("reads the '17t h day' that EDGAR conversions leave behind", () => {
    const text = 'THIS STRATEGIC ALLIANCE AGREEMENT (the "Agreement"), made effective this 17t h day of February 2016, through February 16, 2019 (the "Initial Term") is entered into by and between EDGE Communications Solutions, LLC ("EDGE"), and FTE Networks, Inc. ("FTE").';
    expect(keyDates(text)).toMatchObject({ agreement: { iso: "2016-02-17" }, effective: { iso: "2016-02-17" } });
  });

  it("does not take a date from the recitals for the agreement date", () => {
    const text =
      'RESTATED AGREEMENT, effective as of May 1, 2012, by and between Advantus Capital Management, Inc. (the "Investment Adviser") and Securian Funds Trust (the "Trust").\n\nWHEREAS, pursuant to an Agreement and Plan of Reorganization approved by the Board of Trustees of the Trust on July 28, 2011, each Portfolio was reorganized;';
    expect(keyDates(text).agreement?.iso).toBe("2012-05-01");
  });

  it("does not take the date of 'that certain' earlier agreement", () => {
    const text =
      'This AMENDMENT (this "Amendment") is made and entered into effective as of October 30, 2019 (the "Effective Date") by and among Veoneer AB ("Veoneer") and Nissin Kogyo Co., Ltd. ("Nissin"), as an amendment to that certain Joint Venture Agreement dated March 7, 2016 by and among the parties.';
    expect(keyDates(text)).toMatchObject({ agreement: { iso: "2019-10-30" }, effective: { iso: "2019-10-30" } });
  });

  it("reads 'effective from the date first above written'", () => {
    const text = "THIS AGREEMENT made in duplicate this 20 day of November, 1995.\n\nBETWEEN: A LTD. and B LTD.\n\n2. This Agreement shall be effective from the date first above written and shall continue indefinitely until terminated by either Party.";
    expect(keyDates(text)).toMatchObject({ agreement: { iso: "1995-11-20" }, effective: { iso: "1995-11-20" }, expiration: { note: "perpetual" } });
  });

  it("reads all-number dates written day first where the first number cannot be a month", () => {
    const text = 'This Services Agreement is made on 13/03/2021 between Alpha Pty Ltd ("Alpha") and Beta Ltd ("Beta").\n\n2. This Agreement commences on 1.4.2021 and expires on 31.12.2022.';
    const { keyDates: kd, dates } = extractKeyTerms(text, { model: false });
    // "31.12.2022" can only be day first, so this contract's dots are: "1.4.2021" is 1 April.
    expect(dates.map((d) => d.iso)).toEqual(["2021-03-13", "2021-04-01", "2022-12-31"]);
    expect(kd).toMatchObject({ agreement: { iso: "2021-03-13" }, expiration: { iso: "2022-12-31" } });
  });

  it("reads no date from a dotted clause number ('1.4.10'), only from one after a date cue", () => {
    const text = 'This Agreement is dated 1.4.10 between Alpha GmbH ("Alpha") and Beta AG ("Beta").\n\n1.4.10 Termination. Either party may terminate under Section 4.7.21 or 10.2.15.';
    expect(extractKeyTerms(text, { model: false }).dates.map((d) => d.iso)).toEqual(["2010-01-04"]);
    const dayFirst = 'Dated: 1.4.10 between Alpha GmbH ("Alpha") and Beta AG ("Beta"), based on 4.2.10 above.\n\nThe Term commences on 15.4.10 and is conditional on\n4.7.21 Termination.';
    expect(extractKeyTerms(dayFirst, { model: false }).dates.map((d) => d.iso)).toEqual(["2010-04-01", "2010-04-15"]);
  });

  it("reads no all-number date from inside a longer number", () => {
    for (const text of ["This Agreement is dated 2013/03/21.", "Signed 2021/12/31 by both parties.", "Invoice No. 4417/10/2020 is due.", "Reg. 123-10-2020 applies.", "Made on 2013/12/05."]) {
      expect(extractKeyTerms(text, { model: false }).dates.map((d) => d.iso)).toEqual([]);
    }
  });
});
