/** A value made once per cold start, on first use; made again next time if making it failed. */
export function once<T>(make: () => T | Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= Promise.resolve()
      .then(make)
      .catch((e: unknown) => {
        made = undefined;
        throw e;
      });
    return made;
  };
}
