import { z } from "zod";
import { KNOWLEDGE_SOURCES } from "@/db/schema";
import { MAX_QUERY_CHARS, MAX_SEARCH_LIMIT } from "./limits";

/** An empty query parameter (`?limit=`) means the parameter is absent. */
const absentIfEmpty = (v: unknown) => (v === "" ? undefined : v);

/** `GET /api/orgs/[org]/knowledge/search?q=&project=&limit=&source=`: the parameters as the URL gives them. */
export const searchParamsSchema = z.object({
  q: z
    .string({ error: "Enter something to search for." })
    .trim()
    .min(1, "Enter something to search for.")
    .max(MAX_QUERY_CHARS, `At most ${MAX_QUERY_CHARS} characters.`),
  /** The project's slug; absent: the organization's own knowledge. */
  project: z.preprocess(absentIfEmpty, z.string().max(100).optional()),
  limit: z.preprocess(
    absentIfEmpty,
    z.coerce
      .number({ error: "Must be a whole number." })
      .int("Must be a whole number.")
      .min(1, "At least 1.")
      .max(MAX_SEARCH_LIMIT, `At most ${MAX_SEARCH_LIMIT}.`)
      .optional(),
  ),
  /** One source or several, comma-separated (`insight,run_outcome`). */
  source: z.preprocess(
    (v) => (typeof v === "string" && v !== "" ? v.split(",").map((s) => s.trim()) : undefined),
    z.array(z.enum(KNOWLEDGE_SOURCES, { error: `One of ${KNOWLEDGE_SOURCES.join(", ")}.` })).optional(),
  ),
});

export type SearchParams = z.infer<typeof searchParamsSchema>;
