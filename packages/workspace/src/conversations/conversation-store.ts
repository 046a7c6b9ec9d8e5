import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { assertMatterId, confinePath, isMatterId, writeFileAtomicSync } from "@bear/core";
import type { KnownMatters } from "@bear/workflow-engine";
import type { Answer } from "@bear/rag";
import type { EnvelopeCipher } from "@bear/security";
import { BearWorkspaceError } from "../errors";
import { KeyedMutex } from "../uploads/keyed-mutex";

/** A conversation id: `conv_` and 20 base64url characters (120 random bits). */
export const CONVERSATION_ID = /^conv_[A-Za-z0-9_-]{20}$/;
/** Turns kept per conversation; the oldest go first (a conversation is a working thread, not an archive). */
export const MAX_TURNS = 200;
const MAX_TITLE_CHARS = 120;
const MAX_SCOPE = 200;

/** A citation as the conversation keeps it: enough to show and reopen the cited text. */
export interface ConversationCitation {
  readonly marker: number;
  readonly documentId: string;
  readonly title: string;
  readonly fileName: string;
  readonly page: number;
  readonly start: number;
  readonly end: number;
  readonly quote: string;
}

/** One question and the answer it got. */
export interface ConversationTurn {
  readonly at: string;
  readonly actor: string;
  readonly question: string;
  readonly answer: {
    readonly text: string;
    readonly mode: "llm" | "extractive";
    readonly notFound: boolean;
    readonly citations: readonly ConversationCitation[];
    /** The documents the answer was limited to, when it was. */
    readonly scope?: readonly string[];
  };
}

export interface ConversationSummary {
  readonly id: string;
  readonly matter: string;
  readonly title: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Documents every question is limited to (the picker's choice); empty means the whole matter. */
  readonly documentIds: readonly string[];
  readonly turnCount: number;
}

export interface Conversation extends Omit<ConversationSummary, "turnCount"> {
  readonly turns: readonly ConversationTurn[];
}

export interface NewConversation {
  readonly matter: string;
  readonly actor: string;
  readonly title?: string;
  readonly documentIds?: readonly string[];
}

/** A conversation that does not exist (or is not in a matter the caller may see: the same answer). */
export class ConversationNotFoundError extends BearWorkspaceError {
  constructor(id: string) {
    super("CONVERSATION_NOT_FOUND", `conversation '${id.slice(0, 80)}' was not found`, { hint: "List the matter's conversations to see their ids." });
  }
}

/** What a turn keeps of a deleted document's text: its quotes, title and file name, and the answer that drew on it. */
export const DELETED_DOCUMENT = "[deleted document]";

/**
 * The turn with nothing left of a deleted document's text: each citation of it keeps its marker and place but its
 * quote, title and file name become DELETED_DOCUMENT, and so does the answer's text (extractive answers are the
 * document's sentences; a generated one paraphrases them), which keeps only its citation markers. Unchanged when the
 * turn does not cite the document.
 */
export function withoutDocument(turn: ConversationTurn, documentId: string): ConversationTurn {
  if (!turn.answer.citations.some((c) => c.documentId === documentId)) return turn;
  const markers = [...new Set(turn.answer.citations.map((c) => c.marker))].map((m) => ` [${m}]`).join("");
  return {
    ...turn,
    answer: {
      ...turn.answer,
      text: `${DELETED_DOCUMENT}${markers}`,
      citations: turn.answer.citations.map((c) => (c.documentId === documentId ? { ...c, title: DELETED_DOCUMENT, fileName: DELETED_DOCUMENT, quote: DELETED_DOCUMENT } : c)),
    },
  };
}

/** The answer as a conversation turn keeps it (no passages: they are found again on demand). */
export function turnOf(question: string, answer: Answer, actor: string, at = new Date()): ConversationTurn {
  return {
    at: at.toISOString(),
    actor,
    question,
    answer: {
      text: answer.text,
      mode: answer.mode,
      notFound: answer.notFound,
      citations: answer.citations.map((c) => ({ marker: c.marker, documentId: c.documentId, title: c.title, fileName: path.basename(c.source), page: c.page, start: c.start, end: c.end, quote: c.quote })),
      ...(answer.scope ? { scope: [...answer.scope] } : {}),
    },
  };
}

/**
 * Ask-page conversations, one file per conversation in `conversations/<matter>/<id>.json`
 * (0600, written aside and renamed into place). In an encrypted workspace each file is sealed
 * whole with the workspace key (AES-256-GCM envelope), since questions and cited quotes are
 * client text. Appends to one conversation take turns.
 */
export class ConversationStore {
  readonly #oneAtATime = new KeyedMutex();

  constructor(
    private readonly dir: string,
    private readonly sealer: EnvelopeCipher | undefined,
    /** The workspace's matters: a conversation's new matter may not be a case twin of one (one folder on macOS and Windows). */
    private readonly known: KnownMatters | undefined = undefined,
  ) {}

  /** The matter's conversations, most recently updated first. */
  list(matter: string): ConversationSummary[] {
    const folder = this.#matterDir(matter);
    if (!fs.existsSync(folder)) return [];
    const out: ConversationSummary[] = [];
    for (const name of fs.readdirSync(folder)) {
      const id = name.replace(/\.json$/, "");
      if (!CONVERSATION_ID.test(id)) continue;
      const c = this.#read(matter, id);
      if (c) out.push(summaryOf(c));
    }
    return out.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : a.id.localeCompare(b.id)));
  }

  create(request: NewConversation): Conversation {
    assertMatterId(request.matter, "the conversation's matter", this.known?.matters());
    const documentIds = [...new Set(request.documentIds ?? [])];
    if (documentIds.length > MAX_SCOPE || documentIds.some((d) => typeof d !== "string" || d.length === 0 || d.length > 128)) {
      throw new BearWorkspaceError("INPUT_INVALID", `a conversation's documents must be 0-${MAX_SCOPE} document ids`);
    }
    const now = new Date().toISOString();
    const conversation: Conversation = {
      id: `conv_${randomBytes(15).toString("base64url")}`,
      matter: request.matter,
      title: tidyTitle(request.title ?? "") || "New conversation",
      createdBy: request.actor,
      createdAt: now,
      updatedAt: now,
      documentIds,
      turns: [],
    };
    this.#write(conversation);
    return conversation;
  }

  /** The conversation with this id in one of `matters` (all matters when undefined), or undefined. */
  find(id: string, matters?: readonly string[]): Conversation | undefined {
    if (!CONVERSATION_ID.test(id) || !fs.existsSync(this.dir)) return undefined;
    for (const matter of matters ?? fs.readdirSync(this.dir)) {
      if (!isMatterId(matter)) continue;
      const found = this.#read(matter, id);
      if (found) return found;
    }
    return undefined;
  }

  /** Adds a turn; the first question becomes the title of an untitled conversation. */
  async append(conversation: Pick<Conversation, "id" | "matter">, turn: ConversationTurn): Promise<Conversation> {
    const release = await this.#oneAtATime.acquire(conversation.id);
    try {
      const current = this.#read(conversation.matter, conversation.id);
      if (!current) throw new ConversationNotFoundError(conversation.id);
      const untitled = current.turns.length === 0 && current.title === "New conversation";
      const next: Conversation = {
        ...current,
        title: untitled ? tidyTitle(turn.question) || current.title : current.title,
        updatedAt: turn.at,
        turns: [...current.turns, turn].slice(-MAX_TURNS),
      };
      this.#write(next);
      return next;
    } finally {
      release();
    }
  }

  /**
   * Rewrites every conversation of the matter that cites a deleted document (`withoutDocument` on each turn), each under
   * its own turn-taking, so that no quote or answer drawn from the document stays to be served. Returns how many
   * conversations changed. Copies of the workspace made before still hold the earlier files (sealed with the workspace key).
   */
  async forgetDocument(matter: string, documentId: string): Promise<number> {
    if (!isMatterId(matter)) return 0; // an older release's matter id: no conversation can be filed under it
    const folder = this.#matterDir(matter);
    if (!fs.existsSync(folder)) return 0;
    let changed = 0;
    for (const name of fs.readdirSync(folder)) {
      const id = name.replace(/\.json$/, "");
      if (!CONVERSATION_ID.test(id)) continue;
      const release = await this.#oneAtATime.acquire(id);
      try {
        const current = this.#read(matter, id);
        if (!current) continue;
        const turns = current.turns.map((t) => withoutDocument(t, documentId));
        if (turns.every((t, i) => t === current.turns[i])) continue;
        this.#write({ ...current, turns });
        changed++;
      } finally {
        release();
      }
    }
    return changed;
  }

  /** Deletes a conversation; false when there was none. */
  remove(conversation: Pick<Conversation, "id" | "matter">): boolean {
    const file = this.#file(conversation.matter, conversation.id);
    if (!fs.existsSync(file)) return false;
    fs.rmSync(file, { force: true });
    return true;
  }

  #matterDir(matter: string): string {
    assertMatterId(matter, "the conversation's matter");
    return confinePath(this.dir, matter);
  }

  #file(matter: string, id: string): string {
    if (!CONVERSATION_ID.test(id)) throw new ConversationNotFoundError(id);
    return confinePath(this.dir, path.join(matter, `${id}.json`));
  }

  #read(matter: string, id: string): Conversation | undefined {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.#file(matter, id));
    } catch {
      return undefined;
    }
    const plain = this.sealer ? this.sealer.decrypt(bytes, "conversation") : bytes;
    const parsed = JSON.parse(plain.toString("utf8")) as Conversation;
    // The folder is the authority on the matter: a file moved between matters does not cross the wall.
    return parsed.id === id && parsed.matter === matter ? parsed : undefined;
  }

  #write(conversation: Conversation): void {
    const folder = this.#matterDir(conversation.matter);
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const json = Buffer.from(JSON.stringify(conversation), "utf8");
    writeFileAtomicSync(this.#file(conversation.matter, conversation.id), this.sealer ? this.sealer.encrypt(json) : json, { mode: 0o600 });
  }
}

function summaryOf(c: Conversation): ConversationSummary {
  const { turns, ...rest } = c;
  return { ...rest, turnCount: turns.length };
}

/** One line, at most 120 characters, no control characters. */
function tidyTitle(text: string): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim();
  return line.length > MAX_TITLE_CHARS ? `${line.slice(0, MAX_TITLE_CHARS - 1)}…` : line;
}
