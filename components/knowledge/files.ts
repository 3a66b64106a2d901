import { isSupportedFileName } from "@/lib/knowledge/extract/detect-kind";
import { MAX_UPLOAD_BYTES } from "@/lib/knowledge/limits";

/**
 * The extensions the file picker offers: the formats the server extracts text from. Which names
 * are taken is the server's `isSupportedFileName`, checked here before sending anything (and by the
 * server again, by content as well as by name).
 */
const DOCUMENT_EXTENSIONS = ["md", "markdown", "txt", "text", "html", "htm", "pdf"];
// biome-ignore format: a list of words
const CODE_EXTENSIONS = [
  "ts", "tsx", "js", "jsx", "mjs", "cjs", "py", "go", "rs", "java", "kt", "rb", "php", "c", "h", "cc",
  "cpp", "hpp", "cs", "swift", "scala", "sql", "sh", "bash", "zsh", "yaml", "yml", "json", "toml", "ini",
  "css", "scss", "xml", "graphql", "proto", "tf", "lua",
];

export const ACCEPTED_EXTENSIONS = [...DOCUMENT_EXTENSIONS, ...CODE_EXTENSIONS];

/** For the file input's `accept`: the picker offers the files the drop zone takes. */
export const ACCEPT_ATTRIBUTE = ACCEPTED_EXTENSIONS.map((e) => `.${e}`).join(",");

/** Why `file` cannot be uploaded, or null when it may be sent. */
export function rejectReason(
  file: { name: string; size: number },
  maxBytes = MAX_UPLOAD_BYTES,
): string | null {
  if (!isSupportedFileName(file.name)) {
    return `${file.name}: this kind of file is not supported. Upload Markdown, text, HTML, PDF or code files.`;
  }
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > maxBytes) {
    return `${file.name} is ${formatBytes(file.size)}; files can be at most ${formatBytes(maxBytes)}.`;
  }
  return null;
}

/** 1536 → "1.5 KB"; 10485760 → "10 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded = value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${rounded} ${units[unit]}`;
}
