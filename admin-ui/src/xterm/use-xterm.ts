import '@xterm/xterm/css/xterm.css';
import { FitAddon } from '@xterm/addon-fit';
import { type ITerminalOptions, Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';

const BASE_OPTIONS: ITerminalOptions = {
  fontFamily: '"DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
  fontSize: 14,
  scrollback: 5000,
  theme: { background: '#1e1e1e', foreground: '#e6e6e6' },
};

/**
 * An xterm.js terminal in the returned `ref`'s element, created on mount and disposed on unmount.
 * With `fit`, it follows the element's size (FitAddon on every resize of the element); otherwise
 * it keeps the size it is given (a replay keeps the recorded size).
 */
export function useXterm(opts: { fit: boolean; readOnly?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const [term, setTerm] = useState<Terminal>();
  const { fit, readOnly = false } = opts;

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const t = new Terminal({ ...BASE_OPTIONS, disableStdin: readOnly, cursorBlink: !readOnly });
    const fitAddon = new FitAddon();
    t.loadAddon(fitAddon);
    t.open(element);
    let observer: ResizeObserver | undefined;
    if (fit) {
      fitAddon.fit();
      observer = new ResizeObserver(() => fitAddon.fit());
      observer.observe(element);
    }
    setTerm(t);
    return () => {
      observer?.disconnect();
      t.dispose();
      setTerm(undefined);
    };
  }, [fit, readOnly]);

  return { ref, term };
}
