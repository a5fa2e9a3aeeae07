/**
 * A small pull scanner for the XML inside XLSX parts.
 *
 * It knows just enough XML for SpreadsheetML: element tags (with or without a namespace prefix:
 * some writers use `<x:c>`), attributes (values may hold `>`), character data with the five
 * named entities and numeric references, CDATA, comments and processing instructions. It never
 * expands DTD entities, so "billion laughs" files are inert. It works on a string that may end
 * mid-tag: the sheet reader feeds it text as it is inflated, and `partial` says "give me more".
 */

const GT = 0x3e;
const SLASH = 0x2f;
const QUOTE = 0x22;
const APOS = 0x27;
const BANG = 0x21;
const QUESTION = 0x3f;
const COLON = 0x3a;

export class XmlScanner {
  /** Where scanning resumes: just after the current tag. */
  pos: number;
  /** Where the current tag starts (its `<`), or the markup that was cut short. */
  tagStart = 0;
  /** After `next()` returned false: the text ended inside markup, so more text may complete it. */
  partial = false;
  /** The current tag is a closing tag, `</c>`. */
  closing = false;
  /** The current tag closes itself, `<c/>`. */
  selfClosing = false;
  private nameStart = 0;
  private nameEnd = 0;
  private attrStart = 0;
  private attrEnd = 0;
  /** The next `"` and `'` at or after where we last looked (-1: none left), so finding tag ends stays linear. */
  private nextDouble = -2;
  private nextSingle = -2;

  constructor(
    readonly text: string,
    pos = 0,
  ) {
    this.pos = pos;
  }

  private nextQuote(from: number, quote: number): number {
    if (quote === QUOTE) {
      if (this.nextDouble !== -1 && this.nextDouble < from)
        this.nextDouble = this.text.indexOf('"', from);
      return this.nextDouble;
    }
    if (this.nextSingle !== -1 && this.nextSingle < from)
      this.nextSingle = this.text.indexOf("'", from);
    return this.nextSingle;
  }

  /** Local name of the current tag, without any namespace prefix. */
  get name(): string {
    return this.text.slice(this.nameStart, this.nameEnd);
  }

  /** Whether the current tag's local name is `localName`; cheaper than `name` in hot loops. */
  is(localName: string): boolean {
    return (
      this.nameEnd - this.nameStart === localName.length &&
      this.text.startsWith(localName, this.nameStart)
    );
  }

  /** An open tag that is not self-closing: content follows. */
  get opening(): boolean {
    return !this.closing && !this.selfClosing;
  }

  /**
   * Moves to the next element tag, skipping text, comments, processing instructions, CDATA and
   * DOCTYPE. False when there is none: `partial` then says whether the text ended inside markup.
   */
  next(): boolean {
    const text = this.text;
    for (;;) {
      const lt = text.indexOf('<', this.pos);
      if (lt < 0) {
        this.pos = text.length;
        this.partial = false;
        return false;
      }
      this.tagStart = lt;
      this.partial = true;
      const c = text.charCodeAt(lt + 1);
      if (Number.isNaN(c)) return false;
      if (c === BANG || c === QUESTION) {
        const after = skipMarkup(text, lt);
        if (after < 0) return false;
        this.pos = after;
        continue;
      }
      const closing = c === SLASH;
      let i = closing ? lt + 2 : lt + 1;
      let nameStart = i;
      for (; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        if (ch === GT || ch === SLASH || ch <= 0x20) break;
        if (ch === COLON) nameStart = i + 1;
      }
      if (i >= text.length) return false;
      this.nameStart = nameStart;
      this.nameEnd = i;
      this.attrStart = i;
      // The closing '>' is the first one outside quoted attribute values (which may hold '>').
      let gt = text.indexOf('>', i);
      for (;;) {
        if (gt < 0) return false;
        const dq = this.nextQuote(i, QUOTE);
        const sq = this.nextQuote(i, APOS);
        const quote = dq >= 0 && (sq < 0 || dq < sq) ? dq : sq;
        if (quote < 0 || quote > gt) break;
        const endQuote = text.indexOf(quote === dq ? '"' : "'", quote + 1);
        if (endQuote < 0) return false;
        i = endQuote + 1;
        if (gt < i) gt = text.indexOf('>', i);
      }
      this.selfClosing = !closing && text.charCodeAt(gt - 1) === SLASH;
      this.attrEnd = this.selfClosing ? gt - 1 : gt;
      this.closing = closing;
      this.pos = gt + 1;
      this.partial = false;
      return true;
    }
  }

  /**
   * The decoded values of several attributes in one pass over the tag, into `out` (same order as
   * `qnames`, `undefined` where absent). Cheaper than calling `attr` for each on hot paths.
   */
  attrs(qnames: readonly string[], out: (string | undefined)[]): void {
    out.fill(undefined);
    const text = this.text;
    let i = this.attrStart;
    const end = this.attrEnd;
    while (i < end) {
      while (i < end && text.charCodeAt(i) <= 0x20) i++;
      const nameStart = i;
      while (i < end && text.charCodeAt(i) !== 0x3d && text.charCodeAt(i) > 0x20) i++;
      const nameEnd = i;
      while (i < end && text.charCodeAt(i) <= 0x20) i++;
      if (text.charCodeAt(i) !== 0x3d) return;
      i++;
      while (i < end && text.charCodeAt(i) <= 0x20) i++;
      const quote = text.charCodeAt(i);
      if (quote !== QUOTE && quote !== APOS) return;
      const valueEnd = text.indexOf(quote === QUOTE ? '"' : "'", i + 1);
      if (valueEnd < 0 || valueEnd > end) return;
      for (let k = 0; k < qnames.length; k++) {
        const q = qnames[k]!;
        if (nameEnd - nameStart === q.length && text.startsWith(q, nameStart)) {
          out[k] = decodeEntities(text.slice(i + 1, valueEnd));
          break;
        }
      }
      i = valueEnd + 1;
    }
  }

  /**
   * The decoded value of attribute `qname` on the current tag, matched exactly (prefix included);
   * with `anyPrefix`, `qname` is a local name and any prefix matches (`r:id` as well as `x:id`).
   */
  attr(qname: string, anyPrefix = false): string | undefined {
    const text = this.text;
    let i = this.attrStart;
    const end = this.attrEnd;
    while (i < end) {
      while (i < end && text.charCodeAt(i) <= 0x20) i++;
      const nameStart = i;
      while (i < end && text.charCodeAt(i) !== 0x3d && text.charCodeAt(i) > 0x20) i++;
      const nameEnd = i;
      while (i < end && text.charCodeAt(i) <= 0x20) i++;
      if (text.charCodeAt(i) !== 0x3d) return undefined; // not well formed: give up on this tag
      i++;
      while (i < end && text.charCodeAt(i) <= 0x20) i++;
      const quote = text.charCodeAt(i);
      if (quote !== QUOTE && quote !== APOS) return undefined;
      const valueEnd = text.indexOf(quote === QUOTE ? '"' : "'", i + 1);
      if (valueEnd < 0 || valueEnd > end) return undefined;
      const matches = anyPrefix
        ? text.startsWith(qname, nameEnd - qname.length) &&
          nameEnd - nameStart > qname.length &&
          text.charCodeAt(nameEnd - qname.length - 1) === 0x3a
        : nameEnd - nameStart === qname.length && text.startsWith(qname, nameStart);
      if (matches) {
        return decodeEntities(text.slice(i + 1, valueEnd));
      }
      i = valueEnd + 1;
    }
    return undefined;
  }

  /**
   * The character data of the element whose open tag was just scanned, up to its closing tag
   * (which becomes the current tag). Child elements (there should be none) are skipped.
   * `undefined` when the text ends first.
   */
  readText(): string | undefined {
    if (this.selfClosing) return '';
    const text = this.text;
    let out = '';
    let depth = 0;
    for (;;) {
      const lt = text.indexOf('<', this.pos);
      if (lt < 0) return undefined;
      if (depth === 0 && lt > this.pos)
        out += decodeEntities(normaliseNewlines(text.slice(this.pos, lt)));
      if (text.startsWith('<![CDATA[', lt)) {
        const end = text.indexOf(']]>', lt + 9);
        if (end < 0) return undefined;
        if (depth === 0) out += normaliseNewlines(text.slice(lt + 9, end));
        this.pos = end + 3;
        continue;
      }
      this.pos = lt;
      if (!this.next()) return undefined;
      if (this.closing) {
        if (depth === 0) return out;
        depth--;
      } else if (!this.selfClosing) {
        depth++;
      }
    }
  }

  /** Skips past the end of the element whose open tag was just scanned. `false` when the text ends first. */
  skipElement(): boolean {
    if (!this.opening) return true;
    let depth = 0;
    for (;;) {
      if (!this.next()) return false;
      if (this.closing) {
        if (depth === 0) return true;
        depth--;
      } else if (!this.selfClosing) {
        depth++;
      }
    }
  }
}

/** Where a comment, processing instruction, CDATA section or DOCTYPE starting at `lt` ends; -1 when incomplete. */
function skipMarkup(text: string, lt: number): number {
  if (text.startsWith('<!--', lt)) {
    const end = text.indexOf('-->', lt + 4);
    return end < 0 ? -1 : end + 3;
  }
  if (text.startsWith('<![CDATA[', lt)) {
    const end = text.indexOf(']]>', lt + 9);
    return end < 0 ? -1 : end + 3;
  }
  if (text.charCodeAt(lt + 1) === QUESTION) {
    const end = text.indexOf('?>', lt + 2);
    return end < 0 ? -1 : end + 2;
  }
  // <!DOCTYPE ...> possibly with an internal subset in [...]. Its entities are never expanded.
  const gt = text.indexOf('>', lt);
  const bracket = text.indexOf('[', lt);
  if (bracket >= 0 && (gt < 0 || bracket < gt)) {
    const close = text.indexOf(']', bracket);
    if (close < 0) return -1;
    const end = text.indexOf('>', close);
    return end < 0 ? -1 : end + 1;
  }
  return gt < 0 ? -1 : gt + 1;
}

/** XML processors turn CR LF and lone CR into LF; a CR that matters is written as `&#13;` or `_x000D_`. */
function normaliseNewlines(s: string): string {
  return s.indexOf('\r') < 0 ? s : s.replace(/\r\n?/g, '\n');
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#NN;` `&#xNN;`. Anything else is left as written. */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, ref: string) => {
    if (ref.charCodeAt(0) !== 0x23) return NAMED[ref] ?? whole;
    const code =
      ref.charCodeAt(1) === 0x78 ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * Office escapes characters XML cannot carry as `_xHHHH_` (a carriage return is `_x000D_`), and
 * a literal `_x` sequence as `_x005F_xHHHH_`. Decoding left to right handles both.
 */
export function decodeOfficeEscapes(s: string): string {
  if (s.indexOf('_x') < 0) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_whole, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}
