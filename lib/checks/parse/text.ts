/** Helpers shared by the output parsers. */

// CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks, titles).
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping terminal escapes is the point
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/** The output as plain lines: terminal escapes removed, CRLF and CR line ends normalised. */
export function cleanLines(output: string): string[] {
  return output.replace(ANSI, "").replace(/\r\n?/g, "\n").split("\n");
}
