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
const BOILERPLATE = ["script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form", "button", "iframe", "select"];
const BLOCK = /<\/?(p|div|section|article|main|br|hr|li|ul|ol|table|tr|h[1-6]|blockquote|pre|dd|dt|dl|title|address|figure|figcaption)\b[^>]*>/gi;

/** The main text of an HTML page: boilerplate (nav, header, footer, scripts…) removed, blocks on their own lines. */
export function htmlToText(html: string): { text: string; title?: string } {
  let source = html.replace(/<!--[\s\S]*?-->/g, " ");
  const titleMatch = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(source);
  const title = titleMatch ? decodeEntities(titleMatch[1] ?? "").replace(/\s+/g, " ").trim() : undefined;
  source = source.replace(/<head\b[\s\S]*?<\/head>/i, " ");
  for (const tag of BOILERPLATE) {
    source = source.replace(new RegExp(`<${tag}\\b[\\s\\S]*?<\\/${tag}>`, "gi"), " ");
  }
  // Prefer the page's declared main content when there is one.
  const main = /<main\b[^>]*>([\s\S]*?)<\/main>/i.exec(source) ?? /<article\b[^>]*>([\s\S]*?)<\/article>/i.exec(source);
  if (main?.[1] && main[1].replace(/<[^>]+>/g, "").trim().length > 0) source = main[1];
  const text = decodeEntities(
    source
      .replace(/<(td|th)\b[^>]*>/gi, "\t")
      .replace(BLOCK, "\n")
      .replace(/<[^>]+>/g, "")
      .replace(/[ \t\u00a0]+/g, " "),
  )
    .split("\n")
    .map((line) => line.trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return title ? { text, title } : { text };
}
