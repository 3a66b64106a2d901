import { z } from "zod";

/**
 * The reviewer gate's structured output. Plain types only (providers' strict JSON modes reject
 * lengths and optional fields); `normalizeVerdict` makes it self-consistent.
 */
export const reviewVerdictSchema = z.object({
  verdict: z.enum(["pass", "fail"]).describe("pass only if every acceptance criterion is met."),
  summary: z.string().describe("One or two sentences on the result as a whole."),
  criteria: z
    .array(
      z.object({
        criterion: z.string().describe("The acceptance criterion, as written in the task."),
        met: z.boolean(),
        evidence: z.string().describe("Where in the artifact it is met, or what is missing."),
      }),
    )
    .describe("One entry per acceptance criterion, in the task's order."),
  reasons: z
    .array(z.string())
    .describe("When failing: each change the author must make, specific enough to act on. [] when passing."),
});

export type ReviewVerdict = z.infer<typeof reviewVerdictSchema>;

/** A pass with an unmet criterion is a fail; a fail without reasons gets them from the unmet criteria. */
export function normalizeVerdict(verdict: ReviewVerdict): ReviewVerdict {
  const unmet = verdict.criteria.filter((c) => !c.met);
  const outcome = verdict.verdict === "fail" || unmet.length > 0 ? "fail" : "pass";
  if (outcome === "pass") return { ...verdict, verdict: "pass", reasons: [] };
  const reasons = verdict.reasons.filter((r) => r.trim());
  return {
    ...verdict,
    verdict: "fail",
    reasons: reasons.length
      ? reasons
      : unmet.length
        ? unmet.map((c) => `Not met: ${c.criterion} — ${c.evidence}`)
        : [
            "The reviewer failed the result without giving a reason; revise it against the acceptance criteria.",
          ],
  };
}
