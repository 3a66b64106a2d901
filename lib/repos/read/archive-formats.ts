export const ARCHIVE_FORMATS = ["zip", "tar.gz"] as const;
export type ArchiveFormat = (typeof ARCHIVE_FORMATS)[number];
