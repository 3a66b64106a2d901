/**
 * Docker image references, validated strictly before one is stored or handed to `docker run`
 * (where it is an argument: a value starting with "-" would be read as an option). Pure, so the
 * settings form, the API schemas and lib/env share it.
 *
 * The grammar is Docker's (distribution/reference), narrowed: `[registry[:port]/]path[:tag][@digest]`
 * with lowercase path components, a registry that is `localhost` or has a dot or a port, a tag of
 * at most 128 word characters, dots and dashes, and a sha256 or sha512 digest.
 */

export const DOCKER_IMAGE_MAX = 200;

const DOMAIN_LABEL = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const REGISTRY = `(?:localhost|${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})+|${DOMAIN_LABEL})(?::[0-9]{1,5})?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
const DIGEST = "sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}";

const REGISTRY_RE = new RegExp(`^${REGISTRY}$`);
const PATH_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG_RE = new RegExp(`^${TAG}$`);
const DIGEST_RE = new RegExp(`^(?:${DIGEST})$`);

/** The message shown beside the field when a reference is refused. */
export const DOCKER_IMAGE_MESSAGE =
  "Use an image reference like node:20-bookworm or ghcr.io/org/image@sha256:… (lowercase, no spaces).";

/** True for an image reference such as `node:20-bookworm` or `ghcr.io/org/img@sha256:<64 hex>`. */
export function isDockerImageRef(value: string): boolean {
  if (value.length === 0 || value.length > DOCKER_IMAGE_MAX) return false;
  let rest = value;
  const at = rest.indexOf("@");
  if (at !== -1) {
    if (!DIGEST_RE.test(rest.slice(at + 1))) return false;
    rest = rest.slice(0, at);
  }
  // A tag follows the last ":" after the last "/" (a ":" before it is a registry's port).
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > slash) {
    if (!TAG_RE.test(rest.slice(colon + 1))) return false;
    rest = rest.slice(0, colon);
  }
  const first = rest.indexOf("/");
  const head = first === -1 ? "" : rest.slice(0, first);
  // Like Docker: the first part is a registry only when it is localhost or has a dot or a port.
  const hasRegistry = head !== "" && (head === "localhost" || head.includes(".") || head.includes(":"));
  if (hasRegistry) {
    if (!REGISTRY_RE.test(head)) return false;
    rest = rest.slice(first + 1);
  }
  return PATH_RE.test(rest);
}
