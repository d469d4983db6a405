/**
 * Simulated time for the offline `pulumi up`. Creating a load balancer takes minutes and a controller
 * answers seconds after an object appears; a simulation that slept for real would take as long as the
 * real thing. Instead every delay (a resource's creation, an actor's reaction, the program's own
 * `setTimeout` while it polls) is an event on one clock, and the clock jumps to the next event only when
 * the program has nothing left to do at the current instant.
 *
 * "Nothing left to do" is measured, not guessed: the Pulumi SDK does its work in promise chains, which
 * run to completion before the next macrotask, so the driver moves time only after several macrotask
 * turns in which nothing touched the engine (no registration, invoke or new event). The SDK's own code
 * uses no timers on this path (checked against @pulumi/pulumi 3.248), so a run is deterministic.
 *
 * Some events are background: what actors do on their own (a certificate issued, an NLB becoming
 * active). They run while the program or the engine waits for something, but do not keep an update
 * going by themselves: when only they are left and nothing is `busy`, the driver stops and the update
 * ends, as a real `pulumi up` ends before a certificate is issued. `settle` then runs them to the end.
 */

export interface ScheduledEvent {
  readonly at: number;
  readonly seq: number;
  readonly label: string;
  readonly run: () => void;
  readonly background: boolean;
  cancelled: boolean;
}

/** How many quiet macrotask turns count as "the program is waiting for time to pass". */
const QUIET_TURNS = 3;

export class VirtualClock {
  /** Milliseconds since the simulation started. */
  private current = 0;
  private seq = 0;
  /** A binary heap by time, then order of scheduling; cancelled events are dropped when they surface. */
  private readonly queue: ScheduledEvent[] = [];
  /** Events not cancelled, and how many of them are not background. */
  private live = 0;
  private foreground = 0;
  private activity = 0;
  private seenActivity = -1;
  private quietTurns = 0;
  private driving = false;
  /** Whether something waits for time to pass though only background events are left (a registration in flight). */
  busy: () => boolean = () => false;
  private settling = false;

  get now(): number {
    return this.current;
  }

  /** Runs `run` after `delayMs` of simulated time. */
  schedule(delayMs: number, label: string, run: () => void): ScheduledEvent {
    return this.enqueue(delayMs, label, run, false);
  }

  /** Runs `run` after `delayMs`, as something an actor does on its own (see above). */
  later(delayMs: number, label: string, run: () => void): ScheduledEvent {
    return this.enqueue(delayMs, label, run, true);
  }

  private enqueue(delayMs: number, label: string, run: () => void, background: boolean): ScheduledEvent {
    const event: ScheduledEvent = { at: this.current + Math.max(0, delayMs), seq: this.seq++, label, run, background, cancelled: false };
    this.push(event);
    this.live++;
    if (!background) this.foreground++;
    this.touch();
    return event;
  }

  /** Runs every event left, background ones too, and resolves when none is left. */
  settle(): Promise<void> {
    this.settling = true;
    return new Promise((done) => {
      const check = () => (this.live === 0 && !this.driving ? done() : setImmediate(check));
      this.touch();
      setImmediate(check);
    });
  }

  /** A promise that resolves after `delayMs` of simulated time. */
  sleep(delayMs: number, label = "sleep"): Promise<void> {
    return new Promise((done) => this.schedule(delayMs, label, done));
  }

  cancel(event: ScheduledEvent): void {
    if (event.cancelled) return;
    event.cancelled = true;
    this.live--;
    if (!event.background) this.foreground--;
  }

  /** Marks that the program did something: time must not move until it settles again. */
  touch(): void {
    this.activity++;
    if (!this.driving) {
      this.driving = true;
      setImmediate(() => this.turn());
    }
  }

  private turn(): void {
    if (this.activity !== this.seenActivity) {
      this.seenActivity = this.activity;
      this.quietTurns = 0;
      setImmediate(() => this.turn());
      return;
    }
    if (++this.quietTurns < QUIET_TURNS) {
      setImmediate(() => this.turn());
      return;
    }
    const waiting = this.settling || this.busy() || this.foreground > 0;
    const next = waiting ? this.popNext() : undefined;
    if (!next) {
      this.driving = false;
      return;
    }
    this.current = Math.max(this.current, next.at);
    this.activity++;
    next.run();
    setImmediate(() => this.turn());
  }

  private popNext(): ScheduledEvent | undefined {
    for (;;) {
      const top = this.pop();
      if (!top) return undefined;
      if (top.cancelled) continue;
      this.live--;
      if (!top.background) this.foreground--;
      return top;
    }
  }

  private push(event: ScheduledEvent): void {
    const q = this.queue;
    q.push(event);
    for (let i = q.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (byTime(q[i]!, q[parent]!) >= 0) break;
      [q[i], q[parent]] = [q[parent]!, q[i]!];
      i = parent;
    }
  }

  private pop(): ScheduledEvent | undefined {
    const q = this.queue;
    if (q.length === 0) return undefined;
    const top = q[0]!;
    const last = q.pop()!;
    if (q.length > 0) {
      q[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < q.length && byTime(q[l]!, q[m]!) < 0) m = l;
        if (r < q.length && byTime(q[r]!, q[m]!) < 0) m = r;
        if (m === i) break;
        [q[i], q[m]] = [q[m]!, q[i]!];
        i = m;
      }
    }
    return top;
  }
}

function byTime(a: ScheduledEvent, b: ScheduledEvent): number {
  return a.at - b.at || a.seq - b.seq;
}

/** The instant simulated time 0 stands for, so that `Date.now()` in the program reads a fixed calendar. */
export const SIMULATION_EPOCH = Date.UTC(2026, 0, 1);

/**
 * Puts the clock in place of the process's timers and `Date.now`, so that a program that polls with
 * `setTimeout` (the waits of components/waits.ts) polls in simulated time. `setImmediate` and
 * `process.nextTick` stay real: the driver and the SDK's shutdown run on them.
 */
export function installVirtualTimers(clock: VirtualClock): void {
  type Handle = { event: ScheduledEvent; ref(): Handle; unref(): Handle; hasRef(): boolean; refresh(): Handle; [Symbol.toPrimitive](): number };
  const handle = (event: ScheduledEvent): Handle => {
    const h: Handle = { event, ref: () => h, unref: () => h, hasRef: () => true, refresh: () => h, [Symbol.toPrimitive]: () => event.seq };
    return h;
  };
  const timeout = (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => handle(clock.schedule(Number(ms ?? 0), "timer", () => fn(...args)));
  const interval = (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const every = Math.max(1, Number(ms ?? 0));
    const h = handle(
      clock.schedule(every, "interval", function tick() {
        fn(...args);
        if (!h.event.cancelled) h.event = clock.schedule(every, "interval", tick);
      }),
    );
    return h;
  };
  const clear = (h: unknown) => {
    if (h && typeof h === "object" && "event" in h) clock.cancel((h as Handle).event);
  };
  Object.assign(globalThis, { setTimeout: timeout, setInterval: interval, clearTimeout: clear, clearInterval: clear });
  Date.now = () => SIMULATION_EPOCH + clock.now;
}
