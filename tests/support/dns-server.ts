import type { AddressInfo } from "node:net";
import dns2 from "dns2";

const { Packet } = dns2;

export type TestDnsServer = {
  /** `127.0.0.1:<port>`, the value for SSO_DNS_SERVERS. */
  address: string;
  /** Publishes TXT records at `name` (replacing earlier ones); none removes the name. */
  setTxt: (name: string, ...values: string[]) => void;
  stop: () => Promise<void>;
};

/**
 * A real DNS server over UDP on 127.0.0.1 (dns2), authoritative for whatever the test publishes:
 * TXT answers for published names, NXDOMAIN for the rest. TTL 0, so nothing is cached.
 * Port 0 picks a free one (read it from `address`).
 */
export async function startDnsServer(listenPort = 0): Promise<TestDnsServer> {
  const zone = new Map<string, string[]>();
  const server = dns2.createUDPServer((request, send) => {
    const response = Packet.createResponseFromRequest(request);
    const question = request.questions[0];
    const values = question ? zone.get(question.name.toLowerCase()) : undefined;
    if (!question || !values) {
      response.header.rcode = 3; // NXDOMAIN
    } else if (question.type === Packet.TYPE.TXT) {
      for (const data of values) {
        const answer = { name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 0, data };
        response.answers.push(answer as unknown as (typeof response.answers)[number]);
      }
    }
    void send(response);
  });
  await new Promise<void>((resolve) => server.bind(listenPort, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    setTxt: (name, ...values) => {
      if (values.length === 0) zone.delete(name.toLowerCase());
      else zone.set(name.toLowerCase(), values);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Points SSO domain verification at `server` (lib/env.ts reads SSO_DNS_SERVERS once; reset it). */
export function useDnsServer(server: TestDnsServer | null) {
  if (server) process.env.SSO_DNS_SERVERS = server.address;
  else delete process.env.SSO_DNS_SERVERS;
  (globalThis as { __dmEnv?: unknown }).__dmEnv = undefined;
}
