// The span of a party's name as it is shown: a name read from a preamble or a signature block often runs on
// into what follows it ("KALLO Inc. With principal offices at …", "NLS-1 Pharma AG Alter Postplatz 2 …",
// "Bloom Energy Corporation dated as of …") or starts with a list number or a date ("2. Valence …").
// A company's legal form ends its name, so the name is cut after it.
import { spanOf, type Span } from "../../text/span";

// Legal forms, as written (case matters: "as" and "co" in lower case are words, "AS" and "Co." are forms).
const LEGAL_FORM =
  /^(?:Inc|INC|inc|Corp|CORP|Ltd|LTD|ltd|LLC|L\.L\.C|LLP|L\.P|LP|PLC|Plc|plc|N\.A|S\.A|SA|AG|GmbH|GMBH|B\.V|BV|N\.V|NV|Pte|PTE|Pty|PTY|S\.p\.A|SpA|S\.r\.l|Srl|AB|A\/S|Oy|KG|Limited|LIMITED|Incorporated|INCORPORATED|Corporation|CORPORATION|Company|COMPANY|Co|CO)\.?$/;
// After a legal form, the name still goes on with "of"/"for" ("Company of America"); "& Co. KG" is another form (below),
// "& VNUE" the next party.
const GOES_ON = /^(?:of|for)$/i;
// A list marker or a date before a name: "2.", "(a)", "4/8/2020", "2020.".
const LEADING_NUMBER = /^(?:\(?[a-z]{1,3}\)|\(?\d{1,4}[.)]?|\d{1,2}\/\d{1,2}\/\d{2,4}\.?)$/i;

interface Word {
  readonly start: number;
  readonly end: number;
  readonly bare: string;
}

function wordsOf(quote: string): Word[] {
  return [...quote.matchAll(/\S+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length, bare: m[0].replace(/[,;:]+$/, "") }));
}

/** Start and end (offsets into `quote`) of the name a party's quote shows, or undefined when it needs no cut. */
export function partyNameBounds(quote: string): { start: number; end: number } | undefined {
  const words = wordsOf(quote);
  let first = 0;
  while (first < words.length - 1 && LEADING_NUMBER.test(words[first]!.bare)) first++;
  let last = words.length - 1;
  for (let i = first + 1; i < words.length - 1; i++) {
    if (!LEGAL_FORM.test(words[i]!.bare)) continue;
    let j = i;
    // "Company, Inc.", "GmbH & Co. KG": consecutive forms belong together.
    while (j + 1 < words.length && (LEGAL_FORM.test(words[j + 1]!.bare) || (words[j + 1]!.bare === "&" && j + 2 < words.length && LEGAL_FORM.test(words[j + 2]!.bare)))) j += words[j + 1]!.bare === "&" ? 2 : 1;
    // "… Inc. of 512 Bayshore Drive" is an address, not more of the name.
    if (j + 1 < words.length && GOES_ON.test(words[j + 1]!.bare) && !/^\d/.test(words[j + 2]?.bare ?? "")) {
      i = j;
      continue;
    }
    last = j;
    break;
  }
  if (first === 0 && last === words.length - 1) return undefined;
  const end = words[last]!.start + words[last]!.bare.length;
  return { start: words[first]!.start, end };
}

/** The party name's span cut to the name (see `partyNameBounds`), or the span itself. */
export function trimPartyName(text: string, span: Span): Span {
  const bounds = partyNameBounds(span.quote);
  if (!bounds) return span;
  return spanOf(text, span.start + bounds.start, span.start + bounds.end);
}
