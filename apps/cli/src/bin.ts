import { enforceOffline, terminalSafeJson } from "@bear/core";
import { ExitCode } from "./exit-codes";
import { reportError } from "./output";
import { buildProgram, CommanderError } from "./program";

declare const __BEAR_VERSION__: string | undefined;

async function main(argv: string[]): Promise<number> {
  // The CLI never talks to the network; `bear models pull` opens it explicitly and alone.
  enforceOffline();
  const json = argv.includes("--json");
  // Under --json, usage errors are reported as JSON too (commander's text is kept as the message).
  let usageText = "";
  const program = buildProgram(typeof __BEAR_VERSION__ === "string" ? __BEAR_VERSION__ : "0.1.0", {
    writeErr: (text) => (json ? (usageText += text) : process.stderr.write(text)),
  });
  try {
    await program.parseAsync(argv);
    return ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit through here with code 0; real usage errors were already printed.
      if (error.exitCode === 0) return ExitCode.Ok;
      if (json) {
        const message = (usageText.split("\n")[0] ?? error.message).replace(/^error: /, "");
        process.stderr.write(`${terminalSafeJson({ error: { name: "UsageError", code: "USAGE", message, hint: "Run `bear --help` for usage." }, exitCode: ExitCode.Usage })}\n`);
      }
      return ExitCode.Usage;
    }
    return reportError({ json }, error);
  }
}

process.exitCode = await main(process.argv);
