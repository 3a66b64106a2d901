import { z } from "zod";
import { isReservedSlug, SLUG_MAX, SLUG_MIN, SLUG_PATTERN } from "./slug";

export const orgNameSchema = z
  .string({ error: "Enter a name for the organization." })
  .trim()
  .min(2, "The name must be at least 2 characters.")
  .max(64, "The name must be at most 64 characters.");

export const orgSlugSchema = z
  .string({ error: "Enter a URL slug." })
  .trim()
  .toLowerCase()
  .min(SLUG_MIN, `The URL slug must be at least ${SLUG_MIN} characters.`)
  .max(SLUG_MAX, `The URL slug must be at most ${SLUG_MAX} characters.`)
  .regex(SLUG_PATTERN, "Use lowercase letters, digits and single hyphens (not at the start or end).")
  .refine((slug) => !isReservedSlug(slug), "This URL is reserved. Choose another.");

/** An empty form field means "not given" (FormData sends "" for blank inputs). */
const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

export const createOrganizationSchema = z.object({
  name: orgNameSchema,
  slug: z.preprocess(blankToUndefined, orgSlugSchema.optional()),
});
export type CreateOrganizationInput = z.infer<typeof createOrganizationSchema>;

export const updateOrganizationSchema = z
  .object({
    name: z.preprocess(blankToUndefined, orgNameSchema.optional()),
    slug: z.preprocess(blankToUndefined, orgSlugSchema.optional()),
  })
  .refine((v) => v.name !== undefined || v.slug !== undefined, {
    message: "Give a new name or URL slug.",
    path: ["name"],
  });
export type UpdateOrganizationInput = z.infer<typeof updateOrganizationSchema>;

export const deleteOrganizationSchema = z.object({
  confirm: z.string({ error: "Type the organization's URL slug to confirm." }).trim(),
});
export type DeleteOrganizationInput = z.infer<typeof deleteOrganizationSchema>;
