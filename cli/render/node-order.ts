/**
 * Node name order as crm_mon prints it: Pacemaker sorts nodes with `pcmk__numeric_strcasecmp`
 * (case-insensitive, runs of digits compared as numbers), so node2 comes before node10.
 */
export function compareNodeNames(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a[i] ?? '';
    const cb = b[j] ?? '';
    if (isDigit(ca) && isDigit(cb)) {
      let ei = i;
      while (ei < a.length && isDigit(a[ei] ?? '')) ei++;
      let ej = j;
      while (ej < b.length && isDigit(b[ej] ?? '')) ej++;
      const na = Number(a.slice(i, ei));
      const nb = Number(b.slice(j, ej));
      if (na !== nb) return na < nb ? -1 : 1;
      i = ei;
      j = ej;
      continue;
    }
    const la = ca.toLowerCase();
    const lb = cb.toLowerCase();
    if (la !== lb) return la < lb ? -1 : 1;
    i++;
    j++;
  }
  if (a.length - i !== b.length - j) return a.length - i < b.length - j ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

export function sortNodeNames(names: Iterable<string>): string[] {
  return [...names].sort(compareNodeNames);
}
