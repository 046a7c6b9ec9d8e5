import { z } from "zod";
import { InvalidArgumentError, type Embedder, type EmbedOptions, type PiiSpan } from "@bear/core";
import { PluginProtocolError } from "../errors";
import type { ExtensionPoint } from "../manifest/plugin-manifest";
import type { ExtensionInfo, JsonValue } from "../sandbox/protocol";

/** Calls one method of one extension inside a plugin's sandbox. */
export type ExtensionInvoker = (plugin: string, extension: string, method: string, args: JsonValue[]) => Promise<JsonValue>;

export interface PluginExtension {
  /** The plugin providing it. */
  readonly plugin: string;
  /** The id from the manifest's provides[]. */
  readonly id: string;
  readonly point: ExtensionPoint;
  readonly description: string | undefined;
}

/** A PII span found by a plugin recognizer (offsets into the text, end exclusive). */
export interface RecognizedPii extends PiiSpan {
  readonly score?: number;
}

export interface PiiRecognizerExtension extends PluginExtension {
  readonly point: "pii-recognizer";
  readonly entityTypes: readonly string[];
  recognize(text: string): Promise<RecognizedPii[]>;
}

export interface StepTypeExtension extends PluginExtension {
  readonly point: "step-type";
  /** Runs the step with its JSON input (step parameters and upstream outputs) and returns its JSON output. */
  run(input: JsonValue): Promise<JsonValue>;
}

export interface AgentExtension extends PluginExtension {
  readonly point: "agent";
  invoke(input: JsonValue): Promise<JsonValue>;
}

export interface ExtractedDocument {
  readonly text: string;
  readonly metadata: Readonly<Record<string, string | number | boolean | null>>;
}

export interface ExtractorExtension extends PluginExtension {
  readonly point: "extractor";
  readonly fileExtensions: readonly string[];
  /** The plugin receives `{ fileName, base64 }` and returns `{ text, metadata? }`. */
  extract(content: Uint8Array, fileName: string): Promise<ExtractedDocument>;
}

/** A plugin embedder, usable wherever core's Embedder contract is expected. */
export interface EmbedderExtension extends PluginExtension, Embedder {
  readonly point: "embedder";
}

/** A tool agents and `tool_execution` steps may call: its arguments' JSON Schema, and the call into the sandbox. */
export interface ToolExtension extends PluginExtension {
  readonly point: "tool";
  /** A JSON Schema object (`type: "object"`); no `pattern` or `$ref` (see toolInputSchema). */
  readonly inputSchema: Readonly<Record<string, JsonValue>>;
  /** Calls the tool with its arguments (checked against `inputSchema` by the caller) and returns its JSON result. */
  call(args: Readonly<Record<string, JsonValue>>): Promise<JsonValue>;
}

export type AnyExtension = PiiRecognizerExtension | StepTypeExtension | AgentExtension | ExtractorExtension | EmbedderExtension | ToolExtension;

const MAX_TEXT = 10_000_000;
const spansSchema = z.array(
  z.object({ type: z.string().min(1).max(100), start: z.number().int().nonnegative(), end: z.number().int().nonnegative(), score: z.number().min(0).max(1).optional() }),
);
const extractedSchema = z.object({
  text: z.string().max(MAX_TEXT),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});

function check<T>(schema: z.ZodType<T>, value: unknown, plugin: string, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PluginProtocolError(plugin, `${what} ${issue?.path.join(".") ?? ""} ${issue?.message ?? "has the wrong shape"}`.replace(/\s+/g, " "));
  }
  return parsed.data;
}

/** Builds the host-side proxy of one sandboxed extension; every call crosses the channel and its result is validated. */
export function createExtensionProxy(plugin: string, id: string, point: ExtensionPoint, info: ExtensionInfo, invoke: ExtensionInvoker): AnyExtension {
  const base = { plugin, id, description: info.description };
  switch (point) {
    case "pii-recognizer":
      return {
        ...base,
        point,
        entityTypes: info.entityTypes ?? [],
        async recognize(text: string) {
          if (typeof text !== "string" || text.length > MAX_TEXT) throw new InvalidArgumentError("text", typeof text, `a string of at most ${MAX_TEXT} characters`);
          const spans = check(spansSchema, await invoke(plugin, id, "recognize", [text]), plugin, `${id}.recognize() result`);
          const bad = spans.find((s) => s.end <= s.start || s.end > text.length);
          if (bad) throw new PluginProtocolError(plugin, `${id}.recognize() returned span [${bad.start}, ${bad.end}) outside the text of length ${text.length}`);
          return spans.map((s) => ({ type: s.type, start: s.start, end: s.end, ...(s.score === undefined ? {} : { score: s.score }) }));
        },
      };
    case "step-type":
      return { ...base, point, run: (input: JsonValue) => invoke(plugin, id, "run", [input]) };
    case "agent":
      return { ...base, point, invoke: (input: JsonValue) => invoke(plugin, id, "invoke", [input]) };
    case "tool":
      return {
        ...base,
        point,
        inputSchema: (info.inputSchema ?? { type: "object" }) as Record<string, JsonValue>,
        call(args: Readonly<Record<string, JsonValue>>) {
          if (args === null || typeof args !== "object" || Array.isArray(args)) throw new InvalidArgumentError("tool arguments", args, "a JSON object");
          return invoke(plugin, id, "call", [args as JsonValue]);
        },
      };
    case "extractor":
      return {
        ...base,
        point,
        fileExtensions: info.fileExtensions ?? [],
        async extract(content: Uint8Array, fileName: string) {
          if (!(content instanceof Uint8Array)) throw new InvalidArgumentError("content", typeof content, "a Uint8Array");
          const base64 = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString("base64");
          const out = check(extractedSchema, await invoke(plugin, id, "extract", [{ fileName: String(fileName), base64 }]), plugin, `${id}.extract() result`);
          return { text: out.text, metadata: out.metadata ?? {} };
        },
      };
    case "embedder": {
      const dimensions = info.dimensions ?? 0;
      const vectorsSchema = z.array(z.array(z.number().finite()).length(dimensions));
      return {
        ...base,
        point,
        id,
        dimensions,
        async embed(texts: readonly string[], options?: EmbedOptions) {
          options?.signal?.throwIfAborted();
          if (!Array.isArray(texts) || texts.some((t) => typeof t !== "string")) throw new InvalidArgumentError("texts", texts, "an array of strings");
          const vectors = check(vectorsSchema, await invoke(plugin, id, "embed", [[...texts]]), plugin, `${id}.embed() result`);
          if (vectors.length !== texts.length) throw new PluginProtocolError(plugin, `${id}.embed() returned ${vectors.length} vectors for ${texts.length} texts`);
          return vectors.map((v) => Float32Array.from(v));
        },
      };
    }
  }
}
