// Operation identity: parent / name-or-type # occurrence. Inserting or reordering
// differently named operations cannot hand one operation another one's record.

const escapeSegment = (label: string): string => label.replace(/%/g, "%25").replace(/\//g, "%2F").replace(/#/g, "%23");

export function operationKey(parentId: string | undefined, label: string, occurrence: number): string {
  const local = `${escapeSegment(label)}#${occurrence}`;
  return parentId === undefined ? local : `${parentId}/${local}`;
}
