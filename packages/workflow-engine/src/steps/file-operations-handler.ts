import { realpathSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { confinePath, nullAuditSink, type AuditSink } from "@bear/core";
import { z } from "zod";
import { StepFailedError } from "../errors";
import type { JsonValue } from "../execution/json-value";
import type { StepContext, StepHandler } from "./step-handler";
import { WorkflowFiles, type WorkflowFilesOptions } from "./workflow-files";

const relPath = z.string().min(1).max(4096);

export const fileOperationsParameters = z.discriminatedUnion("operation", [
  z.strictObject({ operation: z.literal("read"), path: relPath }),
  z.strictObject({ operation: z.literal("write"), path: relPath, content: z.string(), overwrite: z.boolean().default(true) }),
  z.strictObject({ operation: z.literal("append"), path: relPath, content: z.string() }),
  z.strictObject({ operation: z.literal("list"), path: relPath.default(".") }),
  z.strictObject({ operation: z.literal("exists"), path: relPath }),
  z.strictObject({ operation: z.literal("mkdir"), path: relPath }),
  z.strictObject({ operation: z.literal("delete"), path: relPath }),
]);
export type FileOperationsParameters = z.infer<typeof fileOperationsParameters>;

export interface FileOperationsOptions extends WorkflowFilesOptions {
  /** Largest file `read` returns, in bytes (default 10 MiB). */
  readonly maxReadBytes?: number;
  /** Writes and deletes are reported here. */
  readonly audit?: AuditSink;
}

/**
 * The built-in `file_operations` step: read, write, append, list, exists, mkdir, delete inside the
 * workspace (with `matterFolders`, inside the run's matter area only; with `cipher`, sealed at rest).
 */
export function fileOperationsHandler(options: FileOperationsOptions): StepHandler<FileOperationsParameters> {
  const files = new WorkflowFiles(options);
  const maxRead = options.maxReadBytes ?? 10 * 1024 * 1024;
  const audit = options.audit ?? nullAuditSink;

  const record = async (ctx: StepContext<FileOperationsParameters>, outcome: "success" | "denied" | "failure"): Promise<void> => {
    await audit.record({
      action: `workflow.file.${ctx.parameters.operation}`,
      outcome,
      // the run's starter: a principal's workflow writing in its matter area is that principal's act
      actor: ctx.actor ?? "system",
      resource: ctx.runId,
      ...(ctx.matter === undefined ? {} : { matter: ctx.matter }),
      details: { stepId: ctx.stepId, operation: ctx.parameters.operation },
    });
  };

  const run = async (ctx: StepContext<FileOperationsParameters>, root: string, stored: Map<string, string>): Promise<JsonValue> => {
    const p = ctx.parameters;
    const rel = (abs: string): string => path.relative(root, abs).split(path.sep).join("/") || ".";
    ctx.signal.throwIfAborted();
    const target = confinePath(root, p.path);
    // where the target is kept (its sealed name in a sealed area), confined again as stored
    const locate = async (create: "folder" | "file" | false): Promise<string> => {
      const at = await files.locate(ctx.stepId, root, target, create);
      if (at !== target) {
        stored.set(at, target);
        confinePath(root, path.relative(root, at));
      }
      return at;
    };
    switch (p.operation) {
      case "read": {
        const at = await locate(false);
        const stat = await fs.stat(at);
        if (!stat.isFile()) throw new StepFailedError(ctx.stepId, `'${p.path}' is not a file`);
        if (stat.size > maxRead) throw new StepFailedError(ctx.stepId, `'${p.path}' is ${stat.size} bytes, more than the read limit of ${maxRead}`);
        const content = await files.read(at, ctx.signal);
        return { path: rel(target), content, bytes: Buffer.byteLength(content) };
      }
      case "write": {
        const at = await locate("file");
        confinePath(root, p.path); // the folders just created must not have changed where it leads
        await files.write(at, p.content, { overwrite: p.overwrite, signal: ctx.signal });
        return { path: rel(target), bytes: Buffer.byteLength(p.content) };
      }
      case "append": {
        await files.append(await locate("file"), p.content, ctx.signal);
        return { path: rel(target), bytes: Buffer.byteLength(p.content) };
      }
      case "list":
        return { path: rel(target), entries: (await files.list(await locate(false))).map((e) => ({ ...e })) };
      case "exists": {
        const exists = await fs.stat(await locate(false)).then(
          () => true,
          () => false,
        );
        return { path: rel(target), exists };
      }
      case "mkdir":
        await locate("folder");
        return { path: rel(target) };
      case "delete": {
        if (target === root) throw new StepFailedError(ctx.stepId, "refusing to delete the root of the file area");
        const at = await locate(false);
        const stat = await fs.lstat(at);
        if (stat.isDirectory()) throw new StepFailedError(ctx.stepId, `'${p.path}' is a directory; only files are deleted`);
        await files.remove(at);
        return { path: rel(target), deleted: true };
      }
    }
  };

  return {
    type: "file_operations",
    parameters: fileOperationsParameters,
    async execute(ctx) {
      const sensitive = ctx.parameters.operation === "write" || ctx.parameters.operation === "append" || ctx.parameters.operation === "delete";
      const root = await files.areaOf(ctx.stepId, ctx.matter);
      const stored = new Map<string, string>();
      try {
        const out = await run(ctx, root, stored);
        if (sensitive) await record(ctx, "success");
        return out;
      } catch (error) {
        const denied = (error as { code?: unknown }).code === "PATH_OUTSIDE_WORKSPACE";
        if (sensitive || denied) await record(ctx, denied ? "denied" : "failure");
        throw inCallersTerms(error, root, ctx.stepId, stored);
      }
    },
  };
}

/**
 * The error as the workflow's author may see it: every mention of the server folder the files live
 * in becomes '.', the caller's own area (a run's error reaches API callers, who must not learn
 * where the server keeps its data). Rewritten in place, so its class, code and retry policy stay.
 */
function inCallersTerms(error: unknown, root: string, stepId: string, stored: ReadonlyMap<string, string> = new Map()): Error {
  // duck-typed: errors from node:fs may come from another realm (instanceof Error fails there)
  if (typeof error !== "object" || error === null || typeof (error as Error).message !== "string") return new StepFailedError(stepId, "an unknown error");
  const roots = [root, ...realRoot(root)].sort((a, b) => b.length - a.length);
  // a sealed name is shown as the name the step used
  const named = (text: string): string => [...stored].sort(([a], [b]) => b.length - a.length).reduce((t, [at, target]) => t.split(at).join(target), text);
  const relative = (text: string): string => roots.reduce((t, r) => t.split(`${r}${path.sep}`).join("").split(r).join("."), named(text));
  const fields = error as Error & Record<string, unknown>;
  for (const key of ["message", "stack", "hint", "path", "dest"]) {
    const value = fields[key];
    if (typeof value === "string") Object.defineProperty(error, key, { value: relative(value), writable: true, configurable: true, enumerable: Object.keys(error).includes(key) });
  }
  const details = fields["details"];
  if (typeof details === "object" && details !== null) {
    const rewritten = Object.fromEntries(Object.entries(details).map(([k, v]) => [k, typeof v === "string" ? relative(v) : v]));
    Object.defineProperty(error, "details", { value: rewritten, writable: true, configurable: true, enumerable: true });
  }
  return error as Error;
}

function realRoot(root: string): string[] {
  try {
    const real = realpathSync(root);
    return real === root ? [] : [real];
  } catch {
    return [];
  }
}
