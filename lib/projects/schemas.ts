import { z } from "zod";
import { importRemoteSchema } from "@/lib/repos/settings/schemas";

/** Limits shared by the API, the server actions and the form hints. */
export const PROJECT_LIMITS = {
  nameMin: 2,
  nameMax: 80,
  slugMax: 48,
  description: 500,
  brief: 20_000,
  search: 100,
} as const;

/**
 * A 20,000-character brief can take up to 80 KB as UTF-8, above the default 64 KB body cap; a
 * larger cap lets the brief's own limit answer with a field message instead of a bare 413.
 */
export const PROJECT_BODY_MAX_BYTES = 128 * 1024;

export const PROJECT_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

/** `/[org]/projects/new` is a page, so no project may take that slug. */
export const RESERVED_PROJECT_SLUGS: ReadonlySet<string> = new Set(["new"]);

const text = (field: string, article = "a") =>
  z.string({
    error: (i) => (i.input === undefined ? `Enter ${article} ${field}.` : `The ${field} must be text.`),
  });

/** Empty form fields and empty query parameters mean "not given". */
const blankAsMissing = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const name = text("name")
  .trim()
  .min(PROJECT_LIMITS.nameMin, `The name must be at least ${PROJECT_LIMITS.nameMin} characters.`)
  .max(PROJECT_LIMITS.nameMax, `The name must be at most ${PROJECT_LIMITS.nameMax} characters.`);

const slug = text("URL slug")
  .trim()
  .regex(
    PROJECT_SLUG,
    `Use 1–${PROJECT_LIMITS.slugMax} lowercase letters, digits and hyphens, not starting or ending with a hyphen.`,
  )
  .refine((s) => !RESERVED_PROJECT_SLUGS.has(s), "This slug is reserved; choose another.");

const description = text("description")
  .trim()
  .max(
    PROJECT_LIMITS.description,
    `The description must be at most ${PROJECT_LIMITS.description} characters.`,
  );

// Browsers submit textarea line breaks as CRLF; counting them as one character matches the form.
const brief = text("brief")
  .overwrite((s) => s.replace(/\r\n?/g, "\n"))
  .trim()
  .max(
    PROJECT_LIMITS.brief,
    `The brief must be at most ${PROJECT_LIMITS.brief.toLocaleString("en-US")} characters.`,
  );

export const createProjectSchema = z.object({
  name,
  /** Suggested from the name when left out. */
  slug: blankAsMissing(slug),
  description: description.default(""),
  brief: brief.default(""),
  /** Start from an existing repository instead of a README commit. */
  import: importRemoteSchema.optional(),
});
export type CreateProjectInput = z.infer<typeof createProjectSchema>;

const updateFields = z.object({
  name: name.optional(),
  slug: slug.optional(),
  description: description.optional(),
  brief: brief.optional(),
});
const hasAChange = (v: z.infer<typeof updateFields>) =>
  v.name !== undefined || v.slug !== undefined || v.description !== undefined || v.brief !== undefined;
const nothingToChange = "Send at least one of name, slug, description or brief.";

export const updateProjectSchema = updateFields.refine(hasAChange, nothingToChange);
export type UpdateProjectInput = z.infer<typeof updateProjectSchema>;

/** Which project an action is about: its slug in this organization. */
const projectRef = text("project").min(1, "Enter a project.");

export const updateProjectActionSchema = updateFields
  .extend({ project: projectRef })
  .refine(hasAChange, nothingToChange);

export const projectRefSchema = z.object({ project: projectRef });

export const listProjectsQuerySchema = z.object({
  status: blankAsMissing(
    z.enum(["active", "archived"], { error: "Status must be active or archived." }),
  ).transform((s) => s ?? "active"),
  q: blankAsMissing(
    z.string().trim().max(PROJECT_LIMITS.search, `Search at most ${PROJECT_LIMITS.search} characters.`),
  ),
});
export type ListProjectsQuery = z.infer<typeof listProjectsQuerySchema>;
