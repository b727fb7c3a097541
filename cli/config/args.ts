/**
 * Argument parsing shared by the pcs-style commands. pcs parses its own command lines: positional
 * words, `name=value` pairs, keyword sections (`op`, `meta`, `clone`) and `--long` flags that may
 * appear anywhere. Commander hands us the raw words; these helpers split them.
 */
import { type CommandResult, success, usageError } from './command-result.ts';

export interface FlagSpec {
  /** Flags that take the next word as value (`--group G`), also accepted as `--group=G`. */
  values?: readonly string[];
  /** Flags without value (`--disabled`). */
  booleans?: readonly string[];
}

export interface SplitFlags {
  /** The words that are not flags, in order. */
  words: string[];
  /** Flag name (with dashes) → value (`true` for booleans). */
  flags: Map<string, string | true>;
}

/**
 * Takes `--flag` words out of `words`. Only words starting with `--` are flags, so scores like
 * `-INFINITY` and `-100` stay positional. An unknown flag is a usage error naming the command.
 */
export function splitFlags(
  words: readonly string[],
  spec: FlagSpec,
  command: string,
): CommandResult<SplitFlags> {
  const values = new Set(spec.values ?? []);
  const booleans = new Set(spec.booleans ?? []);
  const out: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (!word.startsWith('--') || word === '--') {
      out.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq === -1 ? word : word.slice(0, eq);
    if (values.has(name)) {
      const value = eq === -1 ? words[++i] : word.slice(eq + 1);
      if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) {
        return usageError(`\`${command}\`: ${name} needs a value (${name} ID)`);
      }
      flags.set(name, value);
    } else if (booleans.has(name) && eq === -1) {
      flags.set(name, true);
    } else {
      const known = [...values, ...booleans].sort();
      return usageError(
        `\`${command}\`: unknown option ${word}` +
          (known.length > 0 ? ` (accepted: ${known.join(', ')})` : ' (it takes no options)'),
      );
    }
  }
  return success({ words: out, flags });
}

export function flagValue(flags: Map<string, string | true>, name: string): string | undefined {
  const v = flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export interface NameValue {
  name: string;
  value: string;
}

/** `name=value` → { name, value } (the value may be empty); anything else → undefined. */
export function parseNameValue(word: string): NameValue | undefined {
  const eq = word.indexOf('=');
  if (eq <= 0) return undefined;
  return { name: word.slice(0, eq), value: word.slice(eq + 1) };
}

export function isNameValue(word: string): boolean {
  return parseNameValue(word) !== undefined;
}

/**
 * Parses every word as `name=value`; a word that is not one is a usage error. Later pairs
 * override earlier ones with the same name, as in pcs.
 */
export function parseNameValues(
  words: readonly string[],
  what: string,
  command: string,
): CommandResult<NameValue[]> {
  const out: NameValue[] = [];
  for (const word of words) {
    const nv = parseNameValue(word);
    if (nv === undefined) {
      return usageError(`\`${command}\`: expected ${what} as name=value, got '${word}'`);
    }
    const existing = out.findIndex((o) => o.name === nv.name);
    if (existing !== -1) out.splice(existing, 1);
    out.push(nv);
  }
  return success(out);
}

/**
 * Applies name=value pairs to an attribute record in place: an empty value removes the name
 * (pcs semantics for `name=`), otherwise the value is set (order of first insertion is kept).
 */
export function applyAttributes(target: Record<string, string>, pairs: readonly NameValue[]): void {
  for (const { name, value } of pairs) {
    if (value === '') delete target[name];
    else target[name] = value;
  }
}

/** An XML ID as Pacemaker requires for resource and constraint ids (an NCName). */
const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function checkId(id: string, what: string): CommandResult<string> {
  if (ID_PATTERN.test(id)) return success(id);
  return usageError(
    `invalid ${what} '${id}': an id starts with a letter or '_' and contains only letters, digits, '_', '.' and '-'`,
  );
}

/** pcs `sanitize_id`: turns generated text (`location-rsc-node--INFINITY`) into a valid id. */
export function sanitizeId(text: string): string {
  let id = text.replace(/[^A-Za-z0-9_.-]/g, '');
  while (id !== '' && !/^[A-Za-z_]/.test(id)) id = id.slice(1);
  return id === '' ? 'id' : id;
}

/** pcs `find_unique_id`: `base`, else `base-1`, `base-2`, … (first one not in use). */
export function uniqueId(base: string, used: ReadonlySet<string>): string {
  if (!used.has(base)) return base;
  for (let n = 1; ; n++) {
    const candidate = `${base}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** Parses pcs booleans (true/false, yes/no, on/off, 1/0, y/n). */
export function parseBoolean(text: string): boolean | undefined {
  const t = text.toLowerCase();
  if (['true', 'yes', 'on', '1', 'y'].includes(t)) return true;
  if (['false', 'no', 'off', '0', 'n'].includes(t)) return false;
  return undefined;
}

/** The keyword sections of `resource create` / `resource update`. */
export interface ResourceSections {
  instance: string[];
  op: string[];
  meta: string[];
  /** Present when `clone` was given: the words after it (`meta` inside stays, as pcs 0.11 writes it). */
  clone?: string[];
  /** An unsupported section keyword that was given (promotable, master, bundle). */
  unsupported?: string;
}

/**
 * Splits words at the keywords `op`, `meta`, `clone` (and the unsupported `promotable`, `master`,
 * `bundle`). A keyword may repeat; its words accumulate.
 */
export function splitResourceSections(words: readonly string[]): ResourceSections {
  const sections: ResourceSections = { instance: [], op: [], meta: [] };
  let current: string[] = sections.instance;
  for (const word of words) {
    if (current === sections.clone) {
      current.push(word);
      continue;
    }
    switch (word) {
      case 'op':
        current = sections.op;
        break;
      case 'meta':
        current = sections.meta;
        break;
      case 'clone':
        sections.clone = [];
        current = sections.clone;
        break;
      case 'promotable':
      case 'master':
      case 'bundle':
        sections.unsupported ??= word;
        break;
      default:
        current.push(word);
    }
  }
  return sections;
}
