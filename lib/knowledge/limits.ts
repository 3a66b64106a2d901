/** Limits of the knowledge base; the upload form, the route and the processor read them here. */

/** Largest file a member may upload. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Largest extracted text kept for one document (longer text is refused, not truncated). */
export const MAX_DOCUMENT_CHARS = 2_000_000;
/** Most pages read from one PDF (a longer one is refused). */
export const MAX_PDF_PAGES = 2_000;
/** Target size of a chunk, and the overlap carried from the previous one, in characters. */
export const CHUNK_TARGET_CHARS = 1_200;
export const CHUNK_OVERLAP_CHARS = 150;
export const MAX_TAGS = 12;
export const MAX_TAG_CHARS = 40;
export const MAX_TITLE_CHARS = 200;
/** Results a search returns at most. */
export const MAX_SEARCH_LIMIT = 50;
export const DEFAULT_SEARCH_LIMIT = 8;
export const MAX_QUERY_CHARS = 500;
