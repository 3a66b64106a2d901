import { cron } from "inngest";
import { sweepApprovalOutbox } from "@/lib/runs/approval-outbox";
import { inngest } from "../client";

/**
 * Every minute (and once after a restart, for the tick missed while down): re-sends approval
 * decisions whose event a crash between commit and send left unsent, so the waiting run resumes.
 */
export const approvalOutboxSweep = inngest.createFunction(
  {
    id: "approval-outbox-sweep",
    name: "Re-send unsent approval decisions",
    retries: 3,
    triggers: [cron("* * * * *")],
  },
  async ({ step }) => ({ resent: await step.run("resend", () => sweepApprovalOutbox(inngest)) }),
);
