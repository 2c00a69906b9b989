/**
 * The changes a sync run has delivered, as (id, lastModified) pairs, kept for the whole run (to skip a
 * change a shifting listing shows twice, and for the progress state of a stream sink). Held as a map
 * from id to its lastModified text, with the rare second lastModified of one id (an indicator changed
 * during the run) beside it: about 70 bytes a change instead of the 170 that a map of `id\0lastModified`
 * keys to [id, lastModified] pairs took, which made the process grow with the count.
 */
export type Change = readonly [id: number, lastModified: string];

/** The text key of one change, for sets and maps of them. */
export const changeKey = (id: number, lastModified: string): string => `${id}\u0000${lastModified}`;

export class DeliveredChanges {
  readonly #first = new Map<number, string>();
  readonly #more = new Map<string, Change>();

  has(id: number, lastModified: string): boolean {
    const first = this.#first.get(id);
    if (first === undefined) return false;
    return first === lastModified || this.#more.has(changeKey(id, lastModified));
  }

  add(id: number, lastModified: string): void {
    const first = this.#first.get(id);
    if (first === undefined) this.#first.set(id, lastModified);
    else if (first !== lastModified) this.#more.set(changeKey(id, lastModified), [id, lastModified]);
  }

  /** Every pair, each id's first one in the order they were added, then the others. */
  *values(): Generator<Change> {
    for (const [id, lastModified] of this.#first) yield [id, lastModified];
    yield* this.#more.values();
  }
}
