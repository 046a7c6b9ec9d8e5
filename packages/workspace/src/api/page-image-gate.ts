import { HttpError } from "./http-error";

/**
 * How much page-image drawing one API caller may ask for. A page image holds one of the server's two
 * PDF reader processes (shared with every upload's extraction and OCR) for up to its CPU budget: 30 s
 * for a PDF page, 10 s for an image file's page (@bear/rag's renderPageImage).
 */
export interface PageImageLimits {
  /**
   * Page images drawn at once, whoever asks (default 1: one of the two PDF readers, DEFAULT_PDF_PROCESSES,
   * is always left to uploads' extraction and OCR).
   */
  readonly total?: number;
  /** Page images drawn at once for one principal (default 1). */
  readonly perPrincipal?: number;
  /** Page images of one document drawn at once, whoever asks (default 1). */
  readonly perDocument?: number;
  /** Page images one principal may start per minute, sustained (default 30: one every 2 s). */
  readonly perMinute?: number;
  /** The burst above that rate a principal may start at once after a pause (default 10). */
  readonly burst?: number;
}

export const DEFAULT_PAGE_IMAGE_LIMITS: Required<PageImageLimits> = { total: 1, perPrincipal: 1, perDocument: 1, perMinute: 30, burst: 10 };
/** Buckets kept at most (principals seen recently); full ones are forgotten first. */
const MAX_BUCKETS = 10_000;
/** Retry-After of a refusal for concurrency: a page image is drawn in about this (a PDF page ~0.1-1 s of CPU). */
const BUSY_RETRY_MS = 1_000;

interface Bucket {
  tokens: number;
  at: number;
}

function busy(message: string, retryAfterMs: number, details: Record<string, unknown>): HttpError {
  return new HttpError(429, "PAGE_IMAGE_BUSY", message, {
    hint: `Retry after ${Math.ceil(retryAfterMs / 1000)} s (the Retry-After header); page images are drawn a few at a time per caller and per document.`,
    details: { ...details, retryAfterMs },
  });
}

/**
 * The page-image route's boundary: at most `total` drawings at once (one reader left to uploads), per
 * principal at most `perPrincipal` at once and `perMinute` started per minute (a token bucket of
 * `burst`), per document at most `perDocument` at once. A request past any of them is refused before
 * any reader work with 429 `PAGE_IMAGE_BUSY` and a Retry-After (when a drawing ends, or when the bucket
 * has a token again). It counts drawings, not the reader time each takes. In memory, per API instance.
 */
export class PageImageGate {
  readonly #limits: Required<PageImageLimits>;
  readonly #byPrincipal = new Map<string, number>();
  readonly #byDocument = new Map<string, number>();
  #drawing = 0;
  readonly #buckets = new Map<string, Bucket>();

  constructor(limits: PageImageLimits = {}, private readonly now: () => number = Date.now) {
    this.#limits = { ...DEFAULT_PAGE_IMAGE_LIMITS, ...limits };
  }

  /** Takes a place for `principal` drawing a page of `documentId`, or throws PAGE_IMAGE_BUSY (429). Call the returned function when the drawing ends. */
  enter(principal: string, documentId: string): () => void {
    const { total, perPrincipal, perDocument, perMinute, burst } = this.#limits;
    if (this.#drawing >= total) throw busy(`${this.#drawing} page image${this.#drawing === 1 ? " is" : "s are"} being drawn already (at most ${total} at once, so uploads keep a reader)`, BUSY_RETRY_MS, { limit: "total", max: total });
    const mine = this.#byPrincipal.get(principal) ?? 0;
    if (mine >= perPrincipal) throw busy(`${mine} page images are being drawn for this caller already (at most ${perPrincipal} at once)`, BUSY_RETRY_MS, { limit: "perPrincipal", max: perPrincipal });
    const theirs = this.#byDocument.get(documentId) ?? 0;
    if (theirs >= perDocument) throw busy(`${theirs} page images of this document are being drawn already (at most ${perDocument} at once)`, BUSY_RETRY_MS, { limit: "perDocument", max: perDocument });
    const now = this.now();
    const perMs = perMinute / 60_000;
    const bucket = this.#buckets.get(principal) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.#buckets.set(principal, bucket);
      throw busy(`this caller started more than ${perMinute} page images a minute`, Math.ceil((1 - bucket.tokens) / perMs), { limit: "perMinute", max: perMinute });
    }
    bucket.tokens -= 1;
    this.#remember(principal, bucket);
    this.#byPrincipal.set(principal, mine + 1);
    this.#byDocument.set(documentId, theirs + 1);
    this.#drawing++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#drawing--;
      decrement(this.#byPrincipal, principal);
      decrement(this.#byDocument, documentId);
    };
  }

  #remember(principal: string, bucket: Bucket): void {
    this.#buckets.delete(principal); // most recent last
    this.#buckets.set(principal, bucket);
    if (this.#buckets.size > MAX_BUCKETS) this.#buckets.delete(this.#buckets.keys().next().value!);
  }
}

function decrement(counts: Map<string, number>, key: string): void {
  const n = (counts.get(key) ?? 1) - 1;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}
