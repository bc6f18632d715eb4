import type { OperationRecord } from "../runtime/operation-model.js";

// Operation records hold Dates; JSON turns them into strings. These are the fields that
// carry timestamps, restored on the way back.
const DATE_FIELDS: Array<[keyof OperationRecord, string | undefined]> = [
  ["StartTimestamp", undefined],
  ["EndTimestamp", undefined],
  ["StepDetails", "NextAttemptTimestamp"],
  ["WaitDetails", "ScheduledEndTimestamp"],
];

export function encodeRecord(record: OperationRecord): string {
  return JSON.stringify(record);
}

export function decodeRecord(text: string): OperationRecord {
  const record = JSON.parse(text) as Record<string, unknown>;
  for (const [field, nested] of DATE_FIELDS) {
    const holder = nested === undefined ? record : (record[field] as Record<string, unknown> | undefined);
    const key = nested ?? field;
    if (holder && typeof holder[key] === "string") holder[key] = new Date(holder[key] as string);
  }
  return record as unknown as OperationRecord;
}
