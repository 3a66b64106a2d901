import { describe, expect, it } from "vitest";
import { draftContent } from "./draft-text";

describe("draftContent", () => {
  const full = JSON.stringify({
    kind: "documentation",
    title: "T",
    content: '# Title\n\n"Quoted" \\ é ✓ done',
    summary: "s",
  });

  it("decodes the whole field once it has arrived", () => {
    expect(draftContent(full)).toBe('# Title\n\n"Quoted" \\ é ✓ done');
  });

  it("grows monotonically as the JSON streams in, never showing half an escape", () => {
    let previous = "";
    for (let n = 0; n <= full.length; n++) {
      const text = draftContent(full.slice(0, n));
      expect(text.startsWith(previous)).toBe(true);
      previous = text;
    }
    expect(previous).toBe('# Title\n\n"Quoted" \\ é ✓ done');
  });

  it("is empty before the field starts", () => {
    expect(draftContent('{"kind":"documentation","title":"T"')).toBe("");
  });
});
