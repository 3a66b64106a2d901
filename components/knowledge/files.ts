import { MAX_UPLOAD_BYTES } from "@/lib/knowledge/limits";

/**
 * What the drop zone accepts before sending anything: the formats the server extracts text from
 * (it checks again, by content as well as by name).
 */
const DOCUMENT_EXTENSIONS = ["md", "markdown", "txt", "html", "htm", "pdf"];
const CODE_EXTENSIONS = [
  "ts",
  "tsx",
  "js",
  "jsx",
  "mjs",
  "cjs",
  "json",
  "yaml",
  "yml",
  "toml",
  "py",
  "rb",
  "go",
  "rs",
  "java",
  "kt",
  "swift",
  "c",
  "h",
  "cc",
  "cpp",
  "hpp",
  "cs",
  "php",
  "sh",
  "sql",
  "css",
  "scss",
  "graphql",
  "proto",
  "xml",
  "csv",
  "ini",
  "env.example",
];

export const ACCEPTED_EXTENSIONS = [...DOCUMENT_EXTENSIONS, ...CODE_EXTENSIONS];

/** For the file input's `accept`: the picker offers the same files the drop zone takes. */
export const ACCEPT_ATTRIBUTE = ACCEPTED_EXTENSIONS.map((e) => `.${e}`).join(",");

function extensionOf(name: string): string {
  const lower = name.toLowerCase();
  // Longest first so `x.env.example` matches `env.example`, not `example`.
  const match = [...ACCEPTED_EXTENSIONS]
    .sort((a, b) => b.length - a.length)
    .find((e) => lower.endsWith(`.${e}`));
  return match ?? "";
}

/** Why `file` cannot be uploaded, or null when it may be sent. */
export function rejectReason(
  file: { name: string; size: number },
  maxBytes = MAX_UPLOAD_BYTES,
): string | null {
  if (!extensionOf(file.name)) {
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
