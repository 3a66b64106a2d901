import { serve } from "inngest/next";
import { functions } from "@/inngest";
import { inngest } from "@/inngest/client";

/** The app's functions over Inngest's HTTP protocol: called by Inngest, or by the embedded engine. */
export const { GET, POST, PUT } = serve({ client: inngest, functions });
