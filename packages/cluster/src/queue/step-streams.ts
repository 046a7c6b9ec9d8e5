import { randomBytes, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { ContentCipher } from "@bear/core";
import { ClusterError } from "../errors";

const CHANNEL_PREFIX = "bear:step-stream:";
/** A stream's id: its instance's home (16 hex digits), a dot, a UUID. */
export const STEP_STREAM_ID = /^[0-9a-f]{16}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What a step sends back while it runs, in order. */
interface StreamMessage {
  /** The stream it was written for (inside the sealed part: a message copied to another channel is dropped). */
  readonly id: string;
  readonly seq: number;
  readonly text: string;
}

/**
 * Text a step sends back to the instance waiting for it while it runs (the tokens of a
 * generation), on a pub/sub channel of its own: Redis only passes it on and keeps nothing, and
 * each message is sealed (bound to its stream) with the cipher ClusterNode gives: the workspace's
 * when it is encrypted, else the cluster's payload key (the one sealing payloads inside jobs).
 * The step's parameters name the stream's id; a message lost to a reconnect is not resent, so the
 * step's output must hold the whole result.
 *
 * An instance subscribes once, to the pattern of its own streams (`<prefix><home>.*`: one
 * PSUBSCRIBE on its subscriber connection, renewed by ioredis after a reconnect), and hands each
 * message to the reader of its stream: a SUBSCRIBE and an UNSUBSCRIBE per streamed call cost two
 * round trips each, and the pattern is the instance's own, so it never receives another
 * instance's tokens.
 */
export class StepStreams {
  readonly #readers = new Map<string, StepStreamReader>();
  /** This instance's part of its streams' ids (and channel pattern). */
  readonly #home = randomBytes(8).toString("hex");
  #subscribed: Promise<unknown> | undefined;

  /** `cipher`: the encrypted workspace's (throws while it has none: nothing goes in the clear), else the payload key's; undefined: in the clear (inline payloads only). */
  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly cipher: (() => ContentCipher) | undefined,
  ) {
    const pattern = this.#pattern;
    subscriber.on("pmessage", (subscribed: string, channel: string, message: string) => {
      if (subscribed === pattern) this.#readers.get(channel.slice(CHANNEL_PREFIX.length))?.receive(message);
    });
  }

  get #pattern(): string {
    return `${CHANNEL_PREFIX}${this.#home}.*`;
  }

  /** A new stream to read (this instance's pattern is subscribed once this resolves). Close it when the step settles. */
  async open(): Promise<StepStreamReader> {
    // a failed subscription (Redis unreachable) is tried again by the next stream opened
    await (this.#subscribed ??= this.subscriber.psubscribe(this.#pattern).catch((error: unknown) => {
      this.#subscribed = undefined;
      throw error;
    }));
    const id = `${this.#home}.${randomUUID()}`;
    const reader = new StepStreamReader(id, this.cipher, () => this.#readers.delete(id));
    this.#readers.set(id, reader);
    return reader;
  }

  /**
   * Writes to the stream `id` a step's parameters named (on the worker). Pieces written while a
   * message is on its way go out together in the next one, so a fast model costs fewer messages.
   */
  writer(id: string): StepStreamWriter {
    if (!STEP_STREAM_ID.test(id)) throw new ClusterError("STEP_PAYLOAD_INVALID", `'${id.slice(0, 60)}' is not a step stream id`, { retryable: false });
    let seq = 0;
    let buffered = "";
    let sending: Promise<void> | undefined;
    let failure: unknown;
    const send = async (): Promise<void> => {
      while (buffered.length > 0) {
        const plain = JSON.stringify({ id, seq: seq++, text: buffered } satisfies StreamMessage);
        buffered = "";
        const cipher = this.cipher?.();
        await this.publisher.publish(CHANNEL_PREFIX + id, cipher ? cipher.seal(plain, CHANNEL_PREFIX + id) : plain);
      }
    };
    const pump = (): void => {
      if (sending || buffered.length === 0 || failure !== undefined) return;
      sending = send()
        .catch((error: unknown) => {
          failure = error;
        })
        .finally(() => {
          sending = undefined;
          pump();
        });
    };
    return {
      write: (text: string): void => {
        buffered += text;
        pump();
      },
      flush: async (): Promise<void> => {
        while (sending) await sending;
        if (failure !== undefined) throw failure;
      },
    };
  }
}

/** The sending end of a step stream (see StepStreams). */
export interface StepStreamWriter {
  write(text: string): void;
  /** Resolves once everything written has been published (rejects if Redis refused it). */
  flush(): Promise<void>;
}

/**
 * The receiving end of a step stream: `next()` resolves with the next piece of text, or
 * undefined once `end()` was called and every piece received before it was read.
 */
export class StepStreamReader {
  readonly #pieces: string[] = [];
  #nextSeq = 0;
  #wake: (() => void) | undefined;
  #ended = false;
  #closed = false;

  constructor(
    readonly id: string,
    private readonly cipher: (() => ContentCipher) | undefined,
    private readonly onClose: () => void,
  ) {}

  receive(message: string): void {
    let parsed: StreamMessage;
    try {
      const cipher = this.cipher?.();
      parsed = JSON.parse(cipher ? cipher.open(message, CHANNEL_PREFIX + this.id) : message) as StreamMessage;
    } catch {
      return; // not sealed with this workspace's key for this stream, or no cipher yet: dropped
    }
    // in order and once: a piece out of order (after a lost one) ends what is streamed, the output has it all
    if (parsed.id !== this.id || parsed.seq !== this.#nextSeq || typeof parsed.text !== "string") return;
    this.#nextSeq++;
    this.#pieces.push(parsed.text);
    this.#wake?.();
  }

  /** The next piece, or undefined once the stream has ended (`end`) or been closed and nothing is left. */
  async next(): Promise<string | undefined> {
    for (;;) {
      const piece = this.#pieces.shift();
      if (piece !== undefined) return piece;
      if (this.#ended || this.#closed) return undefined;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }

  /** No more pieces will be waited for (the step settled); those received are still read. */
  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#wake?.();
    this.onClose();
  }
}
