// Signature blocks: who signs, with what title, for which party. EDGAR texts often flatten two signature columns
// into one run ("ACME, INC. BETA, INC. By: /s/ A By: /s/ B Name: A Name: B Its: CEO Its: VP"): the n-th "By:" of
// such a row signs for the n-th party named above the row, and the n-th "Title:" / "Its:" after it is the n-th
// signer's title. "Name:" lines of a contact list ("CONTACT LICENSOR Name: … Phone: … Email: …") are not signatures.
import type { ContractDocument } from "../text/contract-document";
import { matchAll, spanOf, type Span } from "../text/span";
import { trimPartyName } from "./key-term-model/party-name";
import type { Party, Signatory } from "./key-term-types";

type FieldKind = "by" | "signed" | "name" | "title";
interface Field {
  readonly kind: FieldKind;
  /** Where the field's label starts and its value ends. */
  readonly start: number;
  readonly end: number;
  readonly value?: Span;
}

const LABELS = "By|Name|Title|Date|Its|Witness|Address|Signature|Phone|Tel|Telephone|Fax|Email|E-mail|Position|Print|Printed|On|For|Per";
// A person's name: two to four capitalised words, never a field's label nor a word before a colon ("Tilte:"), and
// never across a column gap of three blanks ("/s/ Vince Dim      Print Name: …"). Letters are any script's, with
// combining marks ("José Álvarez", "Łukasz Nowak", decomposed accents): the regular expressions using it take the u flag.
const NAME_CHAR = String.raw`[\p{L}\p{M}.'’-]`;
const NAME_WORDS = `\\p{Lu}${NAME_CHAR}+(?:[ \\t]{1,2}(?!(?:${LABELS})\\b)\\p{Lu}${NAME_CHAR}*(?!${NAME_CHAR}*[ \\t]*:)){1,3}`;
// Legal forms that end an organisation's name.
const LEGAL_FORM = String.raw`(?:INC|Inc|LLC|L\.L\.C|LTD|Ltd|CORP|Corp|LP|L\.P|LLP|PLC|plc|AG|GmbH|N\.A|S\.A|LIMITED|Limited|CORPORATION|Corporation|COMPANY|Company)`;
// Where one name ends and the next begins on a flattened line: after a legal form ("HUGS, INC. KIDDO, INC.").
const AFTER_LEGAL_FORM = new RegExp(String.raw`(?<=\b${LEGAL_FORM}\.?,?)[ \t]+(?=[A-Z])`);
// A party's name in capitals that opens the next block of a single-spaced run ("Title: President TAMSIN WORKS, LLC By: …").
const CAPITALS_PARTY = String.raw`[ \t]+(?:[A-Z][A-Z0-9&'’-]*,?[ \t]+){0,6}(?:INC|LLC|L\.L\.C|LTD|CORP|CORPORATION|LIMITED|COMPANY|LP|L\.P|LLP|PLC|AG|N\.A|S\.A)\b`;
// A title runs to two spaces, a line end, a digit (a page number), the next field's label or the next party's name in capitals.
const TITLE_WORDS = `[A-Za-z][A-Za-z ,&./-]{0,60}?(?=[ \\t]{2,}|[ \\t]*(?:\\n|$|\\d|_|-{2,}|(?:${LABELS})\\b)|${CAPITALS_PARTY})`;
const FIELD = new RegExp(
  [
    `\\bBy\\s*:[ \\t]*(?:_{2,}[ \\t]*)?(?:\\/s\\/[ \\t]*)?(?<by>${NAME_WORDS})?`,
    `\\/s\\/[ \\t]*(?<signed>${NAME_WORDS})`,
    `\\bName\\s*:[ \\t]*(?:\\/s\\/[ \\t]*)?(?<name>${NAME_WORDS})`,
    `\\b(?:Title|Its)\\s*:[ \\t]*(?<title>${TITLE_WORDS})`,
  ].join("|"),
  "gu",
);
// What may stand between two fields of one flattened row: blanks, signature lines, dashes.
const ROW_GAP = /^[\s_-]*$/;
// A contact list, a notice address or a payment block, not a signature: its heading or the fields under its names.
const CONTACT_HEADING = /\b(?:CONTACTS?|ATTENTION|ATTN|NOTICES?|COPY\s+TO|APPENDIX|SCHEDULE|EXHIBIT|ANNEX)\b/i;
const CONTACT_FIELD = /\b(?:Phone|Tel|Telephone|Fax|Facsimile|E-?mail)\s*:/i;
const HEADING_WINDOW = 600;
// A heading cell that names no one: labels, the signature sentence's words, dates, EDGAR footers.
const NOT_A_NAME = /^(?:by|by\s.*|name|title|its|date|dated|signature|signed|signed\s+by|witness|witnesses|agreed|accepted|agreed\s+and\s+accepted|in\s+witness.*|source:.*|page\s+\d.*|\[.*\]|[\d/.,\s-]+|(?:for\s+and\s+)?on\s+behalf.*|(?:company|common|corporate)\s+seal|(?:appendix|schedule|exhibit|annex)\b.*)$|\b(?:By|Name|Title|Its|Date|Dated|Address|Signature)\s*:/i;
const WITNESS = /IN\s+WITNESS\s+WHEREOF/i;
// Outside the pages after "IN WITNESS WHEREOF", a name is a signer's only under a signature line.
const SIGNATURE_MARK = /_{3,}|\/s\/|\bSignature\b|\bSigned\b/i;

// A heading cell names a party that the contract's list may miss only when it looks like an organisation: a legal form,
// or two or more words in capitals ("THE BANKERS BANK"); Title Case cells are as often table headings.
// A legal form alone ("Company", "By Company:") names no one.
const ORGANISATION_FORM = /\b(?:Inc|LLC|L\.L\.C|Ltd|Corp|LP|L\.P|LLP|PLC|plc|AG|GmbH|N\.A|S\.A|Limited|Corporation|Company|Co)\b(?!-)/g;
const isOrganisation = (quote: string) => (/^(?:THE\s+)?[A-Z0-9&.,'\s-]+$/.test(quote) ? /\S\s+\S/.test(quote.replace(/^THE\s+/, "")) : quote.search(ORGANISATION_FORM) >= 0 && /[A-Za-z]{2}/.test(quote.replace(ORGANISATION_FORM, "")));
// Accents dropped, any script's letters kept: "Zoë Müller" is "zoe muller", and a name in Greek letters is not "".
const normalName = (s: string) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
const sameName = (a: string, b: string) => {
  const x = normalName(a);
  const y = normalName(b);
  return x.length > 0 && y.length > 0 && (x.includes(y) || y.includes(x));
};

/**
 * A signer's name typed again after the conformed signature ("/s/ Ada Quill Ada Quill", "/s/ Ada B. Quill Ada B.
 * Quill" cut by the four-word limit): the first copy. A word that recurs without the rest of the name after it stays
 * ("Ian St. Ian Moss" is no copy).
 */
function undoubled(text: string, value: Span): Span {
  const words = [...value.quote.matchAll(/\S+/g)];
  for (let j = 2; j < words.length; j++) {
    const copy = words.slice(j).map((w) => w[0]);
    if (copy.some((w, i) => w !== words[i]![0])) continue;
    // The copy may go on past the value: the rest of the first copy must follow in the text.
    const rest = words.slice(copy.length, j).map((w) => w[0]);
    const after = text.slice(value.end).match(/^(?:[ \t]{1,2}\S+)*/)![0].trim().split(/[ \t]+/).filter(Boolean);
    if (rest.every((w, i) => after[i]?.replace(/[,;:]$/, "") === w)) return spanOf(text, value.start, value.start + words[j - 1]!.index + words[j - 1]![0].length);
  }
  return value;
}

function fieldsOf(text: string, from: number): Field[] {
  const out: Field[] = [];
  for (const m of matchAll(text.slice(from), FIELD)) {
    const g = m.groups!;
    const kind: FieldKind = g["by"] !== undefined || /^By/.test(m[0]) ? "by" : g["signed"] !== undefined ? "signed" : g["name"] !== undefined ? "name" : "title";
    const raw = (g["by"] ?? g["signed"] ?? g["name"] ?? g["title"] ?? "").trim();
    const start = from + m.index;
    const end = start + m[0].length;
    const valueAt = raw ? start + m[0].lastIndexOf(raw) : -1;
    const value = raw && valueAt >= start ? spanOf(text, valueAt, valueAt + raw.length) : undefined;
    out.push({ kind, start, end, ...(value ? { value: kind === "title" ? value : undoubled(text, value) } : {}) });
  }
  return out;
}

// "By: /s/ A" and "By /s/ B" (no colon: read as a conformed signature) are one kind of field, a signer's.
const sameKind = (a: FieldKind, b: FieldKind) => a === b || (isSigner(a) && isSigner(b));
const isSigner = (k: FieldKind) => k === "by" || k === "signed";

/** Consecutive fields of one kind with nothing but blanks, lines or dashes between them: one flattened row. */
function rowsOf(text: string, fields: readonly Field[]): Field[][] {
  const rows: Field[][] = [];
  for (const f of fields) {
    const row = rows.at(-1);
    const last = row?.at(-1);
    if (row && last && sameKind(last.kind, f.kind) && ROW_GAP.test(text.slice(last.end, f.start))) row.push(f);
    else rows.push([f]);
  }
  return rows;
}

/** Whom a signer signs for: a party of the contract, or a name written in the signature heading only. */
interface SignedFor {
  readonly name: string;
  /** The heading's own words, when the name is not one of the contract's parties. */
  readonly span?: Span;
}

/** The party headings above a row of `k` signers: known parties named there (or their roles), else the heading's cells. */
function headingParties(text: string, start: number, heading: string, k: number, parties: readonly Party[]): (SignedFor | undefined)[] {
  const known: { at: number; name: string }[] = [];
  for (const p of parties) {
    const keys = [p.name.slice(0, 30), ...(p.role ? [p.role.toUpperCase()] : [])].filter((x) => x.trim().length >= 3);
    for (const key of keys) {
      const hay = key === p.role?.toUpperCase() ? heading : heading.toLowerCase();
      const needle = key === p.role?.toUpperCase() ? key : key.toLowerCase();
      for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + needle.length)) known.push({ at, name: p.name });
    }
  }
  known.sort((a, b) => a.at - b.at);
  const dedup = known.filter((x, i) => i === 0 || x.at >= known[i - 1]!.at + 3);
  if (dedup.length >= k) return dedup.slice(-k).map((x) => ({ name: x.name }));
  const cells = headingCells(text, start, heading);
  if (cells.length >= k) {
    return cells.slice(-k).map((cell) => {
      const party = parties.find((p) => sameName(p.name, cell.quote) || (p.role !== undefined && normalName(p.role) === normalName(cell.quote)));
      if (party) return { name: party.name };
      return isOrganisation(cell.quote) ? { name: cell.quote.replace(/\s+/g, " "), span: cell } : undefined;
    });
  }
  // One party heading above several signers: they all sign for it.
  if (dedup.length === 1) return Array.from({ length: k }, () => ({ name: dedup[0]!.name }));
  return Array.from({ length: k }, () => undefined);
}

/** Without a heading of its own, the last party named (or whose role is written in capitals) just before the signer. */
function partyNamedBefore(text: string, at: number, parties: readonly Party[]): SignedFor | undefined {
  const before = text.slice(Math.max(0, at - 300), at);
  const lower = before.toLowerCase();
  const party = parties.filter((p) => lower.includes(p.name.toLowerCase().slice(0, 20)) || (p.role !== undefined && before.includes(p.role.toUpperCase()))).at(-1);
  return party ? { name: party.name } : undefined;
}

/** The names written above a signature row, column by column ("ACME, INC.      BETA LLC, a Delaware" → two cells). */
function headingCells(text: string, offset: number, heading: string): Span[] {
  const cells: Span[] = [];
  for (const m of matchAll(heading, /[^\n]+/g)) {
    const line = m[0];
    if (CONTACT_FIELD.test(line) || /^\s*Source:/i.test(line)) continue;
    // Columns are two or more spaces apart; on one flattened line a legal form ends a name ("HUGS, INC. KIDDO, INC.").
    for (const part of matchAll(line, /\S+(?:[ \t]\S+)*/g)) {
      for (const piece of part[0].split(AFTER_LEGAL_FORM)) {
        const at = offset + m.index + part.index + part[0].indexOf(piece);
        // ", a Delaware corporation", ", its General Partner": what follows the name is no part of it.
        const cut = /,\s+(?:an?|the|its)\s/i.exec(piece);
        const cell = trimPartyName(text, spanOf(text, at, at + (cut ? cut.index : piece.length)));
        const span = /[:,]$/.test(cell.quote) ? spanOf(text, cell.start, cell.end - 1) : cell;
        const name = span.quote.replace(/\s+/g, " ");
        if (!/^[A-Z0-9]/.test(name) || !/[A-Za-z]{2}/.test(name) || NOT_A_NAME.test(name) || name.split(" ").length > 8) continue;
        cells.push(span);
      }
    }
  }
  return cells;
}

// What follows a company that signs on a party's behalf: "Harbour GP LLC, its General Partner", "…, as its agent".
const ACTING_FOR = /^[^\n]{0,40}?,?\s+(?:as\s+)?its\s+(?:sole\s+|managing\s+|general\s+|investment\s+)?(?:general\s+partner|partner|member|manager|adviser|advisor|agent|attorney|trustee)/i;
// A full stop or colon that may end the "IN WITNESS WHEREOF" sentence, and a party's name that ends just before one
// ("… first written above ORCHID LANE, INC. TAMSIN …": the sentence has no full stop of its own, the name's is not one).
const SENTENCE_STOP = /[.:](?=\s|$)/g;
const NAME_BEFORE_STOP = new RegExp(String.raw`(?:\b[A-Z][A-Za-z0-9&'’-]*,?[ \t]+){0,4}\b${LEGAL_FORM}$`);
/** Where the "IN WITNESS WHEREOF" sentence ends on its line: its full stop or colon, else before the first party named on the line, else the line's end. */
function witnessSentenceEnd(text: string, witness: number): number {
  const line = /^[^\n]*/.exec(text.slice(witness))![0];
  for (const m of line.matchAll(SENTENCE_STOP)) {
    const name = NAME_BEFORE_STOP.exec(line.slice(0, m.index));
    return witness + (name ? name.index : m.index + 1);
  }
  return witness + line.length;
}

/** The text from `start` to `end` with the given ranges blanked out (same length: offsets stay the text's). */
function blanked(text: string, start: number, end: number, ranges: readonly (readonly [number, number])[]): string {
  let out = text.slice(start, end);
  for (const [from, to] of ranges) {
    const a = Math.max(from, start);
    const b = Math.min(to, end);
    if (a < b) out = out.slice(0, a - start) + " ".repeat(b - a) + out.slice(b - start);
  }
  return out;
}

export interface SignatureBlocks {
  readonly signatories: readonly Signatory[];
  /** Names written above a signature of their own that are none of the given parties ("THE BANKERS BANK" over "By: /s/ …"). */
  readonly signingParties: readonly Span[];
}

/** The parties with those named only above a signature of their own added ("THE BANKERS BANK" over "By: /s/ …"). */
export function withSigningParties(doc: ContractDocument, parties: readonly Party[], blocks = readSignatureBlocks(doc, parties)): Party[] {
  return [...parties, ...blocks.signingParties.map((span) => ({ name: span.quote.replace(/\s+/g, " "), span }))];
}

/** People who sign the contract: "By: /s/ Jane Doe  Name: Jane Doe  Title: CEO" blocks, flattened columns included. */
export function extractSignatories(doc: ContractDocument, parties: readonly Party[]): Signatory[] {
  return [...readSignatureBlocks(doc, parties).signatories];
}

/** The signature blocks: who signs, with what title, for which party; and the signing parties the given list misses. */
export function readSignatureBlocks(doc: ContractDocument, parties: readonly Party[]): SignatureBlocks {
  const text = doc.text;
  const witness = text.search(WITNESS);
  const from = Math.max(0, witness);
  const rows = rowsOf(text, fieldsOf(text, from));
  const out: Signatory[] = [];
  const signingParties: Span[] = [];
  let headingFrom = witness >= 0 ? witnessSentenceEnd(text, witness) : 0;
  const acting: [number, number][] = [];
  for (let r = 0; r < rows.length; ) {
    const row = rows[r]!;
    const kind = row[0]!.kind;
    // The block: this row, then the title rows and (under a signer row) the first name row beneath it.
    let next = r + 1;
    let named = kind === "name";
    while (next < rows.length && (rows[next]![0]!.kind === "title" || (rows[next]![0]!.kind === "name" && !named))) {
      named ||= rows[next]![0]!.kind === "name";
      next++;
    }
    const under = rows.slice(r + 1, next);
    const blockEnd = rows[next - 1]!.at(-1)!.end;
    const headingStart = Math.max(headingFrom, row[0]!.start - HEADING_WINDOW);
    // The heading with the companies that sign on a party's behalf blanked out (same length: offsets stay the text's).
    const heading = blanked(text, headingStart, row[0]!.start, acting);
    r = next;
    // "By: Harbour GP LLC, its General Partner": a company that signs for the party, not a signer; the party heading
    // above it stays the heading of the signer below.
    const value = row[0]!.value;
    const actingFor = kind === "by" && row.length === 1 && under.length === 0 && value ? ACTING_FOR.exec(text.slice(value.end, value.end + 80)) : null;
    if (actingFor) {
      acting.push([row[0]!.start, value!.end + actingFor[0].length]);
      continue;
    }
    headingFrom = blockEnd;
    if (kind === "title") continue;
    if (kind === "name") {
      // Names with no "By:" above them: a contact list when a heading or a phone/e-mail field says so.
      const tail = text.slice(blockEnd, rows[next]?.[0]?.start ?? text.length).slice(0, 300);
      const signatureNear = witness >= 0 || SIGNATURE_MARK.test(heading.slice(-300));
      if (!signatureNear || CONTACT_HEADING.test(heading.slice(-200)) || CONTACT_FIELD.test(tail)) continue;
    }
    const k = row.length;
    const names = kind === "name" ? row : under.find((x) => x[0]!.kind === "name" && x.length === k);
    const titles = under.find((x) => x[0]!.kind === "title" && (x.length === k || k === 1));
    const signedFor = headingParties(text, headingStart, heading, k, parties);
    row.forEach((f, i) => {
      const name = f.value ?? names?.[i]?.value;
      if (!name || name.quote.length < 3 || /^(?:Name|Title|Its|Date|Authorized|Signature)\b/.test(name.quote)) return;
      const shown = name.quote.replace(/\s+/g, " ");
      const party = signedFor[i] ?? partyNamedBefore(text, name.start, parties);
      // One person may sign for several parties: each heading is a signing party, the person one signatory.
      if (party?.span && !signingParties.some((p) => sameName(p.quote, party.span!.quote))) signingParties.push(party.span);
      if (out.some((s) => normalName(s.name) === normalName(shown)) || out.length >= 20) return;
      const title = titles?.[k === 1 ? 0 : i]?.value?.quote.replace(/\s+/g, " ");
      out.push({ name: shown, span: name, ...(title ? { title } : {}), ...(party ? { party: party.name } : {}) });
    });
  }
  return { signatories: out, signingParties };
}
