import "server-only";
import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";

export type PageRead<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * For Code pages: a missing project, ref or path is the 404 page; a malformed ref or path (a
 * hand-edited URL) is shown as a message on the page instead of an error page.
 */
export async function pageRead<T>(read: Promise<T>): Promise<PageRead<T>> {
  try {
    return { ok: true, value: await read };
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    if (error instanceof AppError && (error.code === "bad_request" || error.code === "validation"))
      return { ok: false, message: error.message };
    throw error;
  }
}

/** The first value of a search param. */
export const searchParam = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;
