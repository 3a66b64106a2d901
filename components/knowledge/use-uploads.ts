"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { toast } from "sonner";
import { type KnowledgeTarget, knowledgeKeys, uploadDocument } from "./api";
import { rejectReason } from "./files";

/** One file on its way up, shown under the drop zone until it is dismissed. */
export type UploadItem = {
  key: string;
  name: string;
  /** 0..1 of the bytes sent. */
  progress: number;
  state: "uploading" | "sent" | "failed";
  error?: string;
  /** A new version of an existing document rather than a new one. */
  newVersion: boolean;
};

export type UploadOptions = { title?: string; tags?: string[]; documentId?: string };

let counter = 0;

/**
 * Sends files to the knowledge API one request each (in parallel), tracking each upload's
 * progress. Files the server would refuse (unsupported, empty, over the cap) are refused here
 * with the reason, without sending them; the server checks again.
 */
export function useUploads(target: KnowledgeTarget, maxBytes: number) {
  const queryClient = useQueryClient();
  const [items, setItems] = useState<UploadItem[]>([]);
  const [rejected, setRejected] = useState<string[]>([]);

  const patch = useCallback(
    (key: string, change: Partial<UploadItem>) =>
      setItems((all) => all.map((item) => (item.key === key ? { ...item, ...change } : item))),
    [],
  );

  const upload = useCallback(
    async (files: File[], options: UploadOptions = {}) => {
      const reasons = files.map((f) => rejectReason(f, maxBytes));
      const refused = reasons.filter((r): r is string => r !== null);
      setRejected(refused);
      if (refused.length)
        toast.error(refused.length === 1 ? refused[0] : `${refused.length} files were not uploaded.`);
      const accepted = files.filter((_, i) => reasons[i] === null);
      // A title names one document: with several files each keeps its own name.
      const title = accepted.length === 1 ? options.title : undefined;
      await Promise.all(
        accepted.map(async (file) => {
          const key = `upload-${++counter}`;
          setItems((all) => [
            {
              key,
              name: file.name,
              progress: 0,
              state: "uploading",
              newVersion: Boolean(options.documentId),
            },
            ...all,
          ]);
          try {
            await uploadDocument(target, {
              file,
              title,
              tags: options.tags,
              documentId: options.documentId,
              onProgress: (progress) => patch(key, { progress }),
            });
            patch(key, { state: "sent", progress: 1 });
            // Sent: the list shows it as processing until the server has read it.
            setTimeout(() => setItems((all) => all.filter((item) => item.key !== key)), 1500);
          } catch (error) {
            const message = error instanceof Error ? error.message : "The upload failed.";
            patch(key, { state: "failed", error: message });
            toast.error(`${file.name}: ${message}`);
          } finally {
            await queryClient.invalidateQueries({ queryKey: knowledgeKeys.documents(target) });
          }
        }),
      );
    },
    [maxBytes, patch, queryClient, target],
  );

  const dismiss = useCallback((key: string) => setItems((all) => all.filter((i) => i.key !== key)), []);
  const clearRejected = useCallback(() => setRejected([]), []);

  return { items, rejected, upload, dismiss, clearRejected };
}

export type Uploads = ReturnType<typeof useUploads>;
