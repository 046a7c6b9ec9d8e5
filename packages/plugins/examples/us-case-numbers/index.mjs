// A BEAR plugin: a PII recognizer for U.S. federal court case numbers.
// Shape: <office>:<yy>-<type>-<number>[-<judge initials>...], e.g. "1:23-cv-04567" or "2:19-cr-00123-JAM-DB".
// The office is 1-2 digits, the year 2 digits, the type a docket type code, the number 3-6 digits.
const CASE_TYPES = ["cv", "cr", "mc", "mj", "md", "bk", "ap", "po", "sw", "gj", "misc"];
const PATTERN = new RegExp(String.raw`(?<![\w:-])\d{1,2}:\d{2}-(?:${CASE_TYPES.join("|")})-\d{3,6}(?:-[A-Z]{2,5})*(?![\w-])`, "gi");

export default {
  "us.case_number": {
    description: "U.S. federal court case numbers (PACER format)",
    entityTypes: ["US_CASE_NUMBER"],
    /** @param {string} text @returns {{ type: string, start: number, end: number, score: number }[]} */
    recognize(text) {
      const spans = [];
      for (const match of text.matchAll(PATTERN)) {
        spans.push({ type: "US_CASE_NUMBER", start: match.index, end: match.index + match[0].length, score: 0.95 });
      }
      return spans;
    },
  },
};
