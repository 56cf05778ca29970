/**
 * HexStreamParser: parseHex (frame.ts) for text that arrives in pieces, in linear time and
 * bounded memory. The same rules as parseHex: separators are whitespace , : ; -; a token is an
 * optional 0x and 1–2 hex digits (one byte) or an even run of digits (packed bytes). A packed
 * token is turned into bytes as its digit pairs arrive, so a 20 MB token without one separator
 * is never held whole; the price is that the bytes before a malformed token's end have been
 * handed out already when the error is found.
 *
 * @example
 *   const hex = new HexStreamParser();
 *   for await (const text of stdin) reader.push(hex.push(text));
 *   reader.push(hex.end());
 */

export class HexSyntaxError extends Error {
  constructor(
    message: string,
    /** Up to 40 characters of the input around the problem. */
    readonly near: string,
  ) {
    super(message);
    this.name = 'HexSyntaxError';
  }
}

export class HexStreamParser {
  /** Digits in the current token (its 0x prefix not counted). */
  private digits = 0;
  /** The first digit of a byte whose second digit has not come yet (-1: none). */
  private high = -1;
  /** The token began with '0' that may still turn out to be the start of a 0x prefix. */
  private maybePrefix = false;
  /** The token began with 0x. */
  private sawPrefix = false;
  /** The tail of the text seen so far, for error messages. */
  private recent = '';

  /** The bytes completed by this text. Throws HexSyntaxError at the first character that is not hex. */
  push(text: string): Uint8Array {
    const out = new Uint8Array((text.length >> 1) + 2);
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const nibble = nibbleOf(c);
      if (nibble >= 0) {
        if (this.maybePrefix) {
          // "0" followed by a digit: the 0 was a digit after all
          this.maybePrefix = false;
          this.high = 0;
          this.digits = 1;
        }
        if (this.digits === 0 && nibble === 0 && !this.sawPrefix) {
          this.maybePrefix = true; // decided by the next character
          continue;
        }
        this.digits++;
        if (this.high < 0) this.high = nibble;
        else {
          out[n++] = (this.high << 4) | nibble;
          this.high = -1;
        }
      } else if (isSeparator(c)) {
        n = this.endToken(out, n, text, i);
      } else if ((c === 0x78 || c === 0x58) && this.maybePrefix) {
        this.maybePrefix = false; // "0x": the digits follow
        this.digits = 0;
        this.sawPrefix = true;
      } else {
        throw this.error(text, i, `"${text[i]}" is not a hex digit`);
      }
    }
    this.recent = (this.recent + text.slice(-40)).slice(-40);
    return out.subarray(0, n);
  }

  /** The end of the input: the last token's byte, if any. Throws HexSyntaxError when it is malformed. */
  end(): Uint8Array {
    const out = new Uint8Array(1);
    const n = this.endToken(out, 0, '', 0);
    return out.subarray(0, n);
  }

  /** Closes the current token: a lone digit is a byte of its own; an odd packed run is a typo. */
  private endToken(out: Uint8Array, n: number, text: string, i: number): number {
    if (this.maybePrefix) {
      out[n++] = 0; // a lone "0"
    } else if (this.sawPrefix && this.digits === 0) {
      throw this.error(text, i, '"0x" without digits');
    } else if (this.high >= 0) {
      if (this.digits !== 1) throw this.error(text, i, `a packed run of ${this.digits} digits leaves half a byte (write each byte as 2 digits)`);
      out[n++] = this.high;
    }
    this.digits = 0;
    this.high = -1;
    this.maybePrefix = false;
    this.sawPrefix = false;
    return n;
  }

  private error(text: string, i: number, what: string): HexSyntaxError {
    const near = (this.recent + text.slice(Math.max(0, i - 20), i + 20)).slice(-40).trim();
    return new HexSyntaxError(what, near);
  }
}

function nibbleOf(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** The separators parseHex splits on: whitespace , : ; - */
function isSeparator(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x2c || c === 0x3a || c === 0x3b || c === 0x2d || c === 0xa0 || c === 0xfeff;
}
