/** Bounds that keep each tool call cheap and its answer a readable size for a model. */
export const MAX_WRITE_BYTES = 1024 * 1024;
/** Files larger than this are not loaded by read_file or edit_file. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** Text returned by one read_file call. */
export const MAX_READ_CHARS = 48_000;
export const MAX_LIST_ENTRIES = 400;
export const DEFAULT_LIST_DEPTH = 3;
export const DEFAULT_SEARCH_MATCHES = 50;
export const MAX_SEARCH_LINE_CHARS = 300;
export const MAX_SEARCH_CHARS = 40_000;
export const MAX_DIFF_CHARS = 60_000;
