import type { ContentCipher, DocumentKeyring } from "@bear/core";
import { blindText } from "./search-terms";

/** Seals and opens stored strings when the index is encrypted (under the document's own key when there is a keyring); the identity otherwise. */
export class FieldSealer {
  constructor(
    private readonly cipher: ContentCipher | undefined,
    private readonly keyring: DocumentKeyring | undefined,
  ) {}

  get sealed(): boolean {
    return this.cipher !== undefined;
  }

  seal(value: string, documentId: string): string {
    if (!this.cipher) return value;
    return this.keyring ? this.keyring.seal(documentId, value) : this.cipher.seal(value);
  }

  open(value: unknown, documentId: string): string {
    if (!this.cipher) return String(value);
    return this.keyring ? this.keyring.open(documentId, String(value)) : this.cipher.open(String(value));
  }

  /** Destroys a deleted document's data key: its text in any copy of the index stays sealed for good. */
  shred(documentId: string): void {
    if (this.cipher) this.keyring?.destroy(documentId);
  }

  searchText(text: string): string {
    return this.cipher ? blindText(text, this.cipher) : text;
  }
}
