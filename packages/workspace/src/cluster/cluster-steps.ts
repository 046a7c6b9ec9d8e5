import fs from "node:fs/promises";
import path from "node:path";
import { confinePath, isPathInside, type GenerateRequest, type GenerateResult, type Llm } from "@bear/core";
import { defineSpecialist, type Specialist } from "@bear/agents";
import { STEP_STREAM_ID, type ClusterNode } from "@bear/cluster";
import type { DocumentPreparer, PreparedDocumentJson, PrepareRequest } from "@bear/rag";
import type { PiiFinding } from "@bear/security";
import { ACT_RUN_PREFIX, PermanentStepError, type JsonObject, type JsonValue, type StepContext } from "@bear/workflow-engine";
import { z } from "zod";
import { handler, matterOf } from "../agents/document-source";
import { InternalCapabilityError } from "../errors";
import type { WorkspaceActs } from "../tools/workspace-tools";

/** Step type of a redaction's scan (built-in and plugin recognizers) on a worker. */
export const REDACT_STEP = "redact";
/** Step type of a contract review (the whole report) on a worker. */
export const REVIEW_STEP = "review";
/** Step type of an ingest's CPU work on one file (extract, OCR, scrub, chunk, embed) on a worker. */
export const INGEST_PREPARE_STEP = "ingest.prepare";
/** Step type of a generation with the workspace's LLM (an answer's), its text streamed back as it comes. */
export const GENERATE_STEP = "llm.generate";
/** Step type of token counts with the workspace's LLM's tokenizer (an answer's prompt budget). */
export const TOKENS_STEP = "llm.tokens";
/** The one-off step types that need the workspace's LLM: a worker without one does not serve them. */
export const LLM_STEPS: readonly string[] = [GENERATE_STEP, TOKENS_STEP];
/**
 * BEAR's own step types: an API instance's acts (a review, a redaction's scan, an ingest's file, an
 * answer's generation) sent to the workers. The acts audit and limit themselves, these steps do not,
 * so a workflow sent through the API or the CLI may not name them (see submittedWorkflow).
 */
export const INTERNAL_STEP_TYPES: readonly string[] = [REDACT_STEP, REVIEW_STEP, INGEST_PREPARE_STEP, GENERATE_STEP, TOKENS_STEP];
/** What a workflow uses instead of each internal step type: the act, which audits and limits itself. */
export const INTERNAL_STEP_INSTEAD: Readonly<Record<string, string>> = {
  [REDACT_STEP]: "an agent.task with capability 'pii_scrubbing' (or `bear redact`, POST /api/v1/redact)",
  [REVIEW_STEP]: "an agent.task with capability 'contract_review' (or `bear review`, POST /api/v1/review)",
  [INGEST_PREPARE_STEP]: "an agent.task with capability 'document_indexing' (or `bear ingest`, POST /api/v1/documents)",
  [GENERATE_STEP]: "an llm_generation step",
  [TOKENS_STEP]: "an llm_generation step",
};

/**
 * Whether a step is one of an API instance's acts: OneOffSteps sends each as step 'act' of a run
 * id of its own ('act-<uuid>', recorded in no run) in a job marked `act: true`, which only an
 * instance's act executor sets, and this workspace's worker is running that job. The ids alone
 * prove nothing (the engine refuses 'act-' run ids, but a string a user may choose is no proof), so
 * a run's step — a submitted one, a coordinator's subtask, a capability resolved from a reference,
 * a run started with a forged id — is never an act.
 */
const isAct = (acts: WorkspaceActs, ctx: { readonly runId: string; readonly stepId: string }): boolean =>
  ctx.stepId === "act" && ctx.runId.startsWith(ACT_RUN_PREFIX) && acts.get().runsActStep(ctx.runId);

/** An internal step's handler: refuses (InternalCapabilityError, not retried) any step that is not an act. */
function actHandler<S extends z.ZodType>(acts: WorkspaceActs, type: string, parameters: S, execute: (ctx: StepContext<z.infer<S>>) => Promise<JsonValue>) {
  return handler(type, parameters, async (ctx) => {
    if (!isAct(acts, ctx)) throw new InternalCapabilityError(type, ctx.runId, INTERNAL_STEP_INSTEAD[type] ?? "the act's own capability");
    return execute(ctx);
  });
}

const MAX_TEXT = 10 * 1024 * 1024;

const redactParams = z.strictObject({ text: z.string().max(MAX_TEXT), plugins: z.boolean().default(true) });

/** Where a worker reads an ingested file: an upload of the matter (in the shared workspace), or its bytes (in the sealed payload file). */
const ingestSource = z.union([z.strictObject({ upload: z.string().min(1).max(1024) }), z.strictObject({ bytes: z.base64().max(Math.ceil((96 * 1024 * 1024) / 3) * 4) })]);
const ingestParams = z.strictObject({
  file: z.string().min(1).max(4096),
  documentId: z.string().min(1).max(200),
  matter: z.string().min(1).max(200),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  replaces: z.boolean(),
  source: ingestSource,
});

const reviewParams = z.strictObject({
  text: z.string().min(1).max(MAX_TEXT),
  playbook: z.string().max(1024 * 1024).optional(),
  documentName: z.string().max(300).optional(),
  title: z.string().max(300).optional(),
  useModel: z.boolean().default(false),
});
const modelId = z.string().min(1).max(300);
const chatMessage = z.strictObject({ role: z.enum(["system", "user", "assistant"]), content: z.string().max(MAX_TEXT) });
/** core's GenerateRequest without its signal. */
const generateRequest = z.strictObject({
  prompt: z.string().max(MAX_TEXT).optional(),
  messages: z.array(chatMessage).max(1_000).optional(),
  maxTokens: z.number().int().min(1).max(1_000_000).optional(),
  temperature: z.number().min(0).max(100).optional(),
  topP: z.number().min(0).max(1).optional(),
  topK: z.number().int().min(0).max(100_000).optional(),
  stop: z.array(z.string().min(1).max(1_000)).max(64).optional(),
  seed: z.number().int().optional(),
  jsonSchema: z.record(z.string(), z.unknown()).optional(),
});
const generateParams = z.strictObject({ model: modelId, request: generateRequest, stream: z.string().regex(STEP_STREAM_ID).optional() });
const tokensParams = z.strictObject({ model: modelId, texts: z.array(z.string().max(MAX_TEXT)).min(1).max(1_000) });
const generateOutput = z.strictObject({
  text: z.string(),
  tokensUsed: z.number().int().min(0),
  promptTokens: z.number().int().min(0),
  generationTime: z.number().min(0),
  tokensPerSecond: z.number().min(0),
  finishReason: z.enum(["stop", "length", "abort", "error"]),
});
const tokensOutput = z.strictObject({ counts: z.array(z.number().int().min(0)), contextSize: z.number().int().min(1) });

/** What an instance checks of a worker's report before it caches and returns it. */
const reportShape = z.looseObject({
  schemaVersion: z.number().int(),
  document: z.looseObject({ characters: z.number().int().min(0) }),
  summary: z.looseObject({ clauseCount: z.number().int().min(0), risks: z.looseObject({ critical: z.number().int(), high: z.number().int(), medium: z.number().int(), low: z.number().int() }) }),
  clauses: z.array(z.looseObject({})),
  risks: z.array(z.looseObject({})),
});

const findingSchema = z.strictObject({ type: z.string().min(1).max(64), start: z.number().int().min(0), end: z.number().int().min(0), score: z.number().min(0).max(1), recognizer: z.string().max(200) });
const scanOutput = z.strictObject({ findings: z.array(findingSchema), plugins: z.array(z.string().max(300)) });

/**
 * The step types an API instance sends to its workers for its own acts (see @bear/cluster's
 * `runStep`): `redact` (`{ text, plugins? }` → `{ findings, plugins }`: the scan, whose policy the
 * instance applies with its vault and matter tables), `review` (`{ text, playbook?, documentName?,
 * title?, useModel? }` → the review report, which the instance caches and audits),
 * `ingest.prepare` (one new or changed file → the prepared document the instance commits, matter
 * checked in the worker), `llm.generate` (`{ model, request, stream? }` → core's GenerateResult,
 * its text also published on the instance's step stream as it is generated) and `llm.tokens`
 * (`{ model, texts }` → `{ counts, contextSize }`): the model's work for an instance's answers,
 * refused by a worker whose model is not `model`.
 */
export function clusterStepsSpecialist(acts: WorkspaceActs): Specialist {
  return defineSpecialist({
    id: "cluster-steps",
    name: "Redaction and ingest work for a cluster's API instances",
    description: "Scans text for personal data and prepares ingested files (extract, OCR, scrub, chunk, embed) for the instance that commits them.",
    capabilities: {
      [REDACT_STEP]: actHandler(acts, REDACT_STEP, redactParams, async (ctx) => {
        const { findings, used } = await acts.get().scanPii(ctx.parameters.text, { plugins: ctx.parameters.plugins, signal: ctx.signal });
        return { findings: findings.map((f) => ({ type: f.type, start: f.start, end: f.end, score: f.score, recognizer: f.recognizer })), plugins: used };
      }),
      [REVIEW_STEP]: actHandler(acts, REVIEW_STEP, reviewParams, async (ctx) => {
        const { text, useModel, ...rest } = ctx.parameters;
        return (await acts.get().computeReview(text, { ...rest, useModel, signal: ctx.signal })) as unknown as JsonObject;
      }),
      [GENERATE_STEP]: actHandler(acts, GENERATE_STEP, generateParams, async (ctx) => {
        const { model, request, stream } = ctx.parameters;
        const workspace = acts.get();
        const llm = await workerLlm(workspace, model, ctx.stepId);
        const out = stream === undefined ? undefined : workspace.cluster?.streams.writer(stream);
        const it = llm.stream({ ...(request as GenerateRequest), signal: ctx.signal });
        for (let next = await it.next(); ; next = await it.next()) {
          if (next.done) {
            await out?.flush();
            return next.value as unknown as JsonObject;
          }
          out?.write(next.value.text);
        }
      }),
      [TOKENS_STEP]: actHandler(acts, TOKENS_STEP, tokensParams, async (ctx) => {
        const { model, texts } = ctx.parameters;
        const llm = await workerLlm(acts.get(), model, ctx.stepId);
        const counts: number[] = [];
        for (const text of texts) counts.push(await llm.countTokens(text));
        return { counts, contextSize: llm.contextSize };
      }),
      [INGEST_PREPARE_STEP]: actHandler(acts, INGEST_PREPARE_STEP, ingestParams, async (ctx) => {
        const p = ctx.parameters;
        // matter check in the worker: the step's matter is its run's (the payload file was written for it)
        if (p.matter !== matterOf(ctx)) throw new PermanentStepError(ctx.stepId, `the file names matter '${p.matter.slice(0, 80)}', not its run's ('${matterOf(ctx).slice(0, 80)}')`);
        const workspace = acts.get();
        const bytes = "bytes" in p.source ? Buffer.from(p.source.bytes, "base64") : await readUpload(workspace.folder.paths.uploads, p.source.upload, p.matter, ctx.stepId);
        const rag = await workspace.rag();
        return (await rag.prepareDocument({ file: p.file, bytes, documentId: p.documentId, matter: p.matter, contentHash: p.contentHash, replaces: p.replaces }, { signal: ctx.signal })) as unknown as JsonObject;
      }),
    },
  });
}

/** The LLM of the workspace running the step (a worker's, or a standalone's resuming a cluster's run), which must be the model the instance named (else their outputs and cache keys would disagree). */
async function workerLlm(workspace: ReturnType<WorkspaceActs["get"]>, model: string, stepId: string): Promise<Llm> {
  const llm = await workspace.llm();
  if (!llm) throw new PermanentStepError(stepId, `this workspace has no LLM (the step asks for '${model.slice(0, 80)}')`);
  if (llm.id !== model) throw new PermanentStepError(stepId, `this workspace's LLM is '${llm.id.slice(0, 80)}', not '${model.slice(0, 80)}' as the step asks`);
  return llm;
}

/** A worker's `llm.generate` output, checked. */
export function generateResult(output: unknown): GenerateResult {
  return generateOutput.parse(output);
}

/** A worker's `llm.tokens` output, checked to hold one count per text. */
export function tokensResult(output: unknown, texts: number): { counts: number[]; contextSize: number } {
  const parsed = tokensOutput.parse(output);
  if (parsed.counts.length !== texts) throw new PermanentStepError("act", `a worker counted the tokens of ${parsed.counts.length} texts, not ${texts}`);
  return parsed;
}

/** An upload of the step's matter, confined to the uploads folder (symlinks resolved). */
async function readUpload(uploads: string, relative: string, matter: string, stepId: string): Promise<Uint8Array> {
  const [first] = relative.split("/");
  if (first !== matter) throw new PermanentStepError(stepId, `upload '${relative.slice(0, 200)}' is not in matter '${matter.slice(0, 80)}'`);
  return new Uint8Array(await fs.readFile(confinePath(path.join(uploads, matter), relative.slice(matter.length + 1))));
}

/** The findings a worker's `redact` step returned, checked against the text they are for. */
export function scanResult(output: unknown, text: string): { findings: PiiFinding[]; used: string[] } {
  const parsed = scanOutput.parse(output);
  for (const f of parsed.findings) {
    if (f.end > text.length || f.start > f.end) throw new PermanentStepError("act", `a worker's finding [${f.start}, ${f.end}) lies outside the ${text.length}-character text`);
  }
  return { findings: parsed.findings as PiiFinding[], used: parsed.plugins };
}

/** The report a worker's `review` step returned, checked against the text it is for. */
export function reviewResult<R>(output: unknown, text: string): R {
  const parsed = reportShape.parse(output);
  if (parsed.document.characters !== text.length) throw new PermanentStepError("act", `a worker's review report is for a ${parsed.document.characters}-character text, not this ${text.length}-character one`);
  return output as R;
}

/**
 * An API instance's ingests prepare new and changed files on the workers (`ingest.prepare`): an
 * upload is named by its place in the shared uploads folder, any other file travels as bytes in
 * the step's payload file (sealed in an encrypted workspace); never inside the job.
 */
export function workerPreparer(node: ClusterNode, uploads: string, concurrency = 8): DocumentPreparer {
  return {
    concurrency,
    async prepare(request: PrepareRequest, signal?: AbortSignal): Promise<PreparedDocumentJson> {
      const relative = path.relative(uploads, request.file).split(path.sep).join("/");
      const isUpload = isPathInside(path.join(uploads, request.matter), request.file) && relative.startsWith(`${request.matter}/`);
      const source: JsonObject = isUpload ? { upload: relative } : { bytes: Buffer.from(request.bytes).toString("base64") };
      const parameters: JsonObject = {
        file: request.file,
        documentId: request.documentId,
        matter: request.matter,
        contentHash: request.contentHash,
        replaces: request.replaces,
        source,
      };
      return (await node.runStep(INGEST_PREPARE_STEP, parameters, { matter: request.matter, ...(signal ? { signal } : {}) })) as unknown as PreparedDocumentJson;
    },
  };
}
