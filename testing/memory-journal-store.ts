import type { OperationRecord } from "../runtime/index.js";
import type { JournalStore } from "../runtime/journal.js";

/** An execution's journal in memory, in first-write order, with a hook for observers. */
export class MemoryJournalStore implements JournalStore {
  private readonly records = new Map<string, OperationRecord>();
  private readonly listeners: Array<(record: OperationRecord) => void> = [];

  load(): OperationRecord[] {
    return [...this.records.values()];
  }

  save(record: OperationRecord): void {
    this.records.set(record.Id, record);
    for (const listener of this.listeners) listener(record);
  }

  get(id: string): OperationRecord | undefined {
    return this.records.get(id);
  }

  onSave(listener: (record: OperationRecord) => void): void {
    this.listeners.push(listener);
  }

  /** An independent copy, for the replay check to write into. */
  snapshot(): MemoryJournalStore {
    const copy = new MemoryJournalStore();
    for (const record of this.records.values()) copy.records.set(record.Id, record);
    return copy;
  }
}
