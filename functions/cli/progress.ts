/** A one-line progress display on a terminal; plain periodic lines when output is piped. */
export function progressLine(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastPrinted = 0;
  return (done: number, total: number) => {
    const now = Date.now();
    if (done !== total && now - lastPrinted < 250) return;
    lastPrinted = now;
    const pct = total ? Math.floor((done / total) * 100) : 100;
    const text = `${label}: ${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} (${pct}%)`;
    if (stream.isTTY) stream.write(`\r${text}${done === total ? '\n' : ''}`);
    else if (done === total || pct % 25 === 0) stream.write(text + '\n');
  };
}
