// Inflating untrusted data with its output counted: the zip and PDF bomb guards measure what an entry or
// a stream expands to without ever holding more than `limit` of it, stopping as soon as it passes.
import zlib from "node:zlib";

export interface CountedInflateOptions {
  /** Raw deflate (zip entries) rather than a zlib stream (PDF /FlateDecode). */
  readonly raw?: boolean;
  /** Also return the output (when it stayed within the limit). */
  readonly keep?: boolean;
  /** Broken data: "count" resolves with what inflated before the error (pdf.js tolerates damaged streams); "reject" rejects. */
  readonly onError: "count" | "reject";
}

/** Inflates `data`, counting the output; stops once past `limit` (the size returned is then just past it). */
export function inflateCounted(data: Uint8Array, limit: number, options: CountedInflateOptions): Promise<{ size: number; bytes?: Buffer }> {
  return new Promise((resolve, reject) => {
    const inflater = options.raw ? zlib.createInflateRaw({ chunkSize: 64 * 1024 }) : zlib.createInflate({ chunkSize: 64 * 1024 });
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      resolve(options.keep && size <= limit ? { size, bytes: Buffer.concat(chunks) } : { size });
    };
    inflater.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (options.keep) chunks.push(chunk);
      if (size > limit) {
        inflater.destroy();
        finish();
      }
    });
    inflater.on("end", finish);
    inflater.on("error", (error) => {
      if (options.onError === "count") finish();
      else if (!done) {
        done = true;
        reject(error);
      }
    });
    inflater.end(data);
  });
}
