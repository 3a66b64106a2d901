import type { ChunkFormat } from "../types";
import { DocumentRefused } from "./document-refused";

/** What a file is read as: its extractor and the chunk format of its text. */
export type DocumentKind = "markdown" | "text" | "code" | "html" | "pdf";

const CODE_EXTENSIONS = new Set([
  "ts",
  "tsx",
  "js",
  "jsx",
  "mjs",
  "cjs",
  "py",
  "go",
  "rs",
  "java",
  "kt",
  "rb",
  "php",
  "c",
  "h",
  "cc",
  "cpp",
  "hpp",
  "cs",
  "swift",
  "scala",
  "sql",
  "sh",
  "bash",
  "zsh",
  "yaml",
  "yml",
  "json",
  "toml",
  "ini",
  "css",
  "scss",
  "xml",
  "graphql",
  "proto",
  "tf",
  "lua",
  "dockerfile",
  "makefile",
]);

const BY_EXTENSION: Record<string, DocumentKind> = {
  md: "markdown",
  markdown: "markdown",
  txt: "text",
  text: "text",
  html: "html",
  htm: "html",
  pdf: "pdf",
};

/** The extension in lower case, or the whole name for extension-less names such as `Dockerfile`. */
export function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  return (dot > 0 ? base.slice(dot + 1) : base).toLowerCase();
}

const SUPPORTED = "Markdown, text, HTML, PDF or a source code file";

/**
 * The kind of a file from its name and its first bytes, never from the client's MIME type alone:
 * a PDF is one that starts with `%PDF-`; a file named as text must not be a PDF.
 */
export function detectKind(fileName: string, bytes: Uint8Array): DocumentKind {
  const ext = extensionOf(fileName);
  const isPdf = startsWith(bytes, "%PDF-");
  const kind = BY_EXTENSION[ext] ?? (CODE_EXTENSIONS.has(ext) ? "code" : undefined);
  if (!kind) {
    if (isPdf) return "pdf";
    throw new DocumentRefused(`“.${ext}” files are not supported: upload ${SUPPORTED}.`);
  }
  if (kind === "pdf" && !isPdf) throw new DocumentRefused("This file is named .pdf but is not a PDF.");
  if (kind !== "pdf" && isPdf) throw new DocumentRefused("This file is a PDF: name it .pdf to upload it.");
  return kind;
}

/** Only the extension: the upload form and route refuse an unsupported name before storing bytes. */
export function isSupportedFileName(fileName: string): boolean {
  const ext = extensionOf(fileName);
  return ext in BY_EXTENSION || CODE_EXTENSIONS.has(ext);
}

export const chunkFormatOf = (kind: DocumentKind): ChunkFormat =>
  kind === "markdown" || kind === "html" ? "markdown" : kind === "code" ? "code" : "text";

function startsWith(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}
