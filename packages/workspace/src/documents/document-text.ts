import fs from "node:fs";
import path from "node:path";
import { extractDocumentIsolated, markdownReaderText, rewriteMarkdownSource, sniffFormat } from "@bear/rag";
import type { PiiScrubResult } from "@bear/security";
import { BearWorkspaceError } from "../errors";

export interface DocumentText {
  /** Absolute path. */
  readonly input: string;
  readonly bytes: Buffer;
  /** The text BEAR works on: the file itself for plain text and Markdown, the extracted text otherwise. */
  readonly text: string;
  readonly format: string;
  /** Extension a derived text file should keep (".md" stays ".md"; extracted formats become ".txt"). */
  readonly extension: string;
  /**
   * The text a redaction scans: `text`, except for Markdown, whose comments and tags (attributes included) a reader
   * of the rendered file does not see but the file keeps: they follow `text`, each on lines of its own (rev14 R14-1).
   */
  readonly scanText: string;
  /**
   * The copy to write once `scanText` is scrubbed: the scrubbed text itself, except for Markdown, whose `text` is what a
   * reader sees (character references decoded, inline HTML removed: rev12 #15) and whose copy keeps its layout: the
   * source with each replacement over the source span its value came from.
   */
  copyOf(scrubbed: Pick<PiiScrubResult, "text" | "offsets">): string;
  /** The offset in the file's own text (`bytes` as UTF-8, for line and column) of an offset in `scanText`. */
  sourceOffset(offset: number): number;
}

const identity = (offset: number): number => offset;

/** Reads one document (txt, md, html, eml, pdf, docx) as text, with clear errors for missing or unreadable files. */
export async function readDocumentText(file: string): Promise<DocumentText> {
  const input = path.resolve(file);
  let bytes: Buffer;
  try {
    const stat = fs.statSync(input);
    if (!stat.isFile()) throw new BearWorkspaceError("INPUT_INVALID", `'${file}' is not a file`, { hint: "Give the path of one document." });
    bytes = fs.readFileSync(input);
  } catch (error) {
    if (error instanceof BearWorkspaceError) throw error;
    throw new BearWorkspaceError("INPUT_NOT_FOUND", `cannot read '${file}' (${(error as NodeJS.ErrnoException).code ?? "error"})`, {
      hint: "Check the path and that you may read the file.",
      cause: error,
    });
  }
  const sniffed = sniffFormat(bytes);
  if (sniffed === "markdown") {
    const source = bytes.toString("utf8");
    const reader = markdownReaderText(source);
    const copyOf = (scrubbed: Pick<PiiScrubResult, "text" | "offsets">): string =>
      rewriteMarkdownSource(
        source,
        reader,
        scrubbed.offsets.segments.filter((s) => s.replaced).map((s) => ({ start: s.originalStart, end: s.originalEnd, text: scrubbed.text.slice(s.scrubbedStart, s.scrubbedEnd) })),
      );
    return { input, bytes, text: reader.text, scanText: reader.scanText, format: sniffed, extension: path.extname(input) || ".md", copyOf, sourceOffset: (offset) => reader.sourceSpan(offset, offset).start };
  }
  if (sniffed === "text") {
    const text = bytes.toString("utf8");
    return { input, bytes, text, scanText: text, format: sniffed, extension: path.extname(input) || ".txt", copyOf: (scrubbed) => scrubbed.text, sourceOffset: identity };
  }
  // pdf.js and the other parsers run in a reader process (address-space cap, deadline), never here
  const extracted = await extractDocumentIsolated(input, bytes);
  return { input, bytes, text: extracted.text, scanText: extracted.text, format: extracted.format, extension: ".txt", copyOf: (scrubbed) => scrubbed.text, sourceOffset: identity };
}
