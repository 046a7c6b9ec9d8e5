import type { OcrPageResult } from "./ocr-engine";

/**
 * Tesseract's TSV output (one row per page, block, paragraph, line and word) to plain text in
 * reading order (words of a line joined by spaces, a blank line between paragraphs) and the mean
 * word confidence, the way Tesseract's own text renderer and tesseract.js report them.
 */
export function parseTesseractTsv(tsv: string): OcrPageResult {
  const paragraphs: string[][] = [];
  let lines: string[] = [];
  let words: string[] = [];
  let lineKey = "";
  let parKey = "";
  let confSum = 0;
  let confCount = 0;
  const flushLine = (): void => {
    if (words.length) lines.push(words.join(" "));
    words = [];
  };
  const flushPar = (): void => {
    flushLine();
    if (lines.length) paragraphs.push(lines);
    lines = [];
  };
  for (const row of tsv.split("\n")) {
    const cols = row.split("\t");
    if (cols.length < 12 || cols[0] !== "5") continue;
    const [, page, block, par, line, , , , , , conf, ...rest] = cols;
    const word = rest.join("\t").replace(/\r$/, "");
    const thisPar = `${page}.${block}.${par}`;
    const thisLine = `${thisPar}.${line}`;
    if (thisPar !== parKey) flushPar();
    else if (thisLine !== lineKey) flushLine();
    parKey = thisPar;
    lineKey = thisLine;
    if (!word.trim()) continue;
    words.push(word);
    const c = Number(conf);
    if (Number.isFinite(c) && c >= 0) {
      confSum += c;
      confCount++;
    }
  }
  flushPar();
  const text = paragraphs.map((p) => p.join("\n")).join("\n\n");
  return { text: text ? `${text}\n` : "", confidence: confCount ? confSum / confCount : 0 };
}
