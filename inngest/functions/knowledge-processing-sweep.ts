import { cron } from "inngest";
import { sweepStuckDocuments } from "@/lib/knowledge/sweep-stuck-documents";
import { inngest } from "../client";

/**
 * Every five minutes: re-announces uploaded documents still processing after five minutes (a lost
 * announcement or run) and fails those stuck for an hour, so no document stays processing.
 */
export const knowledgeProcessingSweep = inngest.createFunction(
  {
    id: "knowledge-processing-sweep",
    name: "Recover stuck knowledge documents",
    retries: 3,
    triggers: [cron("*/5 * * * *")],
  },
  async ({ step }) => step.run("sweep", () => sweepStuckDocuments(inngest)),
);
