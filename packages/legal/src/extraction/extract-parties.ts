import type { ContractDocument } from "../text/contract-document";
import { matchAll, spanOf } from "../text/span";
import type { Party } from "./key-term-types";

const QUOTED_ROLE = /["“'‘]{1,2}\s*([A-Za-z][^"“”'‘’\n]{0,40}?)\s*["”'’]{1,2}/g;
const NOT_PARTY_ROLES = /^(?:agreement|this agreement|effective date|parties|party|term|territory|products?|services?|amendment|commencement date|execution date|confidential information|closing date|purchase agreement|asset purchase agreement|other agreements|recitals?|program|site|promotions?|lease|shares)$/i;
const CORP_SUFFIX = /^,?\s*(?:inc|corp|co|ltd|llc|l\.l\.c|l\.p|lp|llp|plc|n\.a|s\.a|ag|gmbh|b\.v|n\.v|pte|pty|limited|incorporated|corporation|company|s\.r\.l|srl)\b\.?/i;
const ANCHOR = /\b(?:by\s+and\s+between|by\s+and\s+among|between|among|entered\s+into\s+by|made\s+by)\b\s*:?|\bB\s?E\s?T\s?W\s?E\s?E\s?N\s*:/i;
// "by and between" in running text names the parties better than a title line ("… AGREEMENT BETWEEN X AND Y").
const RUNNING_ANCHOR = /\bby\s+and\s+(?:between|among)\b\s*:?/i;
const STOP = /\bWHEREAS\b|\bRECITALS?\b|\bBACKGROUND\b|\bIT\s+IS\s+(?:HEREBY\s+)?AGREED|\bNOW,?\s+THEREFORE|W\s?I\s?T\s?N\s?E\s?S\s?S\s?E\s?T\s?H|\n\s*(?:1|I|A)\.\s|Capitalized\s+terms|Pursuant\s+to\s+this|\bis\s+dated\b|\bagree\s+as\s+follows|TABLE\s+OF\s+CONTENTS|\.\s+(?:If|The|This|In|Each|Both|All)\s/;
const SUFFIXES = "Inc|LLC|L\\.L\\.C|Ltd|Corp|Co|L\\.P|LP|N\\.A|S\\.A|plc|AG|GmbH|Limited|Corporation|Company|Incorporated";
// The next party starts with a capital, a number, or a lower-case trade name that a corporate suffix follows ("mPhase Technologies Inc.").
const NEXT_PARTY = "(?=\\(?\\d\\)|[A-Z0-9_]|[a-z][\\w@.-]*(?:\\s+[\\w@.&-]+){0,3},?\\s+(?:Inc|LLC|Ltd|Corp|Limited|Corporation|Company|plc|GmbH|AG)\\b)";
const SPLIT = new RegExp(
  [
    // ", and B", ") and B", "Sucampo Pharma, LLC. and R-Tech"; "AND" in capitals too.
    `(?:[,;)”"]|(?<=\\b(?:${SUFFIXES}))\\.)\\s*[Aa][Nn][Dd]\\s*[,:]?\\s+${NEXT_PARTY}`,
    "\\n\\s*and\\s*\\n",
    ";\\s*(?=\\(\\d\\))",
    // "- and -" between two party blocks.
    "\\s-\\s*and\\s*-\\s",
    // A list: "A Inc. (the "Adviser"), B Inc. (the "Underwriter") and C", "A, Inc., B, LLC. and C".
    "(?<=\\))\\s*,\\s+(?=[A-Z][\\w.-]+\\s)",
    `(?<=\\b(?:${SUFFIXES})\\.?),\\s+(?=[A-Z][\\w.-]+\\s)`,
  ].join("|"),
  "g",
);
const PLAIN_AND = /\s+(?:and|AND)\s+(?=[A-Z0-9_])/g;
const ABBREVIATION_END = /(?:\b(?:Inc|Ltd|Corp|Co|Bros|No|St|Mr|Mrs|Ms|Dr|Jr|Sr|N\.A|L\.P|L\.L\.C|S\.A|B\.V|N\.V|U\.S|P\.C)|\b[A-Z])$/;

/** Where the sentence that names the parties ends (a full stop that is not an abbreviation). */
function sentenceEnd(region: string): number {
  for (const m of matchAll(region, /\.(?=\s+["“(]?[A-Z])/g)) {
    if (!ABBREVIATION_END.test(region.slice(Math.max(0, m.index - 6), m.index))) return m.index + 1;
  }
  return region.length;
}
const NAME_END = /,|\s\(|\s+(?:a|an)\s+(?:[A-Z][\w.-]*\s+){0,4}(?:corporation|company|limited|partnership|statutory|national|banking|public|private|business|general|trust|society|association|individual|resident|entity|[a-z]+\s+(?:corporation|company|partnership))|\s+(?:whose|having|with\s+(?:its|a)|located|of\s+\(|of\s+[0-9]|organi[sz]ed|incorporated|existing|residing|acting|on\s+behalf|together\s+with|referred\s+to|hereinafter|its\s+successors)\b|\s+of\s*$|["“]/i;

function nameOf(text: string, start: number, end: number): { start: number; end: number } | undefined {
  let s = start;
  const lead = /^[\s:]*(?:and\s+(?:between|among)\s*:?\s*)?(?:\(\d\)\s*|\d\.\s*)?(?:the\s+)?/i.exec(text.slice(s, end));
  s += lead?.[0].length ?? 0;
  const chunk = text.slice(s, end);
  let stop = chunk.length;
  for (let from = 0; ; ) {
    const m = NAME_END.exec(chunk.slice(from));
    if (!m) break;
    const at = from + m.index;
    if (m[0].startsWith(",") && CORP_SUFFIX.test(chunk.slice(at))) {
      from = at + 1;
      continue;
    }
    stop = at;
    break;
  }
  // The chunk ends at the next party's "and" when nothing else stops it ("Sucampo Pharma, LLC. and").
  const name = chunk.slice(0, stop).replace(/\s+(?:and|AND)\s*$/, "").replace(/[\s,.;:]+$/, (t) => (t.startsWith(".") ? "." : ""));
  return /[A-Za-z]{2}/.test(name) && !/^_+$/.test(name.trim()) ? { start: s, end: s + name.length } : undefined;
}

/** Parties and their defined roles, read from the preamble ("between Acme Corp., a Delaware corporation ("Licensor"), and ..."). */
export function extractParties(doc: ContractDocument): Party[] {
  const head = doc.text.slice(0, Math.max(doc.preambleEnd, Math.min(doc.text.length, 6000)));
  const anchor = RUNNING_ANCHOR.exec(head) ?? ANCHOR.exec(head);
  if (!anchor) return [];
  const from = anchor.index + anchor[0].length;
  const rest = head.slice(from, from + 1500);
  const stop = STOP.exec(rest);
  const bounded = rest.slice(0, stop ? stop.index : rest.length);
  const region = bounded.slice(0, sentenceEnd(bounded));
  let splits = [...matchAll(region, SPLIT)];
  // "between Acme Corp and Beta LLC": no punctuation before "and", so split on the plain word.
  if (splits.length === 0) splits = [...matchAll(region, PLAIN_AND)].slice(0, 1);
  const cuts = [0, ...splits.map((m) => m.index + m[0].length), region.length];
  const out: Party[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const chunkStart = from + cuts[i]!;
    const chunkEnd = from + cuts[i + 1]!;
    const range = nameOf(doc.text, chunkStart, chunkEnd);
    if (!range) continue;
    const name = spanOf(doc.text, range.start, range.end);
    if (name.quote.length < 2 || name.quote.length > 120 || /^(?:this|such|all|any|which|that|it|each|the\s+parties)\b/i.test(name.quote)) continue;
    let role: { quote: string; at: number } | undefined;
    for (const q of matchAll(doc.text.slice(range.end, chunkEnd), QUOTED_ROLE)) {
      const quote = q[1]!.trim();
      if (NOT_PARTY_ROLES.test(quote)) continue;
      role = { quote, at: range.end + q.index + q[0].indexOf(quote) };
      break;
    }
    out.push({
      name: name.quote.replace(/\s+/g, " "),
      span: name,
      ...(role ? { role: role.quote, roleSpan: spanOf(doc.text, role.at, role.at + role.quote.length) } : {}),
    });
    if (out.length >= 8) break;
  }
  return out;
}

