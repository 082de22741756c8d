import { type Asciicast, parseSize } from './asciicast.js';

/** Where the replay goes: an xterm.js terminal in the UI, an array in specs. */
export interface CastSink {
  reset(cols: number, rows: number): void;
  write(text: string): void;
  resize(cols: number, rows: number): void;
}

/** Time, injected so that specs drive it by hand. */
export interface PlayerTimer {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserTimer: PlayerTimer = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (h) => window.clearTimeout(h as number),
};

export const PLAYER_SPEEDS = [1, 2, 8] as const;

/**
 * Replays a recording into a sink with its timing: output is written when its time comes (divided
 * by the speed). Pause, change speed, jump to the end or start over at any moment.
 */
export class CastPlayer {
  private next = 0;
  /** Recording time (s) at `wallAt` (ms, timer clock) */
  private basePosition = 0;
  private wallAt = 0;
  private timer: unknown;
  private playingNow = false;
  private speedNow = 1;

  constructor(
    private readonly cast: Asciicast,
    private readonly sink: CastSink,
    private readonly clock: PlayerTimer,
    /** Called when playing starts or stops (the end reached included). */
    private readonly onChange: () => void = () => {},
  ) {
    this.sink.reset(cast.width, cast.height);
  }

  get playing(): boolean {
    return this.playingNow;
  }

  get speed(): number {
    return this.speedNow;
  }

  get duration(): number {
    return this.cast.duration;
  }

  get ended(): boolean {
    return this.next >= this.cast.events.length;
  }

  /** Where the replay stands, in recording seconds. */
  get position(): number {
    if (this.ended) return this.cast.duration;
    if (!this.playingNow) return this.basePosition;
    return Math.min(this.cast.duration, this.basePosition + ((this.clock.now() - this.wallAt) / 1000) * this.speedNow);
  }

  play(): void {
    if (this.playingNow) return;
    if (this.ended) this.rewind();
    this.playingNow = true;
    this.wallAt = this.clock.now();
    this.tick();
    this.onChange();
  }

  pause(): void {
    if (!this.playingNow) return;
    this.basePosition = this.position;
    this.playingNow = false;
    this.clock.clearTimeout(this.timer);
    this.onChange();
  }

  setSpeed(speed: number): void {
    if (this.playingNow) {
      this.basePosition = this.position;
      this.wallAt = this.clock.now();
    }
    this.speedNow = speed;
    if (this.playingNow) {
      this.clock.clearTimeout(this.timer);
      this.tick();
    }
  }

  /** Writes everything left at once. */
  seekToEnd(): void {
    this.clock.clearTimeout(this.timer);
    this.emitUntil(Number.POSITIVE_INFINITY);
    this.basePosition = this.cast.duration;
    const was = this.playingNow;
    this.playingNow = false;
    if (was) this.onChange();
  }

  /** Back to the start, paused, with a blank screen. */
  rewind(): void {
    this.clock.clearTimeout(this.timer);
    this.next = 0;
    this.basePosition = 0;
    this.sink.reset(this.cast.width, this.cast.height);
    if (this.playingNow) {
      this.playingNow = false;
      this.onChange();
    }
  }

  dispose(): void {
    this.clock.clearTimeout(this.timer);
    this.playingNow = false;
  }

  private tick(): void {
    this.emitUntil(this.position);
    const event = this.cast.events[this.next];
    if (!event) {
      this.playingNow = false;
      this.basePosition = this.cast.duration;
      this.onChange();
      return;
    }
    const wait = ((event.time - this.position) / this.speedNow) * 1000;
    this.timer = this.clock.setTimeout(() => this.tick(), Math.max(0, wait));
  }

  private emitUntil(position: number): void {
    // Consecutive output is joined: one write per tick keeps xterm.js fast on big recordings.
    let text = '';
    for (let e = this.cast.events[this.next]; e && e.time <= position; e = this.cast.events[this.next]) {
      this.next += 1;
      if (e.type === 'o') {
        text += e.data;
        continue;
      }
      const size = parseSize(e.data);
      if (!size) continue;
      if (text) this.sink.write(text);
      text = '';
      this.sink.resize(size.cols, size.rows);
    }
    if (text) this.sink.write(text);
  }
}
