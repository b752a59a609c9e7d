/** What the user asked for, independent of Singer or Airbyte catalog formats. */
export interface StreamSelection {
  name: string;
  /** Top-level fields to emit; undefined means all. Key and replication fields are always added. */
  fields?: Set<string>;
  /** false: full refresh, ignore the bookmark (still checkpoint). */
  incremental: boolean;
}
