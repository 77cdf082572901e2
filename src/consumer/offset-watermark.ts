/**
 * The commit point of one batch: the offset below which EVERY message is done. Messages of
 * different keys finish out of order; committing past an unfinished one would lose it on a
 * crash, so the watermark only moves over a contiguous run of finished messages.
 */
export class OffsetWatermark {
  private readonly done: boolean[];
  private firstPending = 0;

  constructor(private readonly offsets: readonly string[]) {
    this.done = offsets.map(() => false);
  }

  /** Marks the message at `index` done; returns the new last committable offset when it moved. */
  markDone(index: number): string | null {
    if (index < 0 || index >= this.done.length) throw new RangeError(`no message at index ${index}`);
    this.done[index] = true;
    const before = this.firstPending;
    while (this.firstPending < this.done.length && this.done[this.firstPending] === true) this.firstPending++;
    return this.firstPending > before ? (this.offsets[this.firstPending - 1] ?? null) : null;
  }

  /** The last offset that may be committed (everything up to it is done), or null. */
  get committable(): string | null {
    return this.firstPending === 0 ? null : (this.offsets[this.firstPending - 1] ?? null);
  }

  get allDone(): boolean {
    return this.firstPending === this.done.length;
  }
}
