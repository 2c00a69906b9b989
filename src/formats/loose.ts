/** Every field a record may have, for property reads without narrowing (values unchecked). */
export interface LooseRecord {
  readonly type: string;
  readonly id?: unknown;
  readonly ownerName?: unknown;
  readonly dateAdded?: unknown;
  readonly lastModified?: unknown;
  readonly description?: unknown;
  readonly confidence?: unknown;
  readonly rating?: unknown;
  readonly weblink?: unknown;
  readonly name?: unknown;
  readonly ip?: unknown;
  readonly address?: unknown;
  readonly md5?: unknown;
  readonly sha1?: unknown;
  readonly sha256?: unknown;
  readonly size?: unknown;
  readonly hostName?: unknown;
  readonly dnsActive?: unknown;
  readonly whoisActive?: unknown;
  readonly text?: unknown;
  readonly source?: unknown;
  readonly summary?: unknown;
}
