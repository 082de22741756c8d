import { connect } from 'node:net';

/** Whether clamd answers on its local socket (`zPING` → `PONG`), within `timeoutMs`. Never throws. */
export function clamdAnswers(socketPath: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(socketPath);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => socket.write('zPING\0'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('PONG')) done(true);
    });
    // No socket (ENOENT), refused, or closed without PONG: clamd is not there.
    socket.once('error', () => done(false));
    socket.once('close', () => done(answer.includes('PONG')));
  });
}
