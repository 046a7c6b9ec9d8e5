import { randomBytes } from "node:crypto";
import { DisposedError } from "@bear/core";

/**
 * Key material in a Buffer that is overwritten with zeros on dispose.
 *
 * What this guarantees: the bytes of *this* Buffer are zeroed when `dispose()` (or `using`) runs,
 * and the buffer cannot be read afterwards through this object. The Buffer is allocated with
 * `Buffer.allocUnsafeSlow`, so it does not share Node's pooled slab with unrelated data.
 *
 * What a JavaScript runtime cannot guarantee: copies made before dispose (by you, by string
 * conversion, by node:crypto's internal key objects or OpenSSL) are not zeroed; the garbage
 * collector may have moved or copied memory; the pages can be swapped to disk or land in a core
 * dump (there is no mlock in Node). Keep keys in SecureBuffers, never turn them into strings, and
 * dispose them as early as possible: that shrinks the window, it does not close it.
 */
export class SecureBuffer implements Disposable {
  #buffer: Buffer | undefined;

  private constructor(buffer: Buffer) {
    this.#buffer = buffer;
  }

  /** A copy of `bytes` (the caller should zero its own copy). */
  static from(bytes: Uint8Array): SecureBuffer {
    const b = Buffer.allocUnsafeSlow(bytes.length);
    b.set(bytes);
    return new SecureBuffer(b);
  }

  /** Takes ownership of `buffer` without copying: it will be zeroed on dispose. */
  static adopt(buffer: Buffer): SecureBuffer {
    return new SecureBuffer(buffer);
  }

  static random(length: number): SecureBuffer {
    const b = Buffer.allocUnsafeSlow(length);
    randomBytes(length).copy(b);
    return new SecureBuffer(b);
  }

  get disposed(): boolean {
    return this.#buffer === undefined;
  }

  get length(): number {
    return this.buffer.length;
  }

  /** The bytes; throws once disposed. Do not keep the reference beyond the SecureBuffer's life. */
  get buffer(): Buffer {
    if (!this.#buffer) throw new DisposedError("SecureBuffer");
    return this.#buffer;
  }

  dispose(): void {
    if (this.#buffer) {
      this.#buffer.fill(0);
      this.#buffer = undefined;
    }
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
