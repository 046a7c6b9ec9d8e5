/** One stretch of scrubbed text and the stretch of the original it came from. */
export interface OffsetSegment {
  readonly scrubbedStart: number;
  readonly scrubbedEnd: number;
  readonly originalStart: number;
  readonly originalEnd: number;
  /** True for a replacement (placeholder, mask, hash, token or removal), false for copied text. */
  readonly replaced: boolean;
}

/**
 * Maps spans of scrubbed text back to the original. Copied text maps character for character; a
 * span touching a replacement widens to the whole original entity (a citation never cuts one in half).
 */
export class OffsetMap {
  constructor(
    readonly segments: readonly OffsetSegment[],
    private readonly scrubbedLength: number,
    private readonly originalLength: number,
  ) {}

  private locate(pos: number, asEnd: boolean): number {
    // the segment holding the character at pos (or before pos for ends); binary search
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.segments[mid];
      if (!s) break;
      const inside = asEnd ? pos > s.scrubbedStart && pos <= s.scrubbedEnd : pos >= s.scrubbedStart && pos < s.scrubbedEnd;
      if (inside) {
        if (!s.replaced) return s.originalStart + (pos - s.scrubbedStart);
        return asEnd ? s.originalEnd : s.originalStart;
      }
      if (pos < s.scrubbedStart || (asEnd && pos === s.scrubbedStart)) hi = mid - 1;
      else lo = mid + 1;
    }
    return asEnd ? (pos <= 0 ? 0 : this.originalLength) : pos >= this.scrubbedLength ? this.originalLength : 0;
  }

  toOriginalSpan(start: number, end: number): { readonly start: number; readonly end: number } {
    const s = Math.max(0, Math.min(start, this.scrubbedLength));
    const e = Math.max(s, Math.min(end, this.scrubbedLength));
    const os = this.locate(s, false);
    if (e === s) {
      // an empty span where a value was removed stands for that value
      const removed = this.segments.find((g) => g.replaced && g.scrubbedStart === s && g.scrubbedEnd === s);
      return removed ? { start: removed.originalStart, end: removed.originalEnd } : { start: os, end: os };
    }
    return { start: os, end: Math.max(os, this.locate(e, true)) };
  }
}
