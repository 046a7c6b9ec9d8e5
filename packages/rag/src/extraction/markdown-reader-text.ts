/**
 * The text a reader of a Markdown file sees, with a map back to the file (rev12 #15, Markdown part). A renderer shows
 * `&#106;&#97;ne` as "jane", `Ren&eacute;e` as "Renée" and `Ja<span>ne</span>` or `Ja<!-- -->ne` as "Jane": a scan of
 * the source sees none of these names, and a copy redacted "keeping its layout" still shows them. So the scan reads
 * this text, and each replacement is put back over the source span its value came from (`rewriteMarkdownSource`).
 *
 * Decoded: character references (`&#NNN;`, `&#xHH;`, named ones of HTML's Latin-1 set and the common punctuation),
 * as CommonMark does (a semicolon is required, an invalid code point becomes U+FFFD, an unknown name stays as written).
 * Removed: inline HTML tags and comments, which a renderer does not show, and emphasis delimiters (`Ja**ne**` shows
 * "Jane"). Backslash escapes show their character alone (`Jane\_Doe` shows "Jane_Doe", `\*` a star). Everything else
 * is copied: the map is exact, linear in the file (each search for a tag's end stops at the next "<").
 * Code spans are decoded too: a value written as references there is then replaced as well (over-redaction only).
 *
 * What the reader does not see is still in the file: a comment, a tag's attributes (`href="mailto:…"`, `alt`,
 * `title`), and text this reader takes for markup where a renderer shows it (`<b Jane Okafor, …>`, a `<!--` in a code
 * span closed paragraphs later). A redaction scans `scanText`: the reader's text, then the source of each removed tag
 * and comment on lines of its own, each mapped back to where it stands in the file (rev14 R14-1).
 */

const LATIN1_NAMES =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest " +
  "Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig " +
  "agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml";

/** Named references: HTML's Latin-1 set (U+00A0-U+00FF, in order), and the others that occur in documents. */
const NAMED: ReadonlyMap<string, string> = new Map([
  ...LATIN1_NAMES.split(" ").map((name, i): [string, string] => [name, String.fromCharCode(0xa0 + i)]),
  ...Object.entries({
    amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", OElig: "Œ", oelig: "œ", Scaron: "Š", scaron: "š", Yuml: "Ÿ", Zcaron: "Ž", zcaron: "ž",
    ndash: "–", mdash: "—", lsquo: "‘", rsquo: "’", sbquo: "‚", ldquo: "“", rdquo: "”", bdquo: "„", hellip: "…", bull: "•", trade: "™",
    euro: "€", dagger: "†", Dagger: "‡", permil: "‰", lsaquo: "‹", rsaquo: "›", ensp: "\u2002", emsp: "\u2003", thinsp: "\u2009", zwnj: "\u200c", zwj: "\u200d", commat: "@", period: ".", lowbar: "_",
  }),
]);

/** ASCII punctuation, which a backslash escapes (CommonMark): the renderer shows the character, not the backslash. */
const ESCAPABLE = /^[!-/:-@[-`{-~]$/;
const PUNCTUATION = /^[\p{P}\p{S}]$/u;
const WHITESPACE = /^\s$/;
const WORD = /^[\p{L}\p{N}]$/u;

/** A run of `*` or `_` a renderer takes as emphasis (it shows nothing of it), and the run it pairs with. */
interface Delimiter {
  readonly start: number;
  readonly end: number;
  partner: Delimiter | undefined;
}

/**
 * The emphasis delimiter runs of `source` that pair up, by their start. CommonMark's flanking rules decide which runs
 * may open or close (`*` also inside a word, `_` not: `snake_case` stays). A closer pairs with the nearest open run
 * of its character, within a paragraph. Whole runs pair (`***a*` takes all three stars). Where this differs from a
 * renderer it drops a star the renderer shows, never keeps one the renderer hides: a name split by emphasis is read
 * whole.
 */
function emphasisDelimiters(source: string): Map<number, Delimiter> {
  const paired = new Map<number, Delimiter>();
  const open: Record<string, Delimiter[]> = { "*": [], _: [] };
  const isSpace = (ch: string | undefined): boolean => ch === undefined || WHITESPACE.test(ch);
  const isPunct = (ch: string | undefined): boolean => ch !== undefined && PUNCTUATION.test(ch);
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === "\\") {
      if (ESCAPABLE.test(source[i + 1] ?? "")) i++; // an escaped star is shown
      continue;
    }
    if (ch === "\n" && /^[ \t]*(?:\n|$)/.test(source.slice(i + 1, i + 64))) {
      open["*"] = [];
      open._ = []; // a blank line ends the paragraph: no emphasis spans it
      continue;
    }
    if (ch !== "*" && ch !== "_") continue;
    let end = i + 1;
    while (source[end] === ch) end++;
    const before = source[i - 1];
    const after = source[end];
    const leftFlanking = !isSpace(after) && (!isPunct(after) || isSpace(before) || isPunct(before));
    const rightFlanking = !isSpace(before) && (!isPunct(before) || isSpace(after) || isPunct(after));
    const canOpen = ch === "*" ? leftFlanking : leftFlanking && (!rightFlanking || isPunct(before));
    const canClose = ch === "*" ? rightFlanking : rightFlanking && (!leftFlanking || isPunct(after));
    const stack = open[ch] ?? [];
    const opener = canClose ? stack.pop() : undefined;
    if (opener) {
      const closer: Delimiter = { start: i, end, partner: opener };
      opener.partner = closer;
      paired.set(opener.start, opener);
      paired.set(i, closer);
    } else if (canOpen) stack.push({ start: i, end, partner: undefined });
    i = end - 1;
  }
  return paired;
}

/** One stretch of the reader's text and the stretch of the source it came from. */
interface Piece {
  readonly readerStart: number;
  readonly readerLength: number;
  readonly sourceStart: number;
  readonly sourceLength: number;
  /** Copied character for character (else: a reference decoded, or a tag removed: readerLength 0). */
  readonly copied: boolean;
}

export interface MarkdownReaderText {
  /** What a reader of the rendered file sees (what ingest indexes). */
  readonly text: string;
  /**
   * What a redaction scans: `text`, then the source of every tag and comment removed from it, each after a blank line.
   * `text` is its prefix, so an offset of `text` is the same offset here.
   */
  readonly scanText: string;
  /** The source span a span of `scanText` came from; a span touching a reference or tag takes it whole. */
  sourceSpan(start: number, end: number): { readonly start: number; readonly end: number };
  /**
   * The emphasis delimiters outside the source span `start`-`end` that a replacement over it must remove too, or they
   * would show as stray stars: the partners of those inside it, and a pair with a delimiter that touches the span
   * between it and a letter or digit (`Ja**ne**`: a placeholder after "Ja**" would end the emphasis).
   */
  delimitersTakenWith(start: number, end: number): readonly { readonly start: number; readonly end: number }[];
  /**
   * The source spans a span of `scanText` came from, in order: one for the part in `text`, one for each removed tag or
   * comment it reaches into (none for the blank lines between them).
   */
  sourceSpans(start: number, end: number): readonly { readonly start: number; readonly end: number }[];
}

/** Between the reader's text and each removed tag or comment in `scanText`: no recognizer reads a value across it. */
const HIDDEN_SEPARATOR = "\n\n";

/** The character a reference at `at` ("&…;") stands for, and its length in the source; undefined when it is none. */
function referenceAt(source: string, at: number): { readonly text: string; readonly length: number } | undefined {
  const semicolon = source.indexOf(";", at + 2);
  if (semicolon < 0 || semicolon - at > 33) return undefined;
  const body = source.slice(at + 1, semicolon);
  let code: number | undefined;
  if (/^#[0-9]{1,7}$/.test(body)) code = Number(body.slice(1));
  else if (/^#[xX][0-9a-fA-F]{1,6}$/.test(body)) code = parseInt(body.slice(2), 16);
  if (code !== undefined) {
    const valid = code > 0 && code < 0x110000 && !(code >= 0xd800 && code <= 0xdfff);
    return { text: valid ? String.fromCodePoint(code) : "\ufffd", length: body.length + 2 };
  }
  const named = /^[A-Za-z][A-Za-z0-9]*$/.test(body) ? NAMED.get(body) : undefined;
  return named === undefined ? undefined : { text: named, length: body.length + 2 };
}

/** The length of an inline HTML tag or comment at `at` ("<"), or 0 when none starts there. */
function markupAt(source: string, at: number, commentAbsentFrom: { value: number }): number {
  if (source.startsWith("<!--", at)) {
    if (at >= commentAbsentFrom.value) return 0;
    const close = source.indexOf("-->", at + 4);
    if (close < 0) {
      commentAbsentFrom.value = at; // no comment closes after here: never search again
      return 0;
    }
    return close + 3 - at;
  }
  // <name …>, </name>, <name/>: a letter after "<" (or "</"), then anything but "<" up to ">"
  const nameAt = source[at + 1] === "/" ? at + 2 : at + 1;
  if (!/[A-Za-z]/.test(source[nameAt] ?? "")) return 0;
  let end = nameAt + 1;
  while (end < source.length && /[A-Za-z0-9-]/.test(source[end] ?? "")) end++;
  // an autolink (<https://…>, <jane@example.com>) or "a<b" is shown as text: the name must end the tag or meet a space
  if (source[end] !== ">" && source[end] !== "/" && !/\s/.test(source[end] ?? "")) return 0;
  for (let i = end; i < source.length; i++) {
    if (source[i] === ">") return i + 1 - at;
    if (source[i] === "<") return 0;
  }
  return 0;
}

/** The text a reader of the Markdown `source` sees, and the way back to the source. */
export function markdownReaderText(source: string): MarkdownReaderText {
  const pieces: Piece[] = [];
  const out: string[] = [];
  let readerLength = 0;
  let copiedFrom = 0;
  const commentAbsentFrom = { value: Infinity };
  const delimiters = emphasisDelimiters(source);
  /** Tags and comments the reader does not see, in source order (scanned after the text: they stay in the file). */
  const removed: { readonly start: number; readonly end: number }[] = [];
  const flushCopy = (to: number): void => {
    if (to > copiedFrom) {
      pieces.push({ readerStart: readerLength, readerLength: to - copiedFrom, sourceStart: copiedFrom, sourceLength: to - copiedFrom, copied: true });
      out.push(source.slice(copiedFrom, to));
      readerLength += to - copiedFrom;
    }
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch !== "&" && ch !== "<" && ch !== "\\" && ch !== "*" && ch !== "_") continue;
    // a backslash escape shows the character itself, an emphasis delimiter nothing
    const escaped = ch === "\\" && ESCAPABLE.test(source[i + 1] ?? "") ? (source[i + 1] ?? "") : undefined;
    const delimiter = ch === "*" || ch === "_" ? delimiters.get(i) : undefined;
    const reference = ch === "&" ? referenceAt(source, i) : undefined;
    const markup = ch === "<" ? markupAt(source, i, commentAbsentFrom) : 0;
    const length = escaped !== undefined ? 2 : delimiter ? delimiter.end - delimiter.start : (reference?.length ?? markup);
    if (length === 0) continue;
    flushCopy(i);
    const text = escaped ?? reference?.text ?? "";
    if (markup > 0) removed.push({ start: i, end: i + length });
    pieces.push({ readerStart: readerLength, readerLength: text.length, sourceStart: i, sourceLength: length, copied: false });
    out.push(text);
    readerLength += text.length;
    copiedFrom = i + length;
    i += length - 1;
  }
  flushCopy(source.length);
  const text = out.join("");
  // pieces that hold reader characters, in order (removed tags hold none)
  const holding = pieces.filter((p) => p.readerLength > 0);
  const locate = (pos: number, asEnd: boolean): number => {
    let lo = 0;
    let hi = holding.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = holding[mid];
      if (!p) break;
      const from = p.readerStart;
      const to = p.readerStart + p.readerLength;
      if (asEnd ? pos > from && pos <= to : pos >= from && pos < to) {
        if (p.copied) return p.sourceStart + (pos - from);
        return asEnd ? p.sourceStart + p.sourceLength : p.sourceStart;
      }
      if (asEnd ? pos <= from : pos < from) hi = mid - 1;
      else lo = mid + 1;
    }
    return asEnd ? (pos <= 0 ? 0 : source.length) : pos >= text.length ? source.length : 0;
  };
  const delimiterList = [...delimiters.values()].sort((a, b) => a.start - b.start);
  // each removed tag or comment after a blank line: where it starts in scanText
  const hiddenAt: number[] = [];
  const scanParts = [text];
  let scanLength = text.length;
  for (const r of removed) {
    scanLength += HIDDEN_SEPARATOR.length;
    hiddenAt.push(scanLength);
    scanParts.push(HIDDEN_SEPARATOR, source.slice(r.start, r.end));
    scanLength += r.end - r.start;
  }
  const scanText = scanParts.join("");
  /** The part of [start, end) in `text`, mapped as before (a span touching a reference or tag takes it whole). */
  const visibleSpan = (start: number, end: number): { start: number; end: number } => {
    const s = Math.max(0, Math.min(start, text.length));
    const e = Math.max(s, Math.min(end, text.length));
    const from = locate(s, false);
    return { start: from, end: e === s ? from : Math.max(from, locate(e, true)) };
  };
  /** The removed piece whose scanText stretch holds `pos` (or the last one starting at or before it), -1 for none. */
  const hiddenIndex = (pos: number): number => {
    let lo = 0;
    let hi = hiddenAt.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((hiddenAt[mid] as number) <= pos) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  const sourceSpans = (start: number, end: number): { start: number; end: number }[] => {
    const s = Math.max(0, Math.min(start, scanLength));
    const e = Math.max(s, Math.min(end, scanLength));
    const spans: { start: number; end: number }[] = [];
    if (s < text.length || (s === e && s === text.length && removed.length === 0)) spans.push(visibleSpan(s, e));
    for (let k = Math.max(0, hiddenIndex(s)); k < removed.length && (hiddenAt[k] as number) < Math.max(e, s + 1); k++) {
      const at = hiddenAt[k] as number;
      const piece = removed[k] as { start: number; end: number };
      const from = Math.max(s, at);
      const to = Math.min(e, at + (piece.end - piece.start));
      if (from < to || (s === e && from === s && s < at + (piece.end - piece.start))) spans.push({ start: piece.start + (from - at), end: piece.start + (to - at) });
    }
    return spans;
  };
  return {
    text,
    scanText,
    sourceSpan(start, end) {
      if (start < text.length || removed.length === 0) return visibleSpan(start, end);
      const spans = sourceSpans(start, end);
      const first = spans[0];
      if (first === undefined) {
        // only blank lines between removed pieces: the start of the next piece (or the end of the file)
        const next = removed[hiddenIndex(start) + 1];
        const at = next?.start ?? source.length;
        return { start: at, end: at };
      }
      return { start: first.start, end: (spans[spans.length - 1] as { end: number }).end };
    },
    delimitersTakenWith(start, end) {
      // the first delimiter at or after `start` (binary search), then those inside the span
      let lo = 0;
      let hi = delimiterList.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((delimiterList[mid]?.start ?? 0) < start) lo = mid + 1;
        else hi = mid;
      }
      const out = new Map<number, { start: number; end: number }>();
      const take = (d: Delimiter | undefined): void => {
        if (d && (d.end <= start || d.start >= end)) out.set(d.start, { start: d.start, end: d.end });
      };
      for (let k = lo; k < delimiterList.length; k++) {
        const d = delimiterList[k];
        if (!d || d.end > end) break;
        take(d.partner);
      }
      const touching = [delimiterList[lo - 1], delimiterList[lo]].filter((d) => d && ((d.end === start && WORD.test(source[d.start - 1] ?? "")) || (d.start === end && WORD.test(source[d.end] ?? ""))));
      for (const d of touching) {
        take(d);
        take(d?.partner);
      }
      return [...out.values()];
    },
    sourceSpans,
  };
}

/**
 * The Markdown source with each replacement (spans of `scanText`, not overlapping) written over the source span its
 * value came from: the layout, links and markup stay, and no value survives as references, split by tags, or inside a
 * comment or an attribute. A value that reaches over into a second piece of the source (a removed tag or comment) has
 * that part deleted.
 */
export function rewriteMarkdownSource(source: string, reader: MarkdownReaderText, replacements: readonly { readonly start: number; readonly end: number; readonly text: string }[]): string {
  const taken = replacements.flatMap((r) => reader.sourceSpans(r.start, r.end).map((span, i) => ({ ...span, text: i === 0 ? r.text : "" })));
  // a replacement that takes one delimiter of an emphasis pair takes the other too (`Ja**ne**` → `<PERSON_1>`)
  const partners = taken.flatMap((span) => reader.delimitersTakenWith(span.start, span.end).map((p) => ({ ...p, text: "" })));
  // the longer of two spans from one place first: it writes its replacement, the other is inside it
  const spans = [...taken, ...partners].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: string[] = [];
  let at = 0;
  for (const span of spans) {
    // inside one already replaced (two values in one reference, or a value in a tag a visible value took whole): the
    // replacement written there stands, and whatever of this one runs past it is deleted too
    if (span.start < at) {
      at = Math.max(at, span.end);
      continue;
    }
    out.push(source.slice(at, span.start), span.text);
    at = span.end;
  }
  out.push(source.slice(at));
  return out.join("");
}
