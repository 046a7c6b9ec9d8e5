import { assertMatterId, BearError } from "@bear/core";
import type { KnownMatters } from "@bear/workflow-engine";
import { ROLES, type AccessControl, type Principal, type Role } from "@bear/security";
import { BearWorkspaceError } from "../errors";

/** Who may use the workspace: a principal as the apps show it (never a secret or its hash). */
export interface UserRow {
  readonly id: string;
  readonly kind: Principal["kind"];
  readonly role: Role | null;
  /** The matters it may see; empty for an admin, who sees every matter. */
  readonly matters: readonly string[];
}

/** A new API-key user: one role, and (except for an admin) the matters it is limited to. */
export interface NewUser {
  readonly id: string;
  readonly role: Role;
  readonly matters?: readonly string[];
}

const USER_ID = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/;

/**
 * Principals and their API keys, the one rule both front doors use (`bear users …`, `/api/v1/users`).
 * Keys are stored as scrypt hashes in the workspace's principals file and shown once, at creation;
 * every change is audited with the caller as actor. A server running on the same workspace sees a
 * change at its next request (AccessControl re-reads the file), so no restart is needed.
 */
export class WorkspaceUsers {
  constructor(
    private readonly access: AccessControl,
    /** The workspace's matters: a grant may not name a case twin of one (it would grant nothing, silently). */
    private readonly known: KnownMatters | undefined = undefined,
  ) {}

  list(): UserRow[] {
    return this.access.list().map(toRow);
  }

  get(id: string): UserRow {
    try {
      return toRow(this.access.get(id));
    } catch (error) {
      throw isUnknown(error) ? notFound(id) : error;
    }
  }

  /** Creates an API-key user; the key is returned here once and never again. */
  async add(actor: string, user: NewUser): Promise<{ user: UserRow; apiKey: string }> {
    const { id, role, matters } = checkNewUser(user, this.known?.matters());
    if (this.access.has(id)) throw new BearWorkspaceError("USER_EXISTS", `user '${id}' already exists`, { hint: `Revoke it first (bear users revoke ${id}) or choose another id.` });
    const { principal, apiKey } = await this.access.addApiKey(id, [role], matters, { actor });
    return { user: toRow(principal), apiKey };
  }

  /** Issues a new key for a user; the old one stops working at once. */
  async rotate(actor: string, id: string): Promise<{ user: UserRow; apiKey: string }> {
    const user = this.get(id);
    const apiKey = await this.access.rotateApiKey(id, { actor });
    return { user, apiKey };
  }

  /** Removes a user; its key stops working at once, in every process using the workspace. */
  async revoke(actor: string, id: string): Promise<UserRow> {
    const user = this.get(id);
    if (user.role === "admin" && this.list().filter((u) => u.role === "admin").length === 1) {
      throw new BearWorkspaceError("INPUT_INVALID", `user '${id}' is the last admin`, { hint: "Add another admin first (bear users add <id> --role admin); without one nobody can manage users over the API." });
    }
    try {
      await this.access.remove(id, { actor });
    } catch (error) {
      throw isUnknown(error) ? notFound(id) : error;
    }
    return user;
  }
}

const isUnknown = (error: unknown): boolean => BearError.isInstance(error) && error.code === "PRINCIPAL_UNKNOWN";

function notFound(id: string): BearWorkspaceError {
  return new BearWorkspaceError("USER_NOT_FOUND", `there is no user '${id}'`, { hint: "List the users with `bear users list` (or GET /api/v1/users)." });
}

/** Validates a new user at the boundary; messages name the value. */
function checkNewUser(user: NewUser, known: Iterable<string> | undefined): { id: string; role: Role; matters: string[] } {
  const { id, role } = user;
  if (typeof id !== "string" || !USER_ID.test(id)) {
    throw new BearWorkspaceError("INPUT_INVALID", `'${String(id).slice(0, 80)}' is not a user id`, { hint: "1-64 letters, digits, '.' or '-', starting with a letter or digit (no '_' and no e-mail addresses: ids appear in keys and in the audit trail)." });
  }
  if (!ROLES.includes(role)) throw new BearWorkspaceError("INPUT_INVALID", `'${String(role).slice(0, 40)}' is not a role`, { hint: `One of ${ROLES.join(", ")}.` });
  const matters = [...new Set(user.matters ?? [])];
  for (const m of matters) {
    assertMatterId(m, "the user's matter", known);
  }
  if (role === "admin" && matters.length > 0) throw new BearWorkspaceError("INPUT_INVALID", `an admin sees every matter, so matters [${matters.join(", ")}] cannot limit it`, { hint: "Leave out the matters for an admin, or choose another role." });
  if (role !== "admin" && matters.length === 0) throw new BearWorkspaceError("INPUT_INVALID", `a ${role} must be limited to at least one matter`, { hint: "Name its matters, e.g. --matters acme,globex (or \"matters\": [\"acme\"])." });
  if (matters.length > 200) throw new BearWorkspaceError("INPUT_INVALID", `${matters.length} matters is more than 200`);
  return { id, role, matters };
}

function toRow(p: Principal): UserRow {
  const role = p.roles[0] ?? null;
  return { id: p.id, kind: p.kind, role, matters: role === "admin" ? [] : [...p.matters] };
}
