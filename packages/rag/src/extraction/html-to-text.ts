const NAMED: Readonly<Record<string, string>> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", sect: "§", para: "¶", copy: "©", reg: "®",
  ndash: "–", mdash: "—", lsquo: "‘", rsquo: "’", ldquo: "“", rdquo: "”", hellip: "…", bull: "•", trade: "™",
};

/** Decodes the HTML character references that occur in real documents. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

// Elements that never carry the document's main text.
const BOILERPLATE = new Set(["script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form", "button", "iframe", "select", "head"]);
const BLOCK = new Set(["p", "div", "section", "article", "main", "br", "hr", "li", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt", "dl", "title", "address", "figure", "figcaption"]);

// Every pass below is linear in the page: each search starts where the last one ended, and a search
// that found nothing is not repeated (an uploaded page of 400 KB of "<script " took 3.9 s with
// regexes that rescanned to the end from every opening).

/** Case-insensitive searches of ASCII needles in one text, remembering where a needle is known to be absent. */
class Finder {
  readonly #absentFrom = new Map<string, number>();
  readonly #patterns = new Map<string, RegExp>();
  constructor(readonly text: string) {}

  /** The index of `needle` at or after `from`, or -1. */
  find(needle: string, from: number): number {
    const absent = this.#absentFrom.get(needle);
    if (absent !== undefined && from >= absent) return -1;
    let pattern = this.#patterns.get(needle);
    if (pattern === undefined) {
      pattern = new RegExp(needle.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"), "gi");
      this.#patterns.set(needle, pattern);
    }
    pattern.lastIndex = from;
    const found = pattern.exec(this.text);
    if (found === null) {
      this.#absentFrom.set(needle, Math.min(absent ?? Infinity, from));
      return -1;
    }
    return found.index;
  }
}

/** The lower-case name of the opening tag whose "<" is at `at` ("" for a closing tag, comment or text). */
function openingTagName(text: string, at: number): string {
  let end = at + 1;
  while (end < text.length && end - at <= 16 && /[A-Za-z0-9]/.test(text[end] ?? "")) end++;
  if (end === at + 1 || !/[A-Za-z]/.test(text[at + 1] ?? "")) return "";
  return text.slice(at + 1, end).toLowerCase();
}

/** `<tag>` ends at a name boundary: "<navigation>" is not "<nav>". */
function isNameEnd(text: string, at: number): boolean {
  return at >= text.length || !/[A-Za-z0-9]/.test(text[at] ?? "");
}

/** The page (comments already removed) without the elements that never carry its text (each replaced by a space). */
function withoutBoilerplate(html: string): string {
  const find = new Finder(html);
  const out: string[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt < 0) break;
    out.push(html.slice(i, lt));
    const name = openingTagName(html, lt);
    if (BOILERPLATE.has(name)) {
      const close = find.find(`</${name}>`, lt + 1 + name.length);
      if (close >= 0) {
        out.push(" ");
        i = close + name.length + 3;
        continue;
      }
    }
    out.push("<");
    i = lt + 1;
  }
  if (i < html.length) out.push(html.slice(i));
  return out.join("");
}

/** The content of the first `<tag …>…</tag>`, or undefined. */
function elementContent(find: Finder, tag: string): string | undefined {
  const text = find.text;
  let from = 0;
  for (;;) {
    const open = find.find(`<${tag}`, from);
    if (open < 0) return undefined;
    from = open + tag.length + 1;
    if (!isNameEnd(text, from)) continue;
    const gt = find.find(">", from);
    if (gt < 0) return undefined;
    const close = find.find(`</${tag}>`, gt + 1);
    return close < 0 ? undefined : text.slice(gt + 1, close);
  }
}

/** Tags removed, table cells as tabs and blocks on their own lines; a "<" with no ">" after it stays text. */
function tagsToText(source: string): string {
  const find = new Finder(source);
  const out: string[] = [];
  let i = 0;
  while (i < source.length) {
    const lt = source.indexOf("<", i);
    if (lt < 0) break;
    const gt = lt + 1 < source.length && source[lt + 1] !== ">" ? find.find(">", lt + 1) : -1;
    if (gt < 0) {
      out.push(source.slice(i, lt + 1));
      i = lt + 1;
      continue;
    }
    out.push(source.slice(i, lt));
    const closing = source[lt + 1] === "/";
    const name = openingTagName(source, closing ? lt + 1 : lt);
    if (!closing && (name === "td" || name === "th")) out.push("\t");
    else if (BLOCK.has(name)) out.push("\n");
    i = gt + 1;
  }
  if (i < source.length) out.push(source.slice(i));
  return out.join("");
}

/** The main text of an HTML page: boilerplate (nav, header, footer, scripts…) removed, blocks on their own lines. */
export function htmlToText(html: string): { text: string; title?: string } {
  const uncommented = withoutComments(html);
  const titleText = elementContent(new Finder(uncommented), "title");
  const title = titleText !== undefined ? decodeEntities(titleText).replace(/\s+/g, " ").trim() : undefined;
  let source = withoutBoilerplate(uncommented);
  // Prefer the page's declared main content when there is one.
  const find = new Finder(source);
  const main = elementContent(find, "main") ?? elementContent(find, "article");
  if (main !== undefined && tagsToText(main).trim().length > 0) source = main;
  const text = decodeEntities(tagsToText(source).replace(/[ \t\u00a0]+/g, " "))
    .split("\n")
    .map((line) => line.trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return title ? { text, title } : { text };
}

/** The page with its comments replaced by spaces (an unclosed comment runs to the end, as in browsers). */
function withoutComments(html: string): string {
  const find = new Finder(html);
  const out: string[] = [];
  let i = 0;
  for (let open = find.find("<!--", 0); open >= 0; open = find.find("<!--", i)) {
    out.push(html.slice(i, open), " ");
    const end = find.find("-->", open + 4);
    i = end < 0 ? html.length : end + 3;
  }
  out.push(html.slice(i));
  return out.join("");
}
