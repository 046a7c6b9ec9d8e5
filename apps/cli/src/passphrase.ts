import { CliError } from "./cli-error";
import { passphraseFromEnv } from "./cli-config";

/**
 * The passphrase from BEAR_PASSPHRASE, or typed at the terminal without echo. Never from a flag:
 * command lines end up in shell history and `ps`.
 */
export async function readPassphrase(prompt: string, options: { confirm?: boolean } = {}): Promise<string> {
  const fromEnv = passphraseFromEnv();
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new CliError("PASSPHRASE_REQUIRED", "this workspace is encrypted and no passphrase was given", {
      hint: "Set BEAR_PASSPHRASE in the environment, or run the command at a terminal to be asked for it.",
    });
  }
  const first = await askHidden(prompt);
  if (options.confirm) {
    const second = await askHidden("Repeat the passphrase: ");
    if (first !== second) throw new CliError("INPUT_INVALID", "the two passphrases differ", { hint: "Run the command again and type the same passphrase twice." });
  }
  return first;
}

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    let value = "";
    const done = (error?: Error): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return done();
        if (ch === "\u0003") return done(new CliError("CANCELLED", "cancelled at the passphrase prompt"));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}
