/**
 * Finds where a JSON text stops being valid (JSON.parse in Node 20 does not always say), as
 * { line, column, expected } for error messages. Returns undefined when the text is valid JSON.
 */
export interface JsonErrorPosition {
  line: number;
  column: number;
  offset: number;
  expected: string;
}

export function findJsonError(text: string): JsonErrorPosition | undefined {
  let i = 0;
  const stop = (expected: string): never => {
    throw new JsonStop(i, expected);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else stop('a JSON value');
  };
  const string = (): void => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charAt(i);
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const n = text.charAt(i + 1);
        if (n === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) stop('four hex digits after \\u');
          i += 6;
        } else if ('"\\/bfnrt'.includes(n) && n !== '') i += 2;
        else stop('a valid escape (\\" \\\\ \\n …)');
      } else if (c < ' ') stop('no control characters in a string (escape them)');
      else i++;
    }
    stop('a closing " for the string');
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (m === null || m[0] === '' || m[0] === '-') stop('a number');
    else i += m[0].length;
  };
  const value = (): void => {
    ws();
    const c = text.charAt(i);
    if (c === '{') {
      i++;
      ws();
      if (text.charAt(i) === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text.charAt(i) !== '"') stop('a "quoted" property name');
        string();
        ws();
        if (text.charAt(i) !== ':') stop("':' after the property name");
        i++;
        value();
        ws();
        if (text.charAt(i) === ',') {
          i++;
          continue;
        }
        if (text.charAt(i) === '}') {
          i++;
          return;
        }
        stop("',' or '}' after the property value");
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text.charAt(i) === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text.charAt(i) === ',') {
          i++;
          continue;
        }
        if (text.charAt(i) === ']') {
          i++;
          return;
        }
        stop("',' or ']' after the array element");
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c >= '0' && c <= '9')) number();
    else stop('a JSON value');
  };
  try {
    value();
    ws();
    if (i < text.length) stop('the end of the document');
    return undefined;
  } catch (err) {
    if (!(err instanceof JsonStop)) throw err;
    const before = text.slice(0, err.offset);
    return {
      offset: err.offset,
      line: before.split('\n').length,
      column: err.offset - before.lastIndexOf('\n'),
      expected: err.expected,
    };
  }
}

class JsonStop extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {
    super(`expected ${expected} at ${offset}`);
    this.name = 'JsonStop';
  }
}
