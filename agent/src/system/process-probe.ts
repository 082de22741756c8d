/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else (status run as a user, daemon as root).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
