import fs from "node:fs";
import path from "node:path";
import { extractDocumentIsolated, sniffFormat } from "@bear/rag";
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
}

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
  if (sniffed === "text" || sniffed === "markdown") {
    return { input, bytes, text: bytes.toString("utf8"), format: sniffed, extension: path.extname(input) || ".txt" };
  }
  // pdf.js and the other parsers run in a reader process (address-space cap, deadline), never here
  const extracted = await extractDocumentIsolated(input, bytes);
  return { input, bytes, text: extracted.text, format: extracted.format, extension: ".txt" };
}
