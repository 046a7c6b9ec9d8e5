import path from "node:path";

/**
 * A title people recognise: a real title the file format declares (an e-mail subject, an HTML
 * <title>, a PDF Title that is not "Microsoft Word - x.doc"), else the agreement's own name as its
 * heading or its opening sentence gives it ("SUPPLY AGREEMENT", "This Website Hosting Agreement
 * (the "Agreement")"), else the file name. Never an exhibit number, a form label
 * ("Effective Date:"), a navigation line, a whole paragraph, or a line holding personal data.
 */

/** Words that name a kind of legal document (generic vocabulary, no document's own words). */
const KIND =
  /\b(?:agreements?|contracts?|leases?|sublease|licen[cs]es?|amendments?|addend(?:um|a)|undertakings?|memorand(?:um|a)|deeds?|indentures?|guarant(?:ee|y)|warrants?|mortgages?|consents?|waivers?|releases?|settlements?|understanding|protocol|assignments?|nda|certificates?|arrangements?|plans?|polic(?:y|ies)|terms|conditions|charter|by-?laws|notes?|letters?|statements? of work|orders?|instruments?|covenants?|declarations?|bonds?|commitments?|proposals?)\b/i;
const HEAD_CHARS = 5000;
const MAX_TITLE_CHARS = 120;
const MAX_TITLE_WORDS = 14;

/**
 * An e-mail address: a name character, "@", a domain word, ".", a domain character. This matches where
 * `/[\w.+-]+@[\w-]+\.[\w.-]+/` does: the runs' other characters cannot change whether it matches. Written
 * with those runs, it read a name run to its end from each of its characters, so a long line without "@" cost
 * quadratic time (40,000 characters: 2.1 s of CPU unoptimised, 0.8 s optimised). Now a start fails at its second
 * character unless that is "@", and the domain run after an "@" ends at the next "@".
 */
const EMAIL = /[\w.+-]@[\w-]+\.[\w.-]/;

/** Personal data a title must never carry into lists, hits and citations. */
export function holdsPersonalData(line: string): boolean {
  if (EMAIL.test(line) || /\bhttps?:\/\/|\bwww\./i.test(line)) return true; // e-mail, web address
  // A phone number: a run of digits, spaces, dots, dashes and brackets holding 9 digits or more.
  return (line.match(/\+?\d[\d\s().-]{7,}\d/g) ?? []).some((run) => run.replace(/\D/g, "").length >= 9);
}

function clean(segment: string): string {
  return segment
    .replace(/\s+/g, " ")
    .replace(/^(?:exhibit|ex\.|schedule|annex|appendix|attachment)\s+[\w().-]{1,12}\s*[:.-]?\s*/i, "")
    .replace(/^[\s*#>•\-–—:;,.]+|[\s*:;,\-–—]+$/g, "")
    .trim();
}

/** Where a heading runs on past the name: "SUPPLY AGREEMENT between…", "…AGREEMENT (the "Agreement")", "…, dated as of". */
const RUN_ON = /,?\s+(?:by and between|by and among|between|among|dated|made|entered|regarding|effective as of|is made|this)\b|\s*\((?:the|this|hereinafter|herein)\b|\s*\(["“]|\s+(?:No\.?|Number|Ref\.?)\s*:|\s+\d+(?:\.\d+)+\s/i;
const KIND_GLOBAL = new RegExp(KIND.source, "gi");

/** Words that may sit between two document-kind words of one name ("LICENSE AND SUPPLY AGREEMENT"). */
const NAME_GAP = /^(?:[\s,&/-]|\b(?:and|of|for|to|the|on|in)\b|\b\p{Lu}[\p{L}\p{N}'’.-]*)*$/u;

/** The name inside a heading piece: cut where it runs on, end at its last document-kind word, once. */
function nameOf(piece: string): string {
  let name = piece;
  const run = RUN_ON.exec(name);
  if (run && run.index > 0) name = name.slice(0, run.index);
  const colon = name.indexOf(":");
  if (colon > 0 && KIND.test(name.slice(0, colon))) name = name.slice(0, colon);
  // End at the first document-kind word, extended over further ones while the words between are heading words.
  let end = -1;
  for (const m of name.matchAll(KIND_GLOBAL)) {
    if (end < 0 || NAME_GAP.test(name.slice(end, m.index))) end = m.index + m[0].length;
    else break;
  }
  if (end > 0) {
    // Keep a number that belongs to the name: "AMENDMENT NO. 2", "AGREEMENT 7", "ADDENDUM II".
    const number = /^(?:\s+(?:No\.?\s*|#\s*)?\d+[A-Za-z]?|\s+[IVXLC]{1,5})\b/.exec(name.slice(end));
    name = name.slice(0, end + (number?.[0].length ?? 0));
  }
  const words = name.trim().split(/\s+/);
  const half = words.length / 2;
  if (words.length % 2 === 0 && words.slice(0, half).join(" ").toLowerCase() === words.slice(half).join(" ").toLowerCase()) name = words.slice(0, half).join(" ");
  return clean(name);
}

/** Capitals or Title Case: a heading line, not prose. */
function isHeadingCase(line: string): boolean {
  const all = line.match(/\p{L}[\p{L}'’-]*/gu) ?? [];
  const words = all.filter((w) => w.length > 3);
  if (words.length === 0) return all.length > 0 && all.every((w) => /^\p{Lu}/u.test(w) || /^(?:of|to|the|and|for|on)$/i.test(w));
  return words.filter((w) => /^\p{Lu}/u.test(w)).length / words.length >= 0.75;
}

/** A heading cut short at the end of its line: "AMENDMENT NO. 1 TO" / "FIRST AMENDMENT TO THE". */
const CONTINUES = /(?:\b(?:to|of|and|the|for)|\bno\.?\s*\d+|#\s*\d+|\bamendment|\baddendum)$/i;

/** Could this piece of a heading line be the document's name? */
function isTitleLike(segment: string): boolean {
  if (segment.length < 5 || segment.length > MAX_TITLE_CHARS) return false;
  const words = segment.match(/[\p{L}\p{N}][\p{L}\p{N}'’&.-]*/gu) ?? [];
  if (words.length === 0 || words.length > MAX_TITLE_WORDS) return false;
  if (!KIND.test(segment) || holdsPersonalData(segment)) return false;
  if (/^(?:this|the|whereas|now|in witness|by|between|and|to|of|for|with|page|quicklinks|click)\b/i.test(segment)) return false;
  if (/[.;:]$|["“”]|\[\*+\]|\(the\b/i.test(segment)) return false;
  // Headings are written in capitals or Title Case; a lower-case run is prose.
  const letters = words.filter((w) => /^\p{L}/u.test(w) && w.length > 3);
  const capitalised = letters.filter((w) => /^\p{Lu}/u.test(w)).length;
  return letters.length > 0 && capitalised / letters.length >= 0.75;
}

/** The name an opening sentence gives the document: "This Supply Agreement (the "Agreement")…". */
function nameInPreamble(head: string): string | undefined {
  const m = /\b(?:This|THIS)\s+((?:[A-Z][\w&'’,-]*\s+(?:and\s+|AND\s+|of\s+|OF\s+|&\s+)?){0,8}(?:Agreement|AGREEMENT|Contract|CONTRACT|Lease|LEASE|License|LICENSE|Amendment|AMENDMENT|Undertaking|UNDERTAKING))\b/.exec(head);
  const name = m?.[1]?.replace(/\s+/g, " ").replace(/,$/, "").trim();
  return name && name.split(" ").length >= 2 ? name : undefined;
}

/** A readable name from a file name: "Acme%20NDA_v2.pdf" → "Acme NDA v2". */
export function titleFromFileName(fileName: string): string {
  let base = path.basename(fileName).replace(/\.[a-z0-9]{1,5}$/i, "");
  try {
    base = decodeURIComponent(base);
  } catch {
    // keep the raw name
  }
  return base.replace(/[_]+/g, " ").replace(/\s+/g, " ").trim();
}

/** A title the file format declares that is a real name (not "Microsoft Word - x.doc", not a label). */
function usableGivenTitle(givenTitle: string | undefined): string | undefined {
  const given = givenTitle ? clean(givenTitle) : "";
  if (given.length < 3 || given.length > MAX_TITLE_CHARS || holdsPersonalData(given)) return undefined;
  if (/^(?:microsoft\s+\w+\s*-|untitled|document\s*\d*$|exhibit\b|page\s+\d)/i.test(given) || /\.(?:docx?|pdf|txt|rtf|html?)$/i.test(given) || /:$/.test(given)) return undefined;
  return given;
}

/** The document's title; see the module comment for the order of preference. */
export function detectTitle(text: string, givenTitle?: string, fileName?: string): string {
  const given = usableGivenTitle(givenTitle);
  if (given) return given;
  const head = text.slice(0, HEAD_CHARS);
  // Heading lines often carry several pieces separated by wide gaps ("Exhibit 10.1   SUPPLY AGREEMENT   This…"),
  // and a long name may be set over several pieces or lines: read them as one stream of segments.
  const segments = head
    .split(/\n|\f/)
    .flatMap((line) => line.trim().split(/\s{3,}|\t/))
    .map((piece) => clean(piece.split(/\s+(?=(?:This|THIS|WHEREAS|Whereas)\b)/)[0]!))
    .filter((piece) => piece.length > 0)
    .slice(0, 120);
  for (const [i, segment] of segments.entries()) {
    const single = nameOf(segment);
    // "FIRST AMENDMENT TO SAGEBRUSH" ends mid-name: the next segment may finish it.
    const runsOn = /^\s*(?:to|of|and|for|on)\b/i.test(segment.slice(segment.indexOf(single) + single.length));
    if (isTitleLike(single) && /\s/.test(single) && !CONTINUES.test(segment) && !runsOn) return single;
    if (segment.length <= 80) {
      let joined = segment;
      for (const next of segments.slice(i + 1, i + 4)) {
        if (next.length > 80 || !isHeadingCase(next)) break;
        joined = `${joined} ${next}`;
        const candidate = nameOf(joined);
        if (isTitleLike(candidate) && candidate.split(/\s+/).length > single.split(/\s+/).length) return candidate;
      }
    }
    if (isTitleLike(single)) return single;
  }
  const preamble = nameInPreamble(head);
  if (preamble) return preamble;
  if (fileName) return titleFromFileName(fileName).slice(0, MAX_TITLE_CHARS) || "Untitled";
  return "Untitled";
}
