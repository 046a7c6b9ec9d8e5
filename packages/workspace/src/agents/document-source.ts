import path from "node:path";
import type { JsonValue, StepContext, StepHandler } from "@bear/workflow-engine";
import { PermanentStepError } from "@bear/workflow-engine";
import { z } from "zod";
import { requireMatter } from "../runs/require-matter";
import type { WorkspaceActs } from "../tools/workspace-tools";

const MAX_TEXT = 10 * 1024 * 1024;

/**
 * Where a specialist reads a document from: text given inline, a file of the run's file area (the
 * engine's own `file_operations` read: the same confinement, matter area and sealing as a file
 * step), or an indexed document of the run's matter.
 */
export const documentSourceSchema = z.preprocess(
  // A workflow passes every input it declares; the ones not given arrive as null or "".
  (v) => (typeof v === "object" && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== "")) : v),
  z.union([
    z.strictObject({ text: z.string().min(1).max(MAX_TEXT), name: z.string().min(1).max(300).optional() }),
    z.strictObject({ path: z.string().min(1).max(1024), name: z.string().min(1).max(300).optional() }),
    z.strictObject({ document_id: z.string().min(1).max(200), name: z.string().min(1).max(300).optional() }),
  ]),
);
export type DocumentSource = z.infer<typeof documentSourceSchema>;

/** A document's text and a label for outputs (its path or name; never its content). */
export interface SourceText {
  readonly label: string;
  readonly text: string;
}

/** Text formats a file-area read returns as they are (others must be indexed first and named by document_id). */
export const TEXT_FILE = /\.(txt|md|markdown|text)$/i;

/**
 * The matter a run works for. A step of a run with none is refused (RunMatterMissingError), never
 * given a default one: documents are read, searched and written only inside the run's own matter.
 */
export function matterOf(ctx: Pick<StepContext, "matter" | "runId" | "stepId">): string {
  return requireMatter(ctx, `step '${ctx.stepId}'`);
}

/** Reads a document source for a step (see documentSourceSchema). */
export async function readSource(acts: WorkspaceActs, source: DocumentSource, ctx: StepContext<unknown>): Promise<SourceText> {
  if ("text" in source) return { label: source.name ?? "text", text: source.text };
  if ("path" in source) {
    if (!TEXT_FILE.test(source.path)) {
      throw new PermanentStepError(ctx.stepId, `'${source.path.slice(0, 200)}' is not a text file (.txt, .md): index it first and name it by document_id`);
    }
    const files = acts.get().workflowRegistry().get("file_operations") as StepHandler<unknown>;
    const out = (await files.execute({ ...ctx, type: "file_operations", parameters: { operation: "read", path: source.path } })) as { content?: unknown };
    if (typeof out.content !== "string") throw new PermanentStepError(ctx.stepId, `reading '${source.path.slice(0, 200)}' returned no text`);
    return { label: source.name ?? source.path, text: out.content };
  }
  const rag = await acts.get().rag();
  const record = rag.documents({ matter: matterOf(ctx) }).find((d) => d.id === source.document_id);
  // The same answer for a document of another matter as for none: a run sees its own matter only.
  if (!record) throw new PermanentStepError(ctx.stepId, `no document '${source.document_id.slice(0, 80)}' in this run's matter`);
  return { label: source.name ?? (record.title || path.basename(record.source)), text: await rag.documentText(record.id) };
}

/** A step handler typed on its zod schema (specialists' capabilities are step handlers). */
export function handler<S extends z.ZodType>(type: string, parameters: S, execute: (ctx: StepContext<z.infer<S>>) => Promise<JsonValue>): StepHandler<never> {
  return { type, parameters, execute } as unknown as StepHandler<never>;
}
