import { branchSource, detectCommandsIn } from "../detect-commands";
import type { ProjectCommands } from "./types";

/**
 * The project's test, build, install and lint commands, guessed from a branch of its bare origin (read
 * with git, no checkout) by the same detector the repository map uses. Nulls where nothing says.
 */
export async function detectCommandsFromOrigin(origin: string, branch: string): Promise<ProjectCommands> {
  const found = await detectCommandsIn(branchSource(origin, branch));
  return {
    testCommand: found.test,
    buildCommand: found.build,
    installCommand: found.install,
    lintCommand: found.lint,
  };
}
