// A PDF can be a flate bomb: a 500 KB file whose content stream inflates to 500 MB kept pdf.js busy
// for 21 s and 0.8 GB. Before pdf.js sees the file, every /FlateDecode stream is inflated once with
// its output counted and dropped, stopping as soon as the total passes the limit.
import zlib from "node:zlib";
import { ExtractionError } from "../errors";

/** Inflates zlib data, counting the output; stops once past `limit`. Broken data counts what it gave. */
function inflatedSize(data: Uint8Array, limit: number): Promise<number> {
  return new Promise((resolve) => {
    const inflate = zlib.createInflate({ chunkSize: 64 * 1024 });
    let size = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      resolve(size);
    };
    inflate.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        inflate.destroy();
        finish();
      }
    });
    inflate.on("end", finish);
    inflate.on("error", finish); // pdf.js tolerates damaged streams too; what inflated still counts
    inflate.end(data);
  });
}

/** Where each /FlateDecode stream's data lies: after `stream` + EOL, up to `endstream`. */
function* flateStreams(bytes: Uint8Array): Generator<Uint8Array> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const keyword = /stream\r?\n/g;
  for (let m = keyword.exec(text); m !== null; m = keyword.exec(text)) {
    const before = text.slice(Math.max(0, m.index - 4096), m.index);
    if (!/>>\s*$/.test(before) || before.endsWith("end")) continue;
    const dict = before.slice(before.lastIndexOf("<<"));
    const start = m.index + m[0].length;
    const end = text.indexOf("endstream", start);
    if (end < 0) return;
    if (/\/FlateDecode|\/Fl\b/.test(dict)) yield bytes.subarray(start, end);
    keyword.lastIndex = end + 9;
  }
}

/** Throws RAG_FILE_TOO_LARGE when the PDF's flate streams inflate to more than `maxUncompressedBytes` in total. */
export async function assertPdfStreamsWithinLimits(file: string, bytes: Uint8Array, maxUncompressedBytes: number): Promise<void> {
  let total = 0;
  for (const data of flateStreams(bytes)) {
    total += await inflatedSize(data, maxUncompressedBytes - total);
    if (total > maxUncompressedBytes) {
      throw new ExtractionError("RAG_FILE_TOO_LARGE", file, `PDF '${file}' has compressed streams that expand to more than ${maxUncompressedBytes} bytes`, {
        hint: "This looks like a flate bomb; if the document is genuine, split it or raise maxUncompressedBytes in the rag config.",
        details: { maxUncompressedBytes },
      });
    }
  }
}
