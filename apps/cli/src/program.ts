import { Command, CommanderError } from "commander";
import { registerConfigCommand } from "./commands/config";
import { registerDemoCommand } from "./commands/demo";

/** Every command is registered here, one file each under commands/. */
export function buildProgram(version: string): Command {
  const program = new Command("bear")
    .description("BEAR AI Legal: an offline, privacy-first AI workbench for legal work")
    .version(version)
    .option("--json", "machine-readable output on stdout")
    .option("--data-dir <dir>", "the BEAR data directory (default ~/.bear, or BEAR_DATA_DIR)")
    .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent")
    .showHelpAfterError("(run `bear --help` for usage)")
    .exitOverride();
  registerDemoCommand(program);
  registerConfigCommand(program);
  return program;
}

export { CommanderError };
