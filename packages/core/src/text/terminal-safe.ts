/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts CSI/OSC sequences that move the cursor,
 * erase lines or set the window title; CR and LF fake or overwrite lines; BEL, BS), DEL, C1 controls (U+009B is a
 * one-character CSI on many terminals), the line and paragraph separators, and the bidirectional controls that reorder
 * what follows them on screen (U+202E shows "exe.txt" as "txt.exe"): embeddings, overrides, isolates, marks.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same but tab and line feed, which text of several lines is made of (CR still escaped: it overwrites a line). */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const UNSAFE_IN_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const visible = (ch: string): string => {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
};

/**
 * A string safe to print on a terminal: every control character and bidi control is written visibly as an escape
 * (ESC → `\x1b`, U+202E → `\u202e`), everything else is kept. For names and paths that did not come from the user's
 * own command line (file names found in a folder, an e-mail attachment's name, a document's title, messages that
 * quote them): a sender-chosen name must not rewrite the report on screen. `keepLines`: tabs and line feeds are kept,
 * for text of several lines (an answer quoting a document, streamed as it comes).
 */
export function terminalSafe(text: string, options: { readonly keepLines?: boolean } = {}): string {
  return text.replace(options.keepLines ? UNSAFE_IN_LINES : UNSAFE, visible);
}

/**
 * What JSON leaves raw and a terminal still acts on: DEL, the C1 controls, U+2028/9 and the bidi controls.
 * (`JSON.stringify` escapes C0 itself.) Outside its strings a JSON text holds none of these.
 */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const jsonEscape = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;

/**
 * `JSON.stringify(value, null, indent)` safe to print on a terminal. Each control character and bidi control
 * `terminalSafe` escapes, and JSON does not, is written as a `\uXXXX` escape. `JSON.parse` gives back the same
 * value. This is for the CLI's `--json` output: a hostile file name or title printed as JSON must not drive the
 * terminal either.
 */
export function terminalSafeJson(value: unknown, indent?: number): string {
  return (JSON.stringify(value, null, indent) ?? "null").replace(UNSAFE_IN_JSON, jsonEscape);
}
