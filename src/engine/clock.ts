/**
 * Clocks. The engine reads time only through a {@link Clock}; the demo and tests drive a
 * {@link SimulatedClock}, production uses the {@link SystemClock}.
 */
import type { Clock } from "./ports.js";

/** The real time. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

export interface SimulatedClockOptions {
  /** The simulated instant the clock starts at. */
  start: Date;
  /**
   * How many simulated milliseconds pass per real millisecond; 0 stops the clock so that only
   * {@link SimulatedClock.advance} moves it (tests). @default 0
   */
  speed?: number;
  /** Source of real time for `speed` > 0. @default Date.now */
  realNow?: () => number;
}

/**
 * A clock that starts at a chosen instant and either stands still until advanced (tests) or
 * runs `speed` times faster than real time (the demo: 3600 = one simulated hour per second).
 */
export class SimulatedClock implements Clock {
  private base: number;
  private realBase: number;
  private readonly speed: number;
  private readonly realNow: () => number;

  constructor(options: SimulatedClockOptions) {
    this.base = options.start.getTime();
    this.speed = options.speed ?? 0;
    this.realNow = options.realNow ?? Date.now;
    this.realBase = this.realNow();
  }

  now(): Date {
    return new Date(this.base + (this.realNow() - this.realBase) * this.speed);
  }

  /** Moves the clock forward. @throws RangeError for a negative amount. */
  advance(ms: number): Date {
    if (!(ms >= 0)) throw new RangeError(`cannot move a clock back (advance by ${ms} ms)`);
    this.base = this.now().getTime() + ms;
    this.realBase = this.realNow();
    return this.now();
  }

  /** Jumps to an instant (forward only). */
  set(at: Date): Date {
    return this.advance(Math.max(0, at.getTime() - this.now().getTime()));
  }

  /** Simulated ms per real ms (0 when manual). */
  get rate(): number {
    return this.speed;
  }
}
