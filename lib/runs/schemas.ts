import { z } from "zod";
import { PROJECT_SLUG } from "@/lib/projects/schemas";
import { RUN_TEMPLATE_SLUGS } from "./templates";

/** Limits shared by the API, the server actions and the form hints. */
export const RUN_LIMITS = {
  goalMin: 10,
  goalMax: 4_000,
  budgetMin: 1_000,
  budgetMax: 5_000_000,
  comment: 2_000,
  listMax: 100,
} as const;

/** Used when the organization has saved no AI settings. */
export const FALLBACK_TOKEN_BUDGET = 200_000;

/** Empty form fields mean "not given". */
const blankAsMissing = (v: unknown) => (v === "" || v === null ? undefined : v);

const id = (what: string) => z.uuid({ message: `That is not a valid ${what} id.` });

const tokenBudget = z.coerce
  .number({ message: "Enter a whole number of tokens." })
  .int("Enter a whole number of tokens.")
  .min(
    RUN_LIMITS.budgetMin,
    `The budget must be at least ${RUN_LIMITS.budgetMin.toLocaleString("en-US")} tokens.`,
  )
  .max(
    RUN_LIMITS.budgetMax,
    `The budget must be at most ${RUN_LIMITS.budgetMax.toLocaleString("en-US")} tokens.`,
  );

const goal = z
  .string({
    error: (i) => (i.input === undefined ? "Describe the goal of the run." : "The goal must be text."),
  })
  .transform((s) => s.replace(/\r\n?/g, "\n").trim())
  .pipe(
    z
      .string()
      .min(RUN_LIMITS.goalMin, `Describe the goal in at least ${RUN_LIMITS.goalMin} characters.`)
      .max(
        RUN_LIMITS.goalMax,
        `The goal must be at most ${RUN_LIMITS.goalMax.toLocaleString("en-US")} characters.`,
      ),
  );

const template = z.enum(RUN_TEMPLATE_SLUGS, { message: "Choose one of the run templates." });

/** Body of `POST /api/orgs/[org]/projects/[project]/runs`. */
export const startRunBodySchema = z.object({
  goal,
  template,
  tokenBudget: z.preprocess(blankAsMissing, tokenBudget.optional()),
  /** "Review the plan first": the run pauses after planning until a member approves the plan. */
  reviewPlan: z.preprocess(
    (v) => (v === "on" || v === "true" ? true : v === "false" || v === "" || v === null ? false : v),
    z.boolean({ message: "Review the plan first is yes or no." }).default(false),
  ),
});

/** The start-run form's server action: the same, plus the project's slug. */
export const startRunInputSchema = startRunBodySchema.extend({
  project: z.string({ message: "Choose a project." }).regex(PROJECT_SLUG, "Choose a project."),
});

export type StartRunBody = z.infer<typeof startRunBodySchema>;
export type StartRunInput = z.infer<typeof startRunInputSchema>;

export const runIdSchema = z.object({ runId: id("run") });

export const retryTaskInputSchema = z.object({ runId: id("run"), taskId: id("task") });

const decision = z.enum(["approved", "rejected"], { message: "Choose approve or reject." });

const comment = z.preprocess(
  (v) => (v === undefined || v === null ? "" : v),
  z
    .string({ message: "The comment must be text." })
    .transform((s) => s.trim())
    .pipe(
      z
        .string()
        .max(
          RUN_LIMITS.comment,
          `The comment must be at most ${RUN_LIMITS.comment.toLocaleString("en-US")} characters.`,
        ),
    ),
);

const requireCommentOnReject = <T extends { decision: "approved" | "rejected"; comment: string }>(
  v: T,
  ctx: z.RefinementCtx,
) => {
  if (v.decision === "rejected" && v.comment === "") {
    ctx.addIssue({
      code: "custom",
      path: ["comment"],
      message: "Say why you reject it: the comment is required.",
    });
  }
};

/** Body of `POST /api/orgs/[org]/runs/[run]/approvals/[approval]`. */
export const decideApprovalBodySchema = z.object({ decision, comment }).superRefine(requireCommentOnReject);

export const decideApprovalInputSchema = z
  .object({ runId: id("run"), approvalId: id("approval"), decision, comment })
  .superRefine(requireCommentOnReject);

export type DecideApprovalBody = z.infer<typeof decideApprovalBodySchema>;

/** Body of `POST /api/orgs/[org]/runs/[run]/resume`. */
export const resumeRunBodySchema = z.object({ tokenBudget });
export const resumeRunInputSchema = z.object({ runId: id("run"), tokenBudget });

/** Query of the run lists. */
export const listRunsQuerySchema = z.object({
  limit: z.preprocess(
    blankAsMissing,
    z.coerce
      .number({ message: "The limit must be a number." })
      .int("The limit must be a whole number.")
      .min(1, "The limit must be at least 1.")
      .max(RUN_LIMITS.listMax, `The limit must be at most ${RUN_LIMITS.listMax}.`)
      .default(50),
  ),
});

/** An id in a URL that is not a UUID is simply not found (and never reaches a uuid column). */
export const isUuid = (value: string) => z.uuid().safeParse(value).success;
