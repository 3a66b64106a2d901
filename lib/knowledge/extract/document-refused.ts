import { MAX_DOCUMENT_CHARS } from "../limits";

/**
 * A document the knowledge base will not take, with a reason a member can act on (shown on the
 * document as its error). Permanent: processing the same bytes again gives the same answer.
 */
export class DocumentRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "DocumentRefused";
  }
}

export const tooLongReason = () =>
  `This document's text is longer than ${MAX_DOCUMENT_CHARS.toLocaleString("en")} characters: split it into smaller files.`;
