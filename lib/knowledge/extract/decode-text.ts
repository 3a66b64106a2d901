import { DocumentRefused } from "./document-refused";

/**
 * The bytes of a text file as a string: UTF-8 (a BOM is dropped), never binary content that claims
 * to be text (a NUL byte or invalid UTF-8 is refused). Line ends are kept as they are.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.includes(0)) {
    throw new DocumentRefused("This file contains binary data (NUL bytes), not text.");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new DocumentRefused("This file is not valid UTF-8 text: save it as UTF-8 and upload it again.");
  }
}
