import { AppError } from "@/lib/errors";
import { UNREACHABLE_MESSAGE, UnreachableUrlError, type UrlPolicy, urlShapeProblem, vetUrl } from "./vet-url";

/**
 * Checks a URL an organization admin is saving (the same rules as `guardedFetch`, without
 * connecting): a 422 with a message on `field` that says what to fix in the URL's shape, and the
 * one non-descriptive message when its host is internal or does not resolve.
 */
export async function assertPublicUrl(
  input: string,
  options: UrlPolicy & { field: string; example?: string },
): Promise<URL> {
  const fail = (message: string) =>
    new AppError("validation", "Some fields are invalid.", { fieldErrors: { [options.field]: [message] } });
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw fail(`Enter a full URL like ${options.example ?? "https://example.com"}.`);
  }
  const problem = urlShapeProblem(url, options.allowHttp ?? false);
  if (problem) throw fail(problem);
  try {
    await vetUrl(url, options);
  } catch (error) {
    if (!(error instanceof UnreachableUrlError)) throw error;
    console.warn(`[net] refused ${options.field} ${url.origin}: ${error.reason}`);
    throw fail(UNREACHABLE_MESSAGE);
  }
  return url;
}
