import { jest } from "@jest/globals";
import { LanceIndex } from "../../src/store/lance-index";

/**
 * Spies on the store's document texts: they come as they are (read counts them, over every call),
 * except that the first read holds after its first text until `release()`.
 */
export class GatedTexts {
  read = 0;
  firstId: string | undefined;
  readonly texts;
  readonly #gate: Promise<void>;
  #release: () => void = () => undefined;

  constructor() {
    this.#gate = new Promise<void>((resolve) => (this.#release = resolve));
    const original = LanceIndex.prototype.documentTexts;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the spy's own `this` is the index
    const gated = this;
    this.texts = jest.spyOn(LanceIndex.prototype, "documentTexts").mockImplementation(async function* (this: LanceIndex, ...args: Parameters<typeof original>) {
      for await (const t of original.apply(this, args)) {
        gated.read++;
        yield t;
        if (gated.firstId === undefined) {
          gated.firstId = t.id;
          await gated.#gate;
        }
      }
    });
  }

  release(): void {
    this.#release();
  }
}
