/**
 * Structured log lines for CloudWatch: one JSON object a line with the level, the message, the
 * function, the AWS request id and any fields. Fields are ids, keys and counts: never a cell of
 * a return, so no participant data reaches the logs.
 */
export type Level = 'info' | 'warn' | 'error';
export type Fields = Record<
  string,
  string | number | boolean | null | readonly string[] | undefined
>;

export interface Logger {
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  /** The error's name and message are logged (never the object: it could hold anything). */
  error(message: string, error?: unknown, fields?: Fields): void;
}

/** Where lines go: stdout, which Lambda sends to CloudWatch; tests pass their own. */
export type Sink = (line: string) => void;

export function createLogger(
  fn: string,
  requestId: string | undefined,
  sink: Sink = (line) => console.log(line),
): Logger {
  const write = (level: Level, message: string, fields: Fields = {}) =>
    sink(
      JSON.stringify({
        level,
        message,
        function: fn,
        aws_request_id: requestId ?? null,
        ...fields,
        time: new Date().toISOString(),
      }),
    );
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, error, fields) =>
      write('error', message, {
        ...fields,
        ...(error === undefined
          ? {}
          : { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
      }),
  };
}
