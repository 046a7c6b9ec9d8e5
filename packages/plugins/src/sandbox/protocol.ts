// The typed message channel between the host and a plugin's sandbox process. Every message is
// JSON (fork's "json" serialization) and is validated with these schemas on the receiving side.
import { z } from "zod";
import { EXTENSION_POINTS, type ExtensionPoint } from "../manifest/extension-points";
import { toolInputSchema } from "../extensions/tool-input-schema";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The one method each extension point exposes across the channel. */
export const EXTENSION_METHODS: Readonly<Record<ExtensionPoint, string>> = {
  "step-type": "run",
  agent: "invoke",
  "pii-recognizer": "recognize",
  extractor: "extract",
  embedder: "embed",
  tool: "call",
};

/** Host services a plugin may call back into, each behind the permission of the same name. */
export const HOST_SERVICES = ["embed"] as const;
export type HostService = (typeof HOST_SERVICES)[number];

/** True when `value` holds an own "__proto__" key anywhere; parsing would drop it silently. */
function hasProtoKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasProtoKey);
  if (value === null || typeof value !== "object") return false;
  return Object.hasOwn(value, "__proto__") || Object.values(value).some(hasProtoKey);
}

// A "__proto__" key is refused rather than dropped: the other side must get exactly what was sent.
const json = z
  .unknown()
  .refine((value) => !hasProtoKey(value), { message: 'a "__proto__" key cannot cross the sandbox channel' })
  .pipe(z.json());
const name = z.string().min(1).max(200);

export const remoteErrorSchema = z.object({ name: z.string().max(200), message: z.string().max(4000), code: z.string().max(200).optional() });

/** Static facts an implementation declares (read once at load time). */
export const extensionInfoSchema = z
  .object({
    description: z.string().max(500).optional(),
    /** embedder: vector size (required for embedders). */
    dimensions: z.number().int().positive().max(65536).optional(),
    /** extractor: file extensions it handles, e.g. [".rtf"]. */
    fileExtensions: z.array(z.string().regex(/^\.[a-z0-9]+$/)).max(50).optional(),
    /** pii-recognizer: entity types it reports. */
    entityTypes: z.array(z.string().max(100)).max(50).optional(),
    /** tool: JSON Schema of its arguments (required for tools). */
    inputSchema: toolInputSchema.optional(),
  })
  .strict();
export type ExtensionInfo = z.infer<typeof extensionInfoSchema>;

/** Arguments of one call: JSON values only (checked by the host before sending, and by the runner). */
export const callArgsSchema = z.array(json).max(16);

export const hostMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("load"),
    plugin: name,
    entry: z.string().min(1),
    provides: z.array(z.object({ point: z.enum(EXTENSION_POINTS), id: name })).min(1),
    /** Host services this plugin was granted (by permission). */
    services: z.array(z.enum(HOST_SERVICES)).default([]),
  }),
  z.object({ type: z.literal("call"), id: z.number().int().nonnegative(), extension: name, method: name, args: callArgsSchema }),
  z.object({ type: z.literal("service-result"), id: z.number().int().nonnegative(), value: json }),
  z.object({ type: z.literal("service-error"), id: z.number().int().nonnegative(), error: remoteErrorSchema }),
  /** The idle heartbeat: the runner answers with a pong of the same id from its event loop. */
  z.object({ type: z.literal("ping"), id: z.number().int().nonnegative() }),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;

export const runnerMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("ready"),
    extensions: z.array(z.object({ id: name, point: z.enum(EXTENSION_POINTS), info: extensionInfoSchema })),
  }),
  z.object({ type: z.literal("load-failed"), error: remoteErrorSchema }),
  z.object({ type: z.literal("result"), id: z.number().int().nonnegative(), value: json }),
  z.object({ type: z.literal("error"), id: z.number().int().nonnegative(), error: remoteErrorSchema }),
  z.object({ type: z.literal("service-call"), id: z.number().int().nonnegative(), service: z.enum(HOST_SERVICES), args: callArgsSchema }),
  z.object({ type: z.literal("pong"), id: z.number().int().nonnegative() }),
]);
export type RunnerMessage = z.infer<typeof runnerMessageSchema>;
