import { agentRun } from "./functions/agent-run";
import { approvalOutboxSweep } from "./functions/approval-outbox-sweep";
import { cleanupAuthRecords } from "./functions/cleanup-auth-records";
import { deliverWebhook } from "./functions/deliver-webhook";
import { knowledgeEmbed, knowledgeEmbedSweep } from "./functions/knowledge-embed";
import { knowledgeIndexRepository } from "./functions/knowledge-index-repository";
import { knowledgeProcessDocument } from "./functions/knowledge-process-document";
import { knowledgeProcessingSweep } from "./functions/knowledge-processing-sweep";
import { projectChecks } from "./functions/project-checks";
import { recheckSsoDomains } from "./functions/recheck-sso-domains";
import { webhookDeliverySweep } from "./functions/webhook-delivery-sweep";

/** Every background function, served at /api/inngest. A function missing here never runs. */
export const functions = [
  cleanupAuthRecords,
  agentRun,
  approvalOutboxSweep,
  recheckSsoDomains,
  projectChecks,
  deliverWebhook,
  webhookDeliverySweep,
  knowledgeProcessDocument,
  knowledgeProcessingSweep,
  knowledgeIndexRepository,
  knowledgeEmbed,
  knowledgeEmbedSweep,
];
