/**
 * Small structural checker for JSON read from disk: each reader takes an `unknown`, records
 * errors that name the JSON path (`resources[abiquo_rs].members[0].intervalMs`) and what was
 * expected, and returns a freshly built value containing only known fields. Unknown fields are
 * errors (a typo must not silently lose a setting).
 */
export class ShapeErrors {
  readonly errors: string[] = [];

  add(path: string, message: string): void {
    this.errors.push(`${path === '' ? '(top level)' : path}: ${message}`);
  }
}

export type Reader<T> = (v: unknown, path: string, e: ShapeErrors) => T | undefined;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v === 'object' ? 'an object' : typeof v} ${typeof v === 'object' ? '' : JSON.stringify(v)}`.trim();
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const str: Reader<string> = (v, path, e) => {
  if (typeof v === 'string') return v;
  e.add(path, `expected a string, found ${describe(v)}`);
  return undefined;
};

export const bool: Reader<boolean> = (v, path, e) => {
  if (typeof v === 'boolean') return v;
  e.add(path, `expected true or false, found ${describe(v)}`);
  return undefined;
};

export const int: Reader<number> = (v, path, e) => {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  e.add(path, `expected an integer, found ${describe(v)}`);
  return undefined;
};

export function oneOf<T extends string | number>(values: readonly T[]): Reader<T> {
  return (v, path, e) => {
    if ((values as readonly unknown[]).includes(v)) return v as T;
    e.add(path, `expected one of ${values.map((x) => JSON.stringify(x)).join(', ')}, found ${describe(v)}`);
    return undefined;
  };
}

/** A string → string record (attributes), keeping key order. */
export const attributes: Reader<Record<string, string>> = (v, path, e) => {
  if (!isPlainObject(v)) {
    e.add(path, `expected an object of name → string value, found ${describe(v)}`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    const s = str(x, `${path}.${k}`, e);
    if (s !== undefined) out[k] = s;
  }
  return out;
};

/** Arrays: elements are located by their `id` when they have one, else by index. */
export function arrayOf<T>(item: Reader<T>): Reader<T[]> {
  return (v, path, e) => {
    if (!Array.isArray(v)) {
      e.add(path, `expected an array, found ${describe(v)}`);
      return undefined;
    }
    const out: T[] = [];
    v.forEach((x, i) => {
      const id = isPlainObject(x) && typeof x['id'] === 'string' && x['id'] !== '' ? x['id'] : String(i);
      const r = item(x, `${path}[${id}]`, e);
      if (r !== undefined) out.push(r);
    });
    return out;
  };
}

/** Field access on one JSON object; `done()` reports fields nobody asked for. */
export class Fields {
  private readonly seen = new Set<string>();
  readonly ok: boolean;
  private readonly obj: Record<string, unknown>;

  constructor(
    v: unknown,
    private readonly path: string,
    private readonly e: ShapeErrors,
    what: string,
  ) {
    this.ok = isPlainObject(v);
    this.obj = isPlainObject(v) ? v : {};
    // undefined: the owner already reported the missing field.
    if (!this.ok && v !== undefined) e.add(path, `expected ${what} (an object), found ${describe(v)}`);
  }

  private at(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  req<T>(key: string, read: Reader<T>): T | undefined {
    this.seen.add(key);
    if (!this.ok) return undefined;
    if (!(key in this.obj)) {
      this.e.add(this.at(key), 'required field is missing');
      return undefined;
    }
    return read(this.obj[key], this.at(key), this.e);
  }

  opt<T>(key: string, read: Reader<T>): T | undefined {
    this.seen.add(key);
    if (!this.ok || !(key in this.obj) || this.obj[key] === undefined) return undefined;
    return read(this.obj[key], this.at(key), this.e);
  }

  peek(key: string): unknown {
    return this.obj[key];
  }

  done(): void {
    if (!this.ok) return;
    for (const k of Object.keys(this.obj)) {
      if (!this.seen.has(k)) {
        const near = [...this.seen].find((s) => editDistance(s.toLowerCase(), k.toLowerCase()) <= 2);
        this.e.add(
          this.at(k),
          `unknown field${near === undefined ? '; remove it' : `; did you mean "${near}"?`}`,
        );
      }
    }
  }
}

/** Copies `value` into `target[key]` only when defined (exactOptionalPropertyTypes-friendly). */
export function setOpt<T extends object, K extends keyof T>(
  target: T,
  key: K,
  value: T[K] | undefined,
): void {
  if (value !== undefined) target[key] = value;
}

/** Levenshtein distance, for "did you mean" hints on misspelt field names. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
