import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Requests before background work, on one event loop.
 *
 * A subgraph's process serves requests and also runs work nobody is waiting
 * on: the outbox relay, the consumers behind it, the scheduled jobs. Node runs
 * whatever is ready first come first served, so a request's answer from
 * PostgreSQL waits behind the consumers' work that became ready before it.
 * Work started under {@link runAsBackground} resumes after each of its
 * database statements through {@link inTurn}: one such continuation
 * per turn of the event loop, after the loop has taken all the I/O that was
 * ready (a new request, a request's answer). Nothing is dropped or reordered
 * within the background work itself; it only waits its turn, and when no
 * request is being served its turns come back to back.
 */
const background = new AsyncLocalStorage<true>();

/** Runs `work`, and everything it starts, as background work. */
export function runAsBackground<T>(work: () => T): T {
  return background.run(true, work);
}

/** Runs `work` as work someone waits for, even when background work started it (a live subscription's push). */
export function runAsForeground<T>(work: () => T): T {
  return background.exit(work);
}

/** Whether the caller runs as background work (see {@link runAsBackground}). */
export function inBackground(): boolean {
  return background.getStore() === true;
}

const waiting: (() => void)[] = [];
let pumping = false;

// One continuation per check phase: the next is released only after the poll phase has taken the I/O ready by then.
function releaseOne(): void {
  waiting.shift()?.();
  if (waiting.length > 0) setImmediate(releaseOne);
  else pumping = false;
}

/** Resolves on background work's next turn of the event loop. */
function backgroundTurn(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    if (!pumping) {
      pumping = true;
      setImmediate(releaseOne);
    }
  });
}

/** `answer`, delivered on background work's next turn when the caller is background work; as it is otherwise. */
export function inTurn<T>(answer: Promise<T>): Promise<T> {
  if (!inBackground()) return answer;
  return answer.then(
    async (value) => {
      await backgroundTurn();
      return value;
    },
    async (err: unknown) => {
      await backgroundTurn();
      throw err;
    },
  );
}
