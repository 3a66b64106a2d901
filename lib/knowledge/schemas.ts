import { z } from "zod";
import { KNOWLEDGE_SOURCES } from "@/db/schema";
import { MAX_QUERY_CHARS, MAX_TAG_CHARS, MAX_TAGS, MAX_TITLE_CHARS } from "./limits";

/** A project slug, or absent/empty for the organization's own knowledge. */
export const projectSlugField = z
  .string()
  .trim()
  .max(64)
  .optional()
  .nullable()
  .transform((v) => v || null);

/** Control and format characters (bidi overrides, zero-width spaces): they hide or reorder a name. */
export const INVISIBLE_CHARS = /[\p{Cc}\p{Cf}]/gu;
const visible = z.string().transform((s) => s.replace(INVISIBLE_CHARS, ""));

export const titleField = visible.pipe(
  z
    .string()
    .trim()
    .min(1, "Give the document a title.")
    .max(MAX_TITLE_CHARS, `At most ${MAX_TITLE_CHARS} characters.`),
);

/** Tags: trimmed, lower-cased, de-duplicated; empty ones dropped. */
export const tagsField = z
  .array(
    visible.pipe(
      z.string().trim().toLowerCase().max(MAX_TAG_CHARS, `Each tag is at most ${MAX_TAG_CHARS} characters.`),
    ),
  )
  .transform((tags) => [...new Set(tags.filter(Boolean))])
  .refine((tags) => tags.length <= MAX_TAGS, `At most ${MAX_TAGS} tags.`);

/** Tags as a form sends them: `a, b, c`. */
export const tagsFromText = z
  .string()
  .max(MAX_TAGS * (MAX_TAG_CHARS + 2) * 2, "Too many tags.")
  .transform((s) => s.split(","))
  .pipe(tagsField);

export const uploadFieldsSchema = z.object({
  projectSlug: projectSlugField,
  title: titleField.optional(),
  tags: z.union([tagsField, tagsFromText]).optional(),
  documentId: z.uuid("Not a document id.").optional(),
});
export type UploadFields = z.input<typeof uploadFieldsSchema>;

export const updateDocumentSchema = z
  .object({ title: titleField.optional(), tags: tagsField.optional() })
  .strict()
  .refine((v) => v.title !== undefined || v.tags !== undefined, "Change the title or the tags.");
export type UpdateDocumentInput = z.input<typeof updateDocumentSchema>;

export const listDocumentsQuery = z.object({
  project: projectSlugField,
  source: z.enum(KNOWLEDGE_SOURCES).optional(),
  q: z.string().trim().max(MAX_QUERY_CHARS).optional(),
});

export const documentScopeQuery = z.object({ project: projectSlugField });
