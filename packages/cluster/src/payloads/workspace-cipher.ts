import type { ContentCipher } from "@bear/core";
import { ClusterError } from "../errors";

/** The workspace's cipher when it is encrypted: the cipher, or a getter (a workspace binds its cipher after the cluster node is made). */
export type WorkspaceCipherOption = ContentCipher | (() => ContentCipher | undefined);

/**
 * The workspace's cipher as this package uses it: undefined when the workspace is not encrypted
 * (no option given); otherwise a getter that throws while an encrypted workspace's getter has no
 * cipher yet. Nothing of an encrypted workspace is then sent or read in the clear, nor sealed with
 * the cluster's own payload key instead.
 */
export function workspaceCipher(option: WorkspaceCipherOption | undefined): (() => ContentCipher) | undefined {
  if (option === undefined) return undefined;
  if (typeof option !== "function") return () => option;
  return () => option() ?? refuse();
}

function refuse(): never {
  throw new ClusterError("WORKSPACE_CIPHER_MISSING", "the workspace is encrypted, but its cipher is not available yet: step payloads and streamed text are neither sent in the clear nor sealed with the cluster's own key", {
    hint: "Open the workspace with its passphrase (openWorkspace binds the cipher as it opens) before sending or serving steps.",
    retryable: false,
  });
}
