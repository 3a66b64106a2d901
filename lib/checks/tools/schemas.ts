import { z } from "zod";
import { GATE_CHECK_KINDS } from "../kinds";

/**
 * The execution tools an agent may be granted: pure names, schemas and descriptions (shared by
 * the catalog, prompts, the demo model and the run's tool binding).
 */
export const EXEC_TOOL_NAMES = ["run_command", "run_checks"] as const;
export type ExecToolName = (typeof EXEC_TOOL_NAMES)[number];

export const execToolInputSchemas = {
  run_command: z.object({
    command: z
      .string()
      .trim()
      .min(1, "Give the command to run, e.g. `node --test` or `ls src`.")
      .max(4000)
      .refine((c) => !c.includes("\u0000"), "The command cannot contain NUL.")
      .describe(
        "A shell command line, run with /bin/sh in the repository's working tree inside the sandbox (no network, limited time, memory and output).",
      ),
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(600)
      .optional()
      .describe("Wall-time limit in seconds; the default is the sandbox's (60 s)."),
  }),
  run_checks: z.object({
    only: z
      .array(z.enum(GATE_CHECK_KINDS))
      .min(1)
      .max(GATE_CHECK_KINDS.length)
      .optional()
      .describe(
        "Which of the project's checks to run (build, lint, test); all that the project has when omitted.",
      ),
  }),
} as const satisfies Record<ExecToolName, z.ZodType>;

export type ExecToolInput<T extends ExecToolName> = z.infer<(typeof execToolInputSchemas)[T]>;

export const execToolDescriptions: Record<ExecToolName, string> = {
  run_command:
    "Run a shell command in your task's working tree inside the sandbox (no network; limits on time, memory, processes and output), to explore and debug. Answers the exit code, duration and output (long output keeps its head and tail).",
  run_checks:
    "Run the project's checks (its build, lint and test commands) on your working tree in the sandbox. Answers each check's status, exit code, test counts and the end of its output. Your task is accepted only when these pass on your commit, so run them before you finish and fix what fails.",
};

/** What `run_command` answers the model. */
export type RunCommandOutput = {
  exitCode: number | null;
  /** exited, or the limit that stopped it. */
  outcome: string;
  durationMs: number;
  output: string;
  truncated: boolean;
  error?: string;
};

/** What `run_checks` answers the model. */
export type RunChecksOutput = {
  passed: boolean;
  checks: {
    kind: string;
    command: string;
    status: string;
    exitCode: number | null;
    durationMs: number;
    counts: { passed: number; failed: number; skipped: number; total: number } | null;
    /** The end of the output (failing output first matters most). */
    output: string;
  }[];
  error?: string;
};
