import { Inngest } from "inngest";
import { inngestClientOptions } from "@/lib/engine/embedded";

/**
 * The app's one Inngest client. With no Inngest configured it talks to the embedded engine
 * (lib/engine); with INNGEST_SIGNING_KEY / INNGEST_BASE_URL / INNGEST_DEV (or ENGINE=inngest) it is
 * a plain Inngest client. Nothing else in the app changes between the two.
 */
export const inngest = new Inngest(inngestClientOptions("dafnckmachine"));
