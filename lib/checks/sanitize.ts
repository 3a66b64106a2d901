/**
 * Command output as text Postgres can store (text and jsonb refuse NUL) and a page can show:
 * NUL and other C0 controls but tab, newline and carriage return become U+FFFD, and ANSI colour
 * and cursor sequences are dropped.
 */
export function storableOutput(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping terminal escapes is the point
      .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "\uFFFD")
  );
}

/** The last `maxLines` lines of a text, within `maxChars`, marked when something was cut. */
export function tailOf(text: string, maxLines = 60, maxChars = 4000): string {
  const lines = text.replace(/\s+$/, "").split("\n");
  let tail = lines.slice(-maxLines).join("\n");
  if (tail.length > maxChars) tail = tail.slice(-maxChars);
  return tail.length < text.trimEnd().length ? `… ${tail.replace(/^[^\n]*\n/, "")}` : tail;
}
