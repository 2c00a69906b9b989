/**
 * Record text gathered into large writes. A listing prints hundreds of thousands of short lines, and a
 * write per line costs a buffer conversion and a stream round each (and, for a file, system calls in
 * small pieces). Text is kept until it reaches {@link BATCH_CHARS}, then written and its backpressure
 * awaited; whatever is kept when the event loop next goes idle (the records stopped coming, say while
 * the next page is on its way) is written then, so a slow listing still shows its lines as they come.
 */
import type { Sink } from './output.js';

/** The text kept before a write: 64 Ki characters. */
export const BATCH_CHARS = 65_536;

export interface BatchedSink {
  /** Adds text; a promise (to await) only when a write was due, else undefined. */
  add(text: string): Promise<void> | undefined;
  /** Writes what is kept and waits for the stream to take more. */
  flush(): Promise<void>;
}

/** Gathers text for `sink`; see the module comment. */
export function batched(sink: Sink): BatchedSink {
  let kept = '';
  let scheduled = false;
  // A write started from the idle flush; the next add() or flush() waits for it (and sees its error).
  let inFlight: Promise<void> | undefined;
  const idle = (): void => {
    scheduled = false;
    if (kept === '' || inFlight !== undefined) return;
    const text = kept;
    kept = '';
    const write = sink.write(text);
    inFlight = write;
    write.then(
      () => {
        if (inFlight === write) inFlight = undefined;
      },
      () => undefined,
    );
  };
  const flush = async (): Promise<void> => {
    if (inFlight !== undefined) {
      const previous = inFlight;
      inFlight = undefined;
      await previous;
    }
    if (kept === '') return;
    const text = kept;
    kept = '';
    await sink.write(text);
    // A turn of the event loop per batch: V8 runs its garbage collector's tasks (finishing a marking,
    // freeing old buffers) from the loop, and a listing whose pages are already there would otherwise
    // keep it busy with promise jobs alone. Without this turn a million-line export peaked ~25 MB higher.
    await new Promise<void>((resolve) => {
      setImmediate(resolve);
    });
  };
  return {
    add(text) {
      kept += text;
      if (kept.length >= BATCH_CHARS || inFlight !== undefined) return flush();
      if (!scheduled) {
        scheduled = true;
        setImmediate(idle);
      }
      return undefined;
    },
    flush,
  };
}
