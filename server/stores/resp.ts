/**
 * RESP, the Redis serialization protocol (version 2), both directions: the
 * commands we send and the replies we read (https://redis.io/docs/latest/develop/reference/protocol-spec/).
 *
 *   request   *3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n   an array of bulk strings
 *   replies   +OK\r\n                                      simple string
 *             -ERR unknown command\r\n                     error
 *             :1\r\n                                       integer
 *             $5\r\nhello\r\n   ($-1\r\n: null)            bulk string
 *             *2\r\n…          (*-1\r\n: null)             array of replies
 *
 * Replies arrive in pieces (TCP is a stream), so the parser keeps what it has
 * not used and answers only complete replies, in order: pipelined commands get
 * their replies in the order they were sent.
 */

export type Reply = string | number | null | ReplyError | Reply[];

/** An error reply (`-ERR …`): the command failed, the connection is fine. */
export class ReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplyError';
  }
}

/** The server sent something that is not RESP: the connection cannot be trusted any more. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** One command as RESP: an array of bulk strings (lengths in bytes, so any text is safe). */
export function encodeCommand(args: readonly (string | number)[]): Buffer {
  let text = `*${args.length}\r\n`;
  for (const arg of args) {
    const value = String(arg);
    text += `$${Buffer.byteLength(value)}\r\n${value}\r\n`;
  }
  return Buffer.from(text, 'utf8');
}

/** Larger replies are refused: nothing this server stores comes near it. */
const MAX_BULK = 16 * 1024 * 1024;
const MAX_DEPTH = 8;

/** Where a parse stopped: the reply and the offset after it, or undefined when more bytes are needed. */
type Parsed = { readonly value: Reply; readonly next: number } | undefined;

export class ReplyParser {
  #buffer: Buffer = Buffer.alloc(0);

  /** Adds bytes from the socket; returns every reply now complete, in order. Throws ProtocolError on garbage. */
  push(chunk: Buffer): Reply[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const replies: Reply[] = [];
    let offset = 0;
    for (;;) {
      const parsed = this.#parse(offset, 0);
      if (parsed === undefined) break;
      replies.push(parsed.value);
      offset = parsed.next;
    }
    this.#buffer = this.#buffer.subarray(offset);
    return replies;
  }

  #parse(offset: number, depth: number): Parsed {
    const buffer = this.#buffer;
    if (offset >= buffer.length) return undefined;
    const end = buffer.indexOf('\r\n', offset);
    if (end === -1) {
      if (buffer.length - offset > 64 * 1024) throw new ProtocolError('a reply line longer than 64 KiB');
      return undefined;
    }
    const type = String.fromCharCode(buffer[offset] ?? 0);
    const line = buffer.toString('utf8', offset + 1, end);
    const next = end + 2;
    switch (type) {
      case '+':
        return { value: line, next };
      case '-':
        return { value: new ReplyError(line), next };
      case ':':
        return { value: integer(line), next };
      case '$': {
        const length = integer(line);
        if (length === -1) return { value: null, next };
        if (length < 0 || length > MAX_BULK) throw new ProtocolError(`a bulk string of ${length} bytes`);
        if (buffer.length < next + length + 2) return undefined;
        if (buffer[next + length] !== 13 || buffer[next + length + 1] !== 10) throw new ProtocolError('a bulk string without its CRLF');
        return { value: buffer.toString('utf8', next, next + length), next: next + length + 2 };
      }
      case '*': {
        const count = integer(line);
        if (count === -1) return { value: null, next };
        if (count < 0 || depth >= MAX_DEPTH) throw new ProtocolError(`an array of ${count} at depth ${depth}`);
        const items: Reply[] = [];
        let at = next;
        for (let i = 0; i < count; i++) {
          const item = this.#parse(at, depth + 1);
          if (item === undefined) return undefined;
          items.push(item.value);
          at = item.next;
        }
        return { value: items, next: at };
      }
      default:
        throw new ProtocolError(`an unknown reply type ${JSON.stringify(type)}`);
    }
  }
}

function integer(line: string): number {
  if (!/^-?\d{1,18}$/.test(line)) throw new ProtocolError(`${JSON.stringify(line.slice(0, 20))} is not an integer`);
  return Number(line);
}
