import path from "node:path";
import type { Command } from "commander";
import { terminalSafe, type RetrievalMode } from "@bear/core";
import type { Answer } from "@bear/workspace";
import { CLI_ACTOR, CommandContext } from "../context";
import { bold, dim, displayPath, yellow } from "../output";
import { parsePositiveInt, searchModeFor } from "./options";

interface AskFlags {
  readonly k: string;
  readonly mode?: RetrievalMode;
  readonly matter?: string[];
  readonly extractive?: boolean;
  readonly maxTokens: string;
  readonly doc?: string[];
}

export function registerAskCommand(program: Command): void {
  program
    .command("ask")
    .description("answer a question from the ingested documents, citing each statement to its source")
    .argument("<question...>", "the question")
    .option("-k, --k <n>", "passages to retrieve", "6")
    .option("--mode <mode>", "lexical, vector or hybrid retrieval")
    .option("--matter <name...>", "only these matters")
    .option("--doc <id|name...>", "only these documents: an id, or words of the title, a party or the file name")
    .option("--extractive", "quote the best sentences instead of asking a model, even if one is configured")
    .option("--max-tokens <n>", "longest answer a model may write, in tokens", "512")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        '  bear ask "How much notice is needed to terminate for convenience?"',
        '  bear ask "Who owns the confidential information?" --matter acme-2026',
        '  bear ask "How long does confidentiality last?" --doc "NDA ResConnect" --matter acme-2026',
        '  BEAR_MODELS_LLM=qwen2.5-1.5b-instruct bear ask "When is rent due?" --json',
        "",
        "With a model (models.llm, or `bear models load <id>`) the answer is written by it and streamed;",
        "otherwise it is extractive: the best supporting sentences, quoted. Either way every [n] points",
        "at a document, page and exact character offsets. A question that names its document (\"the supply",
        "agreement with Flotek\") is answered from that document only; --doc makes the choice explicit.",
        "When nothing retrieved supports an answer, it says so and lists the closest passages.",
      ].join("\n"),
    )
    .action(async (words: string[], flags: AskFlags, command: Command) => {
      const ctx = CommandContext.of(command);
      const question = words.join(" ");
      const k = parsePositiveInt("--k", flags.k, 100);
      const maxAnswerTokens = parsePositiveInt("--max-tokens", flags.maxTokens, 32_768);
      const mode = await searchModeFor(ctx, flags.mode);
      await ctx.requireWorkspace();
      const answer = await ctx.withWorkspace({ llm: !flags.extractive }, async (workspace) => {
        const rag = await workspace.rag();
        const documentIds = flags.doc ? await rag.resolveDocuments(flags.doc, flags.matter ? { matters: flags.matter } : {}) : undefined;
        const options = {
          k,
          mode,
          maxAnswerTokens,
          ...(flags.extractive ? { llm: null } : {}),
          filter: { ...(flags.matter ? { matters: flags.matter } : {}), ...(documentIds ? { documentIds } : {}) },
        };
        let final: Answer | undefined;
        for await (const event of workspace.answerStream(question, options, CLI_ACTOR)) {
          if (event.type === "text" && !ctx.json) process.stdout.write(terminalSafe(event.text, { keepLines: true })); // quotes documents (or a model steered by them)
          if (event.type === "answer") final = event.answer;
        }
        if (!final) throw new Error("the answer stream ended without an answer");
        return final;
      });
      if (ctx.json) {
        ctx.emit(answerJson(answer), () => "");
      } else {
        process.stdout.write(`\n${renderCitations(answer)}\n`);
      }
    });
}

/** The answer for scripts: the passages are summarised (their text is in the citations' quotes). */
export function answerJson(answer: Answer): unknown {
  return {
    question: answer.question,
    text: answer.text,
    mode: answer.mode,
    citations: answer.citations,
    droppedCitations: answer.droppedCitations,
    passages: answer.passages.map((p) => ({ chunkId: p.chunkId, documentId: p.documentId, title: p.title, source: p.source, page: p.page, score: p.score, ...(p.ocr ? { ocr: p.ocr } : {}) })),
    passagesUsed: answer.passagesUsed,
    notFound: answer.notFound,
    ...(answer.finishReason ? { finishReason: answer.finishReason } : {}),
  };
}

export function renderCitations(answer: Answer): string {
  if (answer.passages.length === 0) return yellow("No ingested passage answers this. Run `bear ingest` first, or rephrase the question.");
  if (answer.notFound) {
    const closest = answer.passages.slice(0, 3).map((p, i) => `  ${i + 1}. ${terminalSafe(p.title || path.basename(p.source))} ${dim(`(${displayPath(p.source)}, page ${p.page})`)}\n      "${terminalSafe(p.text.replace(/\s+/g, " ").slice(0, 240))}"`);
    return ["", bold("Closest passages (none answers the question):"), ...closest].join("\n");
  }
  const lines = ["", bold(`Sources (${answer.mode === "llm" ? "answer written by the model" : "extractive answer: quoted sentences"}):`)];
  for (const c of answer.citations) {
    const where = `${displayPath(c.source)}, page ${c.page}${c.ocr ? ` (OCR, ${Math.round(c.ocr.confidence)}%)` : ""}, chars ${c.start}-${c.end}`;
    lines.push(`  [${c.marker}] ${terminalSafe(c.title || path.basename(c.source))} ${dim(`(${where})`)}`, `      "${terminalSafe(c.quote.replace(/\s+/g, " ").slice(0, 240))}"`);
  }
  if (answer.mode === "llm" && answer.citations.length === 0) {
    lines.push(yellow("  The model cited no source: do not rely on this answer (try --extractive, or a stronger model)."));
  }
  if (answer.droppedCitations.length > 0) {
    lines.push(yellow(`  ${answer.droppedCitations.length} citation(s) the model made were removed: they pointed at no retrieved text or were not supported by it.`));
  }
  return lines.join("\n");
}
