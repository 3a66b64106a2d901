import ipaddr from "ipaddr.js";

/**
 * - `public`: a global unicast address, always allowed.
 * - `private`: loopback, RFC 1918, unique-local (fc00::/7), CGNAT (100.64/10); allowed only when
 *   the operator sets ALLOW_PRIVATE_NETWORK_URLS (an IdP or model server on the LAN).
 * - `blocked`: everything else (unspecified, link-local incl. cloud metadata, multicast,
 *   broadcast, reserved and documentation ranges…), never allowed.
 */
export type AddressClass = "public" | "private" | "blocked";

const PRIVATE_RANGES = new Set(["loopback", "private", "uniqueLocal", "carrierGradeNat"]);
// Only 2000::/3 is allocated for global unicast; ipaddr.js calls any unlisted address "unicast".
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");
const NAT64 = ipaddr.parseCIDR("64:ff9b::/96");
const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96");

function fromLast32Bits(bytes: number[]): ipaddr.IPv4 {
  return new ipaddr.IPv4(bytes.slice(12, 16));
}

/** The IPv4 address an IPv6 address stands for (mapped, SIIT, NAT64, 6to4), if any. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = address.range();
  if (range === "ipv4Mapped") return address.toIPv4Address();
  if (range === "rfc6145" || address.match(NAT64)) return fromLast32Bits(address.toByteArray());
  if (range === "6to4") return new ipaddr.IPv4(address.toByteArray().slice(2, 6));
  return null;
}

function classifyV4(address: ipaddr.IPv4): AddressClass {
  const range = address.range();
  if (range === "unicast") return "public";
  return PRIVATE_RANGES.has(range) ? "private" : "blocked";
}

/** Classifies one IP address (any textual form ipaddr.js parses). Unparseable input is blocked. */
export function classifyAddress(input: string): AddressClass {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.parse(input.replace(/^\[|\]$/g, ""));
  } catch {
    return "blocked";
  }
  if (address.kind() === "ipv4") return classifyV4(address as ipaddr.IPv4);
  const v6 = address as ipaddr.IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded) return classifyV4(embedded);
  const range = v6.range();
  if (range === "loopback" || range === "uniqueLocal") return "private";
  // ::a.b.c.d (deprecated IPv4-compatible) could reach the embedded IPv4 address.
  if (v6.match(IPV4_COMPATIBLE)) return "blocked";
  if (range === "unicast" && v6.match(GLOBAL_UNICAST_V6)) return "public";
  return "blocked";
}
