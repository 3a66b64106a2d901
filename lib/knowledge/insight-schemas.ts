import { z } from "zod";

/** An insight's body, at most this long (the same cap as the run feed's insights). */
export const INSIGHT_BODY_MAX = 4_000;
export const INSIGHT_TITLE_MAX = 200;
export const INSIGHT_TAGS_MAX = 8;

const projectSlug = z
  .string({ error: "The project must be a project's slug." })
  .trim()
  .min(1, "Name the project by its slug.")
  .max(48, "That is not a project's slug.");

const title = z
  .string({ error: "The title must be text." })
  .trim()
  .min(3, "Give the insight a title of at least 3 characters.")
  .max(INSIGHT_TITLE_MAX, `A title must be at most ${INSIGHT_TITLE_MAX} characters.`);

const body = z
  .string({ error: "The insight must be text." })
  .transform((s) => s.replace(/\r\n?/g, "\n").trim())
  .pipe(
    z
      .string()
      .min(1, "Write the insight.")
      .max(
        INSIGHT_BODY_MAX,
        `An insight must be at most ${INSIGHT_BODY_MAX.toLocaleString("en-US")} characters.`,
      ),
  );

const tags = z
  .array(
    z
      .string({ error: "Each tag must be text." })
      .trim()
      .min(1, "A tag cannot be empty.")
      .max(40, "A tag must be at most 40 characters."),
    { error: "Tags must be a list of words." },
  )
  .max(INSIGHT_TAGS_MAX, `At most ${INSIGHT_TAGS_MAX} tags.`)
  .transform((list) => [...new Set(list.map((t) => t.toLowerCase()))]);

export const addInsightSchema = z.strictObject({
  /** Absent: the organization's own insight, offered to every project. */
  project: projectSlug.optional(),
  title,
  body,
  tags: tags.optional(),
});
export type AddInsightInput = z.input<typeof addInsightSchema>;

export const updateInsightSchema = z
  .strictObject({ title: title.optional(), body: body.optional(), tags: tags.optional() })
  .refine((v) => v.title !== undefined || v.body !== undefined || v.tags !== undefined, {
    message: "Change the title, the body or the tags.",
  });
export type UpdateInsightInput = z.input<typeof updateInsightSchema>;

export const listInsightsQuerySchema = z.object({ project: projectSlug.optional() });

/** A title for an insight given as one text (an IDE agent's `add_insight`): its first line, cut. */
export function insightTitle(text: string): string {
  const first =
    text
      .trim()
      .split("\n")[0]
      ?.replace(/^#+\s*/, "")
      .trim() ?? "";
  const cut = first.length > 120 ? `${first.slice(0, 119).trimEnd()}…` : first;
  return cut.length >= 3 ? cut : "Insight";
}
