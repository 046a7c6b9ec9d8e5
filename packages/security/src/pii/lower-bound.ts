/**
 * The first index in [0, length) at which `before(i)` is false, or `length`: a binary search over a list sorted so
 * that `before` holds for a prefix of it and for nothing after ("the first finding ending after x": `before` = ends
 * at or before x).
 */
export function lowerBound(length: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
