import fc from "fast-check";
import { AddressRecognizer } from "./address-recognizer";

const recognizer = new AddressRecognizer();
const addresses = (text: string): string[] => recognizer.recognize(text).filter((f) => f.type === "ADDRESS").map((f) => text.slice(f.start, f.end));
/** CoNLL-style tokens joined by spaces, as the SEC filings are written ("Suite 410 , Quarry Falls , TX 75034"). */
const tokenise = (s: string): string => (s.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? []).join(" ");

describe("street addresses with a spelled-out house number", () => {
  it("reads the number word, the street and its unit or town line as one address", () => {
    expect(addresses("Notices: Two Maple Office Park, Suite 410\nWestfield, MA 01085\n")).toEqual(["Two Maple Office Park, Suite 410\nWestfield, MA 01085"]);
    expect(addresses("at One Harbour Center, Boston, MA 02110.")).toEqual(["One Harbour Center, Boston, MA 02110"]);
    expect(addresses("Twenty-Five Quarry Lane, Ste. 8, Fort Ridley, KS 66442")).toEqual(["Twenty-Five Quarry Lane, Ste. 8, Fort Ridley, KS 66442"]);
    expect(addresses(tokenise("Three Alder Executive Park, Suite 203"))).toEqual(["Three Alder Executive Park , Suite 203"]);
  });

  it("is no address without a unit or a town line on the spot", () => {
    expect(addresses("the Two Park Street stores")).toEqual([]);
    expect(addresses("Two Main Street shops in Boston were sold.")).toEqual([]);
    expect(addresses("One Court of Appeal, Suite 4")).toEqual([]);
    expect(addresses("someone Harbour Center, Suite 4")).toEqual([]);
  });

  it("finds every generated one whole, tokenised or not", () => {
    const number = fc.constantFrom("One", "Two", "Three", "Eleven", "Twenty", "Forty-Two", "One Hundred");
    const name = fc.array(fc.constantFrom("Maple", "Quarry", "Executive", "Birchwood", "North", "Harbour"), { minLength: 1, maxLength: 3 }).map((w) => w.join(" "));
    const type = fc.constantFrom("Park", "Plaza", "Center", "Tower", "Street", "Drive", "Parkway");
    const tail = fc.constantFrom(", Suite 410", ", Ste. 12", ", Suite 5, Westfield, MA 01085", ", Quarry Falls, TX 75034", "\nFort Ridley, KS 66442-1234");
    fc.assert(
      fc.property(number, name, type, tail, fc.boolean(), (n, w, t, tl, tok) => {
        const address = `${n} ${w} ${t}${tl}`;
        const text = tok ? tokenise(`Address: ${address}\nAttn: Legal`) : `Address: ${address}\nAttn: Legal`;
        const want = tok ? tokenise(address) : address;
        expect(addresses(text)).toContain(want);
      }),
      { numRuns: 300 },
    );
  });
});

describe("street names that are ordinals, and a compass word after the street type", () => {
  it("reads the ordinal street and the compass word", () => {
    expect(addresses("at 3900A 41st Street North, Birchwood, FL 33713")).toEqual(["3900A 41st Street North, Birchwood, FL 33713"]);
    expect(addresses("17 West 52nd Street, Suite 9\nLakemont, NY 10019")).toEqual(["17 West 52nd Street, Suite 9\nLakemont, NY 10019"]);
    expect(addresses("1200 6th Ave, Ste. 300, Seattle, WA 98101")).toEqual(["1200 6th Ave, Ste. 300, Seattle, WA 98101"]);
  });

  it("takes no compass word that starts the next name or sentence", () => {
    expect(addresses("12 Main Street North Carolina buyers")).toEqual(["12 Main Street"]);
    expect(addresses("12 Main Street West of the river")).toEqual(["12 Main Street"]);
  });
});
