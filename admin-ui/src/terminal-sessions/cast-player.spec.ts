import { describe, expect, it } from 'vitest';
import { AsciicastError, parseAsciicast } from './asciicast.js';
import { CastPlayer, type CastSink, type PlayerTimer } from './cast-player.js';

const CAST = [
  '{"version":2,"width":100,"height":30,"timestamp":1795000000,"title":"agnes → pc-compta-12 (root, web)","env":{"TERM":"xterm-256color"}}',
  '[0.5,"o","$ "]',
  '[1.0,"o","echo $((6*7))\\r\\n"]',
  '[1.0,"i","ignored input"]',
  '[1.25,"o","42\\r\\n"]',
  '[3.0,"r","120x40"]',
  '[4.0,"o","$ exit\\r\\n"]',
  '',
].join('\n');

/** A clock moved by hand, running timeouts as it passes them. */
class ManualTimer implements PlayerTimer {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  now() {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number) {
    this.ids += 1;
    this.timers.push({ at: this.t + ms, fn, id: this.ids });
    return this.ids;
  }
  clearTimeout(id: unknown) {
    this.timers = this.timers.filter((x) => x.id !== id);
  }
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = end;
  }
}

class Screen implements CastSink {
  log: string[] = [];
  reset(cols: number, rows: number) {
    this.log.push(`reset ${cols}x${rows}`);
  }
  write(text: string) {
    this.log.push(text);
  }
  resize(cols: number, rows: number) {
    this.log.push(`resize ${cols}x${rows}`);
  }
}

describe('asciicast parser', () => {
  it('reads the header and the output and resize events, dropping other kinds', () => {
    const cast = parseAsciicast(CAST);
    expect(cast).toMatchObject({ width: 100, height: 30, timestamp: 1795000000, duration: 4 });
    expect(cast.events.map((e) => `${e.time} ${e.type}`)).toEqual(['0.5 o', '1 o', '1.25 o', '3 r', '4 o']);
  });

  it('ignores a last line cut short (a session still being recorded), refuses garbage elsewhere', () => {
    expect(parseAsciicast(`${CAST}[4.5,"o","tru`).events).toHaveLength(5);
    expect(() => parseAsciicast('{"version":1}\n')).toThrow(AsciicastError);
    expect(() => parseAsciicast('hello\n')).toThrow('not an asciicast v2 recording');
    expect(() => parseAsciicast(CAST.replace('[1.25,"o","42\\r\\n"]', 'oops'))).toThrow('line 5 is not JSON');
  });
});

describe('cast player', () => {
  const setup = () => {
    const timer = new ManualTimer();
    const screen = new Screen();
    let changes = 0;
    const player = new CastPlayer(parseAsciicast(CAST), screen, timer, () => {
      changes += 1;
    });
    return { timer, screen, player, changes: () => changes };
  };

  it('writes each event when its time comes', () => {
    const { timer, screen, player } = setup();
    player.play();
    expect(screen.log).toEqual(['reset 100x30']);
    timer.advance(499);
    expect(screen.log).toHaveLength(1);
    timer.advance(1);
    expect(screen.log.at(-1)).toBe('$ ');
    timer.advance(500); // t = 1.0
    expect(screen.log.at(-1)).toBe('echo $((6*7))\r\n');
    timer.advance(250); // t = 1.25
    expect(screen.log.at(-1)).toBe('42\r\n');
    expect(player.position).toBeCloseTo(1.25);
    timer.advance(2750); // t = 4
    expect(screen.log.slice(-2)).toEqual(['resize 120x40', '$ exit\r\n']);
    expect(player.playing).toBe(false);
    expect(player.ended).toBe(true);
    expect(player.position).toBe(4);
  });

  it('pauses and resumes where it was', () => {
    const { timer, screen, player } = setup();
    player.play();
    timer.advance(800);
    player.pause();
    timer.advance(60_000);
    expect(screen.log).toEqual(['reset 100x30', '$ ']);
    expect(player.position).toBeCloseTo(0.8);
    player.play();
    timer.advance(199);
    expect(screen.log).toHaveLength(2);
    timer.advance(1);
    expect(screen.log.at(-1)).toBe('echo $((6*7))\r\n');
  });

  it('plays ×8 faster, the speed changeable while playing', () => {
    const { timer, screen, player } = setup();
    player.setSpeed(2);
    player.play();
    timer.advance(500); // recording t = 1.0
    expect(screen.log.at(-1)).toBe('echo $((6*7))\r\n');
    player.setSpeed(8);
    timer.advance(375); // 3 s of recording at ×8: t = 4.0
    expect(player.ended).toBe(true);
    expect(screen.log.at(-1)).toBe('$ exit\r\n');
  });

  it('jumps to the end, and starts over from a blank screen', () => {
    const { timer, screen, player, changes } = setup();
    player.play();
    timer.advance(600);
    player.seekToEnd();
    expect(screen.log).toEqual(['reset 100x30', '$ ', 'echo $((6*7))\r\n42\r\n', 'resize 120x40', '$ exit\r\n']);
    expect(player.playing).toBe(false);
    expect(changes()).toBe(2);
    timer.advance(10_000);
    expect(screen.log).toHaveLength(5);
    player.play(); // from the end: over again
    expect(screen.log.at(-1)).toBe('reset 100x30');
    timer.advance(500);
    expect(screen.log.at(-1)).toBe('$ ');
  });
});
