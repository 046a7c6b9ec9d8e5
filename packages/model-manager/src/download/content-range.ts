/** A `Content-Range: bytes <first>-<last>/<total>` header (RFC 9110 §14.4); `total` undefined for `*`. */
export interface ContentRange {
  readonly first: number;
  readonly last: number;
  readonly total: number | undefined;
}

export function parseContentRange(header: string | undefined): ContentRange | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15}|\*)$/.exec(header.trim());
  if (!match) return undefined;
  const first = Number(match[1]);
  const last = Number(match[2]);
  const total = match[3] === "*" ? undefined : Number(match[3]);
  if (last < first || (total !== undefined && last >= total)) return undefined;
  return { first, last, total };
}

/**
 * Why a 206 answer does not continue a partial file of `have` bytes (undefined when it does): it must start exactly
 * at `have`, run to the file's end, and name the same total length as the first answer.
 */
export function rangeMismatch(range: ContentRange | undefined, have: number, expectedTotal: number | undefined): string | undefined {
  if (range === undefined) return "the server's partial answer has no valid Content-Range";
  if (range.first !== have) return `the server resumed at byte ${range.first}, not ${have}`;
  if (range.total === undefined) return "the server's partial answer does not say the file's length";
  if (range.last !== range.total - 1) return "the server's partial answer stops before the file's end";
  if (expectedTotal !== undefined && range.total !== expectedTotal) return `the file's length changed (${expectedTotal} → ${range.total} bytes)`;
  return undefined;
}
